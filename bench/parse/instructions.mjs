// Instructions per parsed line, counted by valgrind's callgrind: unlike time, the count is the
// same from run to run whatever else the machine is doing, so two versions of the parser can be
// compared on a shared machine. Runs parse.mjs with PARSE_ITERATIONS=low and =high and divides
// the difference by the lines parsed in between (start-up and warm-up cancel out).
// Usage: npx tsc -b packages/dogstatsd && node bench/parse/instructions.mjs [low=10] [high=30]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const low = Number(process.argv[2] ?? 10);
const high = Number(process.argv[3] ?? 30);
const LINES_PER_ITERATION = 1024 * 20;
const script = fileURLToPath(new URL('./parse.mjs', import.meta.url));

function instructions(iterations) {
  const dir = mkdtempSync(join(tmpdir(), 'callgrind-'));
  const env = { ...process.env, PARSE_ITERATIONS: String(iterations) };
  delete env.NODE_EXTRA_CA_CERTS;
  const result = spawnSync(
    'valgrind',
    ['--tool=callgrind', `--callgrind-out-file=${join(dir, 'out')}`, process.execPath, '--single-threaded', script],
    { env, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`valgrind failed: ${result.stderr.slice(-500)}`);
  const out = readFileSync(join(dir, readdirSync(dir)[0]), 'utf8');
  const total = /^summary: (\d+)/m.exec(out) ?? /^totals: (\d+)/m.exec(out);
  return Number(total[1]);
}

const a = instructions(low);
const b = instructions(high);
const perLine = (b - a) / ((high - low) * LINES_PER_ITERATION);
console.log(`parse+enrich: ${perLine.toFixed(0)} instructions per line (callgrind, ${low} vs ${high} iterations of ${LINES_PER_ITERATION} lines, node ${process.version})`);
