import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { watchProcess, type AgentProcess } from './agent-process.js';
import { REPO_ROOT } from './run-cli.js';

/** A single executable copied alone into an empty folder, as a container image holds it. */
export interface BinaryAlone {
  /** The folder: the binary is its only file. */
  readonly dir: string;
  /** The binary's path in it. */
  readonly path: string;
  /** Runs `./agentkit <args>` with exactly `env` and a PATH that is the folder alone (so no Node), in `cwd` (the folder by default). */
  run(args: readonly string[], env: Record<string, string>, cwd?: string): AgentProcess;
  remove(): void;
}

/**
 * Builds the binary with scripts/build-binary.mjs (`buildArgs`, e.g. `['--snapshot']`; nothing to
 * do when it is up to date) and copies `built` (relative to the repository) alone into a fresh
 * temporary folder.
 */
export async function binaryAlone(built: string, buildArgs: readonly string[] = []): Promise<BinaryAlone> {
  await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'scripts/build-binary.mjs'), ...buildArgs], { cwd: REPO_ROOT });
  const dir = mkdtempSync(join(tmpdir(), 'agentkit-binary-'));
  const path = join(dir, 'agentkit');
  copyFileSync(join(REPO_ROOT, built), path);
  return {
    dir,
    path,
    run: (args, env, cwd = dir) => watchProcess(spawn(path, args, { cwd, env: { PATH: dir, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
