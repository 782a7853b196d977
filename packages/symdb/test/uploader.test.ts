import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundle, provide, replace, type HeapScope } from '@agentkit/core';
import { createTestApp } from '@agentkit/core/testing';
import { commonConfigKeys, loadConfig } from '@agentkit/config';
import { symdbBundle, symdbConfigKeys, SYMDB_UPLOAD_DIRECTORY, SYMDB_UPLOAD_HEAP_SCOPE, SYMDB_UPLOADER } from '@agentkit/symdb';
import { IntakeServer } from './support/intake-server.js';

const servers: IntakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function sources(count: number): string {
  const root = mkdtempSync(join(tmpdir(), 'symdb-component-'));
  for (let i = 0; i < count; i++) writeFileSync(join(root, `m${i}.ts`), `export class C${i} {\n  run(x: number): number {\n    return x;\n  }\n}\n`);
  return root;
}

function config(env: Record<string, string>) {
  return loadConfig({ keys: [...commonConfigKeys, ...symdbConfigKeys], env });
}

describe('symdbBundle', () => {
  it('uploads the directory once in the background, after start returned', async () => {
    const server = await IntakeServer.start();
    servers.push(server);
    const app = createTestApp([symdbBundle, replace(SYMDB_UPLOAD_DIRECTORY, sources(20))], {
      config: config({ DD_SYMBOL_DATABASE_UPLOAD_ENABLED: 'true', DD_SYMDB_URL: server.url, DD_SERVICE: 'web', DD_VERSION: '7', DD_ENV: 'dev', DD_SYMDB_FLUSH_THRESHOLD_BYTES: '0' }),
    });
    await app.start();
    const uploader = app.get(SYMDB_UPLOADER);
    // Start returned before a single file was read: readiness does not wait for the upload.
    expect(uploader.state).toBe('running');
    expect(server.requests).toHaveLength(0);
    // The upload yields between files: other work (a timer here) runs while it is part-way,
    // between its first file and its last.
    const filesSeenByTimer = new Set<number>();
    const timer = setInterval(() => filesSeenByTimer.add(app.telemetry()['SymdbUploader']?.['files'] ?? -1), 0);
    const summary = await uploader.whenDone();
    clearInterval(timer);
    expect([...filesSeenByTimer].some((files) => files > 0 && files < 20)).toBe(true);
    expect(uploader.state).toBe('done');
    expect(summary).toMatchObject({ files: 20, batches: 20 });
    expect(server.requests.map((r) => r.envelope.scopes[0]?.name)).toEqual([...Array(20).keys()].map((i) => `m${i}.ts`).sort());
    expect(server.requests[0]?.envelope).toMatchObject({ service: 'web', version: '7', env: 'dev' });
    expect(server.requests.at(-1)?.envelope.final).toBe(true);
    expect(app.telemetry()['SymdbUploader']).toMatchObject({ files: 20, batches: 20, failed: 0 });
  });

  it('is off unless symbol_database_upload_enabled is set', () => {
    const app = createTestApp([symdbBundle], { config: config({}) });
    expect(app.bundles()).toEqual([expect.objectContaining({ name: 'symdb', enabled: false })]);
  });

  it('a failed upload does not fail the app, which stops cleanly', async () => {
    const server = await IntakeServer.start([400]);
    servers.push(server);
    const app = createTestApp([symdbBundle, replace(SYMDB_UPLOAD_DIRECTORY, sources(2))], {
      config: config({ DD_SYMBOL_DATABASE_UPLOAD_ENABLED: 'true', DD_SYMDB_URL: server.url }),
    });
    await app.start();
    const uploader = app.get(SYMDB_UPLOADER);
    expect(await uploader.whenDone()).toBeUndefined();
    expect(uploader.state).toBe('failed');
    await app.stop();
  });

  it('aborts an upload still running when the app stops', async () => {
    const server = await IntakeServer.start();
    servers.push(server);
    const app = createTestApp([symdbBundle, replace(SYMDB_UPLOAD_DIRECTORY, sources(300))], {
      config: config({ DD_SYMBOL_DATABASE_UPLOAD_ENABLED: 'true', DD_SYMDB_URL: server.url, DD_SYMDB_FLUSH_THRESHOLD_BYTES: '0' }),
    });
    await app.start();
    await app.stop();
    const uploader = app.get(SYMDB_UPLOADER);
    expect(uploader.state).toBe('aborted');
    expect(server.requests.length).toBeLessThan(300);
  });

  describe('SYMDB_UPLOAD_HEAP_SCOPE', () => {
    /** A scope that records when it is entered and left, and what the uploader had done by then. */
    function recordingScope(app: () => { telemetry(): Record<string, Record<string, number>> }) {
      const events: { what: 'enter' | 'leave'; files: number }[] = [];
      const files = (): number => app().telemetry()['SymdbUploader']?.['files'] ?? -1;
      const scope: HeapScope = {
        enter: () => {
          events.push({ what: 'enter', files: files() });
          return () => events.push({ what: 'leave', files: files() });
        },
      };
      return { scope, events, bundle: bundle('heap-scope', [provide(SYMDB_UPLOAD_HEAP_SCOPE, { useValue: scope })]) };
    }

    it('is entered when the upload starts and left once when it has ended', async () => {
      const server = await IntakeServer.start();
      servers.push(server);
      const recording = recordingScope(() => app);
      const app = createTestApp([symdbBundle, recording.bundle, replace(SYMDB_UPLOAD_DIRECTORY, sources(10))], {
        config: config({ DD_SYMBOL_DATABASE_UPLOAD_ENABLED: 'true', DD_SYMDB_URL: server.url, DD_SYMDB_FLUSH_THRESHOLD_BYTES: '0' }),
      });
      await app.start();
      const uploader = app.get(SYMDB_UPLOADER);
      // Midway: entered before the first file, not left.
      const seenMidway = new Set<string>();
      const timer = setInterval(() => {
        const files = app.telemetry()['SymdbUploader']?.['files'] ?? 0;
        if (files > 0 && files < 10) seenMidway.add(recording.events.map((e) => e.what).join(','));
      }, 0);
      await uploader.whenDone();
      clearInterval(timer);
      expect([...seenMidway]).toEqual(['enter']);
      expect(recording.events).toEqual([
        { what: 'enter', files: 0 },
        { what: 'leave', files: 10 },
      ]);
      expect(uploader.state).toBe('done');
      await app.stop();
      expect(recording.events).toHaveLength(2);
    });

    it('is left when the upload fails, and when it is aborted by the stop', async () => {
      const refused = await IntakeServer.start([400]);
      servers.push(refused);
      const onFailure = recordingScope(() => failing);
      const failing = createTestApp([symdbBundle, onFailure.bundle, replace(SYMDB_UPLOAD_DIRECTORY, sources(2))], {
        config: config({ DD_SYMBOL_DATABASE_UPLOAD_ENABLED: 'true', DD_SYMDB_URL: refused.url }),
      });
      await failing.start();
      await failing.get(SYMDB_UPLOADER).whenDone();
      expect(failing.get(SYMDB_UPLOADER).state).toBe('failed');
      expect(onFailure.events.map((e) => e.what)).toEqual(['enter', 'leave']);
      await failing.stop();

      const server = await IntakeServer.start();
      servers.push(server);
      const onAbort = recordingScope(() => stopped);
      const stopped = createTestApp([symdbBundle, onAbort.bundle, replace(SYMDB_UPLOAD_DIRECTORY, sources(300))], {
        config: config({ DD_SYMBOL_DATABASE_UPLOAD_ENABLED: 'true', DD_SYMDB_URL: server.url, DD_SYMDB_FLUSH_THRESHOLD_BYTES: '0' }),
      });
      await stopped.start();
      // Once the upload is under way (its first batch sent), the stop aborts it.
      while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
      await stopped.stop();
      expect(stopped.get(SYMDB_UPLOADER).state).toBe('aborted');
      expect(onAbort.events.map((e) => e.what)).toEqual(['enter', 'leave']);
      expect(onAbort.events[1]?.files).toBeLessThan(300);
    });
  });
});
