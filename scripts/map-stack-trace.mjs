// Maps the positions of a stack trace in the CLI's one-file bundle (`agentkit.cjs:<line>:<column>`,
// compact: scripts/esbuild-plugins.mjs, ONE_FILE_SOURCE) to the TypeScript sources, through the
// source map the same build wrote beside the bundle. For a trace already written (a log line,
// a bug report); a process started with NODE_OPTIONS=--enable-source-maps writes mapped traces
// itself (the npm CLI: packages/agent/bin/cached-bundle.cjs). The map must be the one of the
// build that ran: another build's positions mean nothing.
// Usage: node scripts/map-stack-trace.mjs [--map <file.map>] < trace.txt
//   --map: by default the npm CLI's, packages/agent/dist/one-file/agentkit.cjs.map; the single
//   executable's is dist/agentkit.cjs.map (its traces name `agentkit.cjs`).
// Reads stdin, writes it to stdout with each position mapped (`packages/config/src/errors.ts:57:12`,
// relative to the current directory when under it); a JSON log line stays one line.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { map: { type: 'string', default: fileURLToPath(new URL('../packages/agent/dist/one-file/agentkit.cjs.map', import.meta.url)) } } });
const mapFile = path.resolve(values.map);
const sourceMap = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
const mapDir = path.dirname(mapFile);

// A frame's position in the bundle, however its path was written (absolute, relative, a file: URL).
const FRAME_POSITION = /(?:file:\/\/)?(?:[^\s()"'\\]*\/)?agentkit\.cjs:(\d+):(\d+)/g;

/** `source:line:column` for the bundle's 1-based `line` and `column`, or undefined when the map has nothing there. */
function mapped(line, column) {
  const entry = sourceMap.findEntry(line - 1, column - 1);
  if (entry?.originalSource === undefined) return undefined;
  const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : path.resolve(mapDir, entry.originalSource);
  const relative = path.relative(process.cwd(), source);
  const shown = relative.startsWith('..') || path.isAbsolute(relative) ? source : relative;
  return `${shown}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
}

const input = readFileSync(0, 'utf8');
process.stdout.write(input.replace(FRAME_POSITION, (whole, line, column) => mapped(Number(line), Number(column)) ?? whole));
