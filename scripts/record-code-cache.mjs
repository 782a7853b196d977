// The one recording step of the one-file bundle's V8 code caches, shared by the npm build
// (scripts/bundle-cli.mjs: packages/agent/dist/one-file/) and the single executable's
// (scripts/build-binary.mjs). Each cache is written by a real run of the bundle through its
// loader (packages/agent/bin/cached-bundle.cjs, `recordTo`), at that run's exit: one after an
// `agentkit exec` around a program that sends one DogStatsD line, shipping to a local intake
// of this process (so the listener's, the pipeline's, the serializer's and the forwarder's code
// is in it), one after `--help` (the other commands'). Loopback only, no network: it works in
// CI from a fresh clone. Needs the compiled packages (`tsc -b`): the test intake and the free
// ports come from packages/testing and packages/core's dist.
import { execFile } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';

const { cacheNameFor } = createRequire(import.meta.url)('../packages/agent/bin/cached-bundle.cjs');

// The program of the exec run: one DogStatsD line, so the listener's and the pipeline's code is in the cache too.
const SEND_ONE_LINE = "const s = require('node:dgram').createSocket('udp4'); s.send('agentkit.build:1|c', Number(process.env.DD_DOGSTATSD_PORT), '127.0.0.1', () => s.close());";

/** The runs recorded, by the cache each writes (its name as the loader looks it up). */
const RECORDINGS = [
  ['exec', '--', process.execPath, '-e', SEND_ONE_LINE],
  ['--help'],
].map((args) => ({ name: cacheNameFor(args), args }));

/**
 * Records every cache into `outdir` (named as {@link RECORDINGS} says) by running
 * `node <runner> <args>` with `env` added (what makes the runner load the bundle to record).
 * `root` is the repository's root, with a trailing slash. Returns the files, by cache name.
 * Rejects, naming the run, when one fails or writes no cache.
 */
export async function recordCodeCaches({ root, outdir, runner, env = {}, logPrefix }) {
  const files = {};
  for (const { name, args } of RECORDINGS) {
    files[name] = `${outdir}/${name}`;
    await recordOne({ root, file: files[name], runner, args, env, logPrefix });
  }
  return files;
}

/**
 * Runs the bundle once with `args`, shipping to a local intake of this process, and writes the
 * cache of that run to `file`. Only PATH and HOME are passed on: the machine's DD_* variables
 * (and NODE_OPTIONS' V8 flags, which would make V8 refuse the cache later) must not steer it.
 */
async function recordOne({ root, file, runner, args, env, logPrefix }) {
  const { startTestIntake } = await import(`${root}packages/testing/dist/index.js`);
  const { freeTcpPort, freeUdpPort } = await import(`${root}packages/core/dist/testing/index.js`);
  const intake = await startTestIntake();
  try {
    const runEnv = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...env,
      AGENTKIT_RECORD_CODE_CACHE: file,
      DD_API_KEY: '0123456789abcdef0123456789abcdef',
      DD_DD_URL: intake.url,
      DD_DOGSTATSD_PORT: String(await freeUdpPort()),
      DD_APM_RECEIVER_PORT: String(await freeTcpPort()),
      DD_CMD_PORT: '-1',
    };
    rmSync(file, { force: true });
    await new Promise((resolve, reject) => {
      // Async: the intake answers from this process's event loop.
      execFile(process.execPath, [runner, ...args], { env: runEnv }, (error, _stdout, stderr) =>
        error ? reject(new Error(`${logPrefix}: recording the code cache (${args.join(' ')}) failed: ${error.message}\n${stderr}`)) : resolve(),
      );
    });
    try {
      statSync(file);
    } catch {
      throw new Error(`${logPrefix}: the run that records the code cache (${args.join(' ')}) wrote no ${file}: did ${runner} load the bundle just built?`);
    }
  } finally {
    await intake.close();
  }
}
