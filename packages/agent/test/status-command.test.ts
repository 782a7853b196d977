import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@agentkit/config';
import { AGENTKIT_VERSION, bundle, provide, token } from '@agentkit/core';
import { createTestApp } from '@agentkit/core/testing';
import { parseCommandArgs, UsageError, type CommandIO } from '../src/command.js';
import { statusCommand } from '../src/commands/status-command.js';
import { statusConfigKeys } from '../src/status/config-keys.js';
import { STATUS_SERVER, type StatusDocument } from '../src/status/status-server.def.js';
import { statusBundle } from '../src/status/status.module.js';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function runStatus(argv: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env };
  const code = await statusCommand.run(parseCommandArgs(statusCommand, argv), io);
  return { code, stdout, stderr };
}

/** A running app: a stage with counters (one drop) and the status server on a free port. */
async function runningAgent(): Promise<number> {
  const STAGE = token<object>('PipelineStage');
  const counters = { packets: 1200, 'dropped.queue_full': 3, queue_depth: 0 };
  const config = loadConfig({ keys: statusConfigKeys, env: {}, overrides: { cmd_port: 0 } });
  const app = createTestApp([bundle('stage', [provide(STAGE, { useValue: { telemetry: () => counters } })]), statusBundle], { config });
  await app.start();
  return app.get(STATUS_SERVER).port;
}

function listen<T extends Server | ReturnType<typeof createHttpServer>>(server: T): Promise<T> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function close(server: Server | ReturnType<typeof createHttpServer>): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port nothing listens on (it was free a moment ago). */
async function deadPort(): Promise<number> {
  const server = await listen(createServer());
  const port = (server.address() as AddressInfo).port;
  await close(server);
  return port;
}

function noAgentMessage(port: number): string {
  return `agentkit status: no agent answers on 127.0.0.1:${port} (cmd_port). Start one with 'agentkit run', or set --port / DD_CMD_PORT.\n`;
}

describe('agentkit status', () => {
  describe('with an agent running', () => {
    it('prints the header, each component with its counters, and marks non-zero drops', async () => {
      const port = await runningAgent();
      const { code, stdout, stderr } = await runStatus(['--port', String(port)]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const lines = stdout.split('\n');
      expect(lines[0]).toMatch(new RegExp(`^agentkit ${AGENTKIT_VERSION.replace(/\./g, '\\.')} on 127\\.0\\.0\\.1:${port}: pid ${process.pid}, up \\d`));
      expect(lines).toContain('PipelineStage');
      expect(lines).toContain('StatusServer');
      expect(lines.find((l) => l.trimStart().startsWith('dropped.queue_full'))).toMatch(/ 3 {2}!$/);
      expect(lines.find((l) => l.trimStart().startsWith('packets'))).toMatch(/ 1200$/);
      expect(stdout).toContain('1 drop counter is non-zero');
    });

    it('prints the agent\'s JSON with --json', async () => {
      const port = await runningAgent();
      const { code, stdout } = await runStatus(['--json', '-p', String(port)]);
      expect(code).toBe(0);
      const doc = JSON.parse(stdout) as StatusDocument;
      expect(doc.pid).toBe(process.pid);
      expect(doc.components['PipelineStage']).toEqual({ packets: 1200, 'dropped.queue_full': 3, queue_depth: 0 });
    });

    it('finds the port in DD_CMD_PORT and in the --config file', async () => {
      const port = await runningAgent();
      const fromEnv = await runStatus(['--json'], { DD_CMD_PORT: String(port) });
      expect(fromEnv.code).toBe(0);
      const file = join(mkdtempSync(join(tmpdir(), 'agentkit-status-')), 'agentkit.yaml');
      writeFileSync(file, `cmd_port: ${port}\nsome_other_key: [1, 2]\n`);
      const fromFile = await runStatus(['--json', '--config', file]);
      expect(fromFile.code).toBe(0);
      expect(JSON.parse(fromFile.stdout)).toHaveProperty('components.PipelineStage');
    });
  });

  describe('with no agent', () => {
    it('exits 1 and says where it asked and how to fix it', async () => {
      const port = await deadPort();
      const { code, stdout, stderr } = await runStatus(['--port', String(port)]);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe(noAgentMessage(port));
    });

    it('gives up on a port that accepts but never answers', async () => {
      // Reads (so it sees the client go away) but never writes.
      const silent = await listen(createServer((socket) => socket.on('error', () => undefined).resume()));
      try {
        const port = (silent.address() as AddressInfo).port;
        const { code, stderr } = await runStatus(['--port', String(port)]);
        expect(code).toBe(1);
        expect(stderr).toBe(noAgentMessage(port));
      } finally {
        await close(silent);
      }
    });

    it('exits 1 when another program answers on the port', async () => {
      const other = await listen(createHttpServer((_req, res) => res.writeHead(404).end('nope')));
      try {
        const port = (other.address() as AddressInfo).port;
        const { code, stderr } = await runStatus(['--port', String(port)]);
        expect(code).toBe(1);
        expect(stderr).toContain(`127.0.0.1:${port} answered (HTTP 404) but not as an agentkit status server`);
      } finally {
        other.closeAllConnections();
        await close(other);
      }
    });

    it('says the server is off when cmd_port is -1, and asks for --port when it is 0', async () => {
      const off = await runStatus([], { DD_CMD_PORT: '-1' });
      expect(off.code).toBe(1);
      expect(off.stderr).toContain('the status server is off (cmd_port = -1)');
      const any = await runStatus([], { DD_CMD_PORT: '0' });
      expect(any.code).toBe(1);
      expect(any.stderr).toContain('pass it with --port');
    });
  });

  it('refuses a --port that is not a port', async () => {
    for (const bad of ['0', '70000', 'abc', '-3']) {
      await expect(runStatus([`--port=${bad}`])).rejects.toBeInstanceOf(UsageError);
    }
  });

  it('documents its options', () => {
    for (const option of ['--config', '--port', '--json', 'DD_CMD_PORT']) expect(statusCommand.help).toContain(option);
    expect(statusCommand.help).toMatch(/^Usage: agentkit status/);
  });
});
