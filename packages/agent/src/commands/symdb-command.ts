import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { loggerFromConfig } from '@agentkit/log';
import { symdbUploadSettings, uploadDirectory, walkSourceFiles, type UploadProgress, type UploadSummary } from '@agentkit/symdb';
import { CONFIG_OPTION, UsageError, type Command, type CommandIO } from '../command.js';
import { loadAgentConfig } from '../agent-config.js';
import { warnUnknown } from './config-command.js';
import { monotonicNowMs } from '@agentkit/core';

/** Redraw the progress bar at most this often: a terminal does not need more. */
const PROGRESS_INTERVAL_MS = 100;
const BAR_WIDTH = 24;
const PROGRESS_MODES = ['auto', 'always', 'never'] as const;

export const symdbCommand: Command = {
  name: 'symdb',
  help: `Usage: agentkit symdb upload <dir> [--service <name>] [--version <v>] [--env <env>] [--config <file>]

Extracts the symbol database of the JavaScript and TypeScript sources under <dir> (modules,
classes, functions, methods, closures, arguments, locals, with their lines) and uploads it,
gzip-compressed in batches of at most symdb_flush_threshold_bytes, to:
  symdb_url if set; else, with an API key, the debugger intake of site; else the local
  intake on 127.0.0.1:local_intake_port.
node_modules and dot-folders are skipped (symdb_exclude_dirs). Files that cannot be parsed
are counted and skipped.

Options:
  -s, --service <name>  Service (default: DD_SERVICE, else the name in <dir>/package.json, else the folder name)
      --version <v>     Version (default: DD_VERSION)
  -e, --env <env>       Environment (default: DD_ENV)
  -c, --config <file>   YAML configuration file (datadog.yaml style)
      --progress <when> auto (a progress bar when stderr is a terminal), always or never
  -h, --help            Show this help
`,
  options: {
    ...CONFIG_OPTION,
    service: { type: 'string', short: 's' },
    version: { type: 'string' },
    env: { type: 'string', short: 'e' },
    progress: { type: 'string', default: 'auto' },
  },
  async run(args, io) {
    const [action, dir, ...extra] = args.positionals;
    if (action !== 'upload') throw new UsageError(action === undefined ? 'missing action: agentkit symdb upload <dir>' : `unknown action "${action}" (expected "upload")`);
    if (dir === undefined) throw new UsageError('missing <dir>: agentkit symdb upload <dir>');
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const progressMode = args.values['progress'] as string;
    if (!(PROGRESS_MODES as readonly string[]).includes(progressMode)) throw new UsageError(`--progress must be one of ${PROGRESS_MODES.join(', ')}`);

    const config = loadAgentConfig(args.values['config'] as string | undefined, io.env);
    warnUnknown(config, io.stderr);
    const directory = resolve(dir);
    const settings = symdbUploadSettings(config);
    const flag = (name: string): string | undefined => args.values[name] as string | undefined;
    const service = flag('service') ?? (settings.service || (await packageName(directory)) || basename(directory));
    const showBar = progressMode === 'always' || (progressMode === 'auto' && process.stderr.isTTY === true);
    const bar = showBar ? await ProgressBar.start(directory, settings.excludeDirs, io) : undefined;
    let summary: UploadSummary;
    try {
      summary = await uploadDirectory({
        ...settings,
        directory,
        service,
        version: flag('version') ?? settings.version,
        env: flag('env') ?? settings.env,
        logger: loggerFromConfig(config),
        ...(bar === undefined ? {} : { onProgress: (p: UploadProgress) => bar.update(p) }),
      });
    } catch (error) {
      bar?.end();
      // An UploadError without a status: nothing answered.
      const { code, status } = (error ?? {}) as { code?: unknown; status?: unknown };
      if (code === 'ERR_SYMDB_UPLOAD' && status === undefined && settings.destination.kind === 'local_intake') {
        io.stderr(
          `agentkit symdb: ${(error as Error).message}\nNo local intake is listening: start one (agentkit intake), or set api_key (DD_API_KEY) or symdb_url (DD_SYMDB_URL).\n`,
        );
        return 1;
      }
      throw error;
    }
    bar?.end();
    io.stdout(`${formatSummary(summary, settings.destination.url)}\n`);
    return 0;
  },
};

async function packageName(directory: string): Promise<string | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(directory, 'package.json'), 'utf8')) as { name?: unknown };
    return typeof parsed.name === 'string' && parsed.name !== '' ? parsed.name : undefined;
  } catch {
    return undefined;
  }
}

function formatSummary(s: UploadSummary, url: string): string {
  const skipped = [
    s.filesFailed > 0 ? `${s.filesFailed} unparsable` : '',
    s.filesUnsupported > 0 ? `${s.filesUnsupported} need oxc-parser` : '',
    s.scopesDropped > 0 ? `${s.scopesDropped} too large` : '',
  ].filter((part) => part !== '');
  return (
    `symdb: ${s.files} files${skipped.length > 0 ? ` (${skipped.join(', ')})` : ''}, ${s.scopes} scopes, ` +
    `${s.batches} batch${s.batches === 1 ? '' : 'es'}, ${formatBytes(s.compressedBytes)} gzip to ${url} ` +
    `in ${(s.durationMs / 1000).toFixed(1)} s (upload_id ${s.uploadId}, parser ${s.parser})`
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** One line on stderr, redrawn in place: files (of the total found by a first walk), scopes, bytes, batches. */
class ProgressBar {
  readonly #total: number;
  readonly #io: CommandIO;
  #lastDrawMs = 0;
  #last: UploadProgress | undefined;

  private constructor(total: number, io: CommandIO) {
    this.#total = total;
    this.#io = io;
  }

  /** Counting the files first costs one directory walk (no reads) and gives the bar its 100 %. */
  public static async start(directory: string, excludeDirs: readonly string[], io: CommandIO): Promise<ProgressBar> {
    let total = 0;
    try {
      for await (const _ of walkSourceFiles(directory, { excludeDirs })) total++;
    } catch {
      total = 0; // the upload reports the unreadable directory itself
    }
    return new ProgressBar(total, io);
  }

  public update(progress: UploadProgress): void {
    this.#last = progress;
    const now = monotonicNowMs();
    if (now - this.#lastDrawMs < PROGRESS_INTERVAL_MS) return;
    this.#lastDrawMs = now;
    this.#draw(progress);
  }

  public end(): void {
    if (this.#last !== undefined) this.#draw(this.#last);
    this.#io.stderr('\n');
  }

  #draw(p: UploadProgress): void {
    const ratio = this.#total === 0 ? 1 : Math.min(1, p.files / this.#total);
    const filled = Math.round(ratio * BAR_WIDTH);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${Math.floor(ratio * 100)}%`;
    this.#io.stderr(`\r\x1b[K${bar} ${p.files}/${this.#total} files · ${p.scopes} scopes · ${formatBytes(p.compressedBytes)} gzip · ${p.batches} batches`);
  }
}
