// The entry of the parser process `ChildScopeExtractor` forks: it parses files one request at
// a time and answers with each file's module scope as JSON. It exists so that the parser's
// memory (oxc-parser's native allocations, released only when V8 collects the objects that
// hold them, and the AST's garbage) lives and dies with this process, not with the agent.
// It imports only the extraction modules: a small, fast-starting process.
import { loadParser, type ParserPreference, type SourceParser } from '../parser.js';
import { extractFileScope } from '../scope-extractor.js';
import type { ChildMessage, ExtractReply, ExtractRequest } from './protocol.js';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

function writeOut(bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(bytes, (error) => (error == null ? resolve() : reject(error))));
}

async function reply(parser: SourceParser, request: ExtractRequest): Promise<ExtractReply> {
  const outcome = await extractFileScope(parser, request.root, request.path);
  const rssBytes = (): number => process.memoryUsage.rss();
  if (!outcome.ok) return { type: 'file', ok: false, reason: outcome.reason, message: outcome.message, rssBytes: rssBytes() };
  let json: Buffer;
  try {
    json = Buffer.from(JSON.stringify(outcome.file.scope), 'utf8');
  } catch (error) {
    return { type: 'file', ok: false, reason: 'failed', message: `the scope cannot be serialised: ${String(error)}`, rssBytes: rssBytes() };
  }
  // The bytes first, then the message that says how many: the parent waits for both.
  await writeOut(json);
  const { relativePath, scopeCount } = outcome.file;
  return { type: 'file', ok: true, relativePath, jsonBytes: json.length, scopeCount, rssBytes: rssBytes() };
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--parser');
  const preference = (at < 0 ? 'auto' : process.argv[at + 1]) as ParserPreference;
  let fallbackReason: string | undefined;
  let parser: SourceParser;
  try {
    parser = await loadParser(preference, (reason) => {
      fallbackReason = reason;
    });
  } catch (error) {
    await send({ type: 'start-failed', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
  // One request at a time: the parent waits for each answer, so the queue never grows.
  let queue = Promise.resolve();
  process.on('message', (request: ExtractRequest) => {
    queue = queue.then(async () => send(await reply(parser, request)));
  });
  // The parent closes the channel to recycle this process, or because it is gone.
  process.on('disconnect', () => process.exit(0));
  await send({ type: 'ready', parser: parser.name, ...(fallbackReason === undefined ? {} : { fallbackReason }) });
}

void main();
