import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SENDER = fileURLToPath(new URL('./send-udp.mjs', import.meta.url));

/**
 * Sends `lines` over UDP to 127.0.0.1:`port` from another process (./send-udp.mjs), as an
 * application would; resolves to the count the sender reports sent.
 */
export function sendLinesFromChild(port: number, lines: readonly string[]): Promise<number> {
  const file = join(mkdtempSync(join(tmpdir(), 'agentkit-lines-')), 'lines.txt');
  writeFileSync(file, lines.join('\n'));
  const env = { ...process.env };
  delete env['NODE_EXTRA_CA_CERTS']; // costs ~150 ms per Node start on these machines
  const child = spawn(process.execPath, [SENDER, String(port), file], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`sender exited ${code}`)))));
}
