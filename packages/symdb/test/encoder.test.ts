import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { GzipBatchEncoder, SymdbEncodeError, type EncodedBatch } from '@agentkit/symdb';
import type { Envelope } from './support/intake-server.js';

const identity = { service: 'svc "quoted"', version: '1.2.3', env: 'prod', uploadId: '5b0cfd1e-3c3f-4c5c-9d63-8a3d0c9f0a11' };

interface Received {
  readonly batch: EncodedBatch;
  readonly envelope: Envelope;
}

/** A sink that keeps a copy of every batch and decodes it, as the intake would. */
function collector(): { sink: { send(batch: EncodedBatch): Promise<void> }; received: Received[] } {
  const received: Received[] = [];
  return {
    received,
    sink: {
      send(batch) {
        const gzip = Buffer.concat(batch.gzipChunks);
        expect(gzip.length).toBe(batch.gzipBytes);
        received.push({ batch: { ...batch, gzipChunks: [gzip] }, envelope: JSON.parse(gunzipSync(gzip).toString('utf8')) as Envelope });
        return Promise.resolve();
      },
    },
  };
}

function scope(name: string, payload = ''): { scope_type: string; name: string; payload: string } {
  return { scope_type: 'module', name, payload };
}

async function encodeAll(scopes: readonly object[], flushThresholdBytes: number): Promise<{ received: Received[]; encoder: GzipBatchEncoder }> {
  const { sink, received } = collector();
  const encoder = new GzipBatchEncoder({ identity, flushThresholdBytes, sink });
  for (const s of scopes) await encoder.add(s);
  await encoder.flush(true);
  return { received, encoder };
}

describe('GzipBatchEncoder', () => {
  it('writes the envelope around the scopes, with final on the one batch', async () => {
    const { received } = await encodeAll([scope('a.js'), scope('b.js')], 2 * 1024 * 1024);
    expect(received).toHaveLength(1);
    expect(received[0]?.envelope).toEqual({
      service: 'svc "quoted"',
      version: '1.2.3',
      env: 'prod',
      language: 'javascript',
      upload_id: identity.uploadId,
      batch_num: 1,
      scopes: [scope('a.js'), scope('b.js')],
      final: true,
    });
    expect(received[0]?.batch).toMatchObject({ batchNum: 1, final: true, scopeCount: 2 });
  });

  it.each([0, -1])('with a threshold of %d sends one batch per scope, numbered from 1, final only on the last', async (threshold) => {
    const { received, encoder } = await encodeAll(['a', 'b', 'c', 'd'].map((n) => scope(n)), threshold);
    expect(received.map((r) => [r.envelope.batch_num, r.envelope.final, r.envelope.scopes.map((s) => s.name)])).toEqual([
      [1, false, ['a']],
      [2, false, ['b']],
      [3, false, ['c']],
      [4, true, ['d']],
    ]);
    expect(new Set(received.map((r) => r.envelope.upload_id))).toEqual(new Set([identity.uploadId]));
    expect(encoder.batchesSent).toBe(4);
  });

  it('treats a flush with nothing in it as a no-op, even a final one', async () => {
    const { sink, received } = collector();
    const encoder = new GzipBatchEncoder({ identity, flushThresholdBytes: 0, sink });
    await encoder.flush(true);
    await encoder.flush(false);
    expect(received).toHaveLength(0);
    await encoder.add(scope('a'));
    await encoder.flush(false);
    await encoder.flush(true); // nothing since the last flush: no empty final batch
    expect(received.map((r) => [r.envelope.batch_num, r.envelope.final])).toEqual([[1, false]]);
    await encoder.add(scope('b'));
    await encoder.flush(true);
    expect(received.map((r) => [r.envelope.batch_num, r.envelope.final])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it('cuts batches at tiny thresholds and never exceeds the cap, even with incompressible scopes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 400, max: 8192 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.boolean()), { minLength: 1, maxLength: 60 }),
        async (cap, specs) => {
          const scopes = specs.map(([size, random], i) => scope(`s${i}`, random ? randomBytes(size).toString('base64') : 'x'.repeat(size)));
          const { received, encoder } = await encodeAll(scopes, cap);
          for (const r of received) expect(r.batch.gzipBytes).toBeLessThanOrEqual(cap);
          // Every scope arrives once, in order, unless it could not fit a batch of its own.
          const delivered = received.flatMap((r) => r.envelope.scopes.map((s) => s.name));
          expect(delivered.length + encoder.scopesDropped).toBe(scopes.length);
          expect(delivered).toEqual(scopes.map((s) => s.name).filter((n) => delivered.includes(n)));
          expect(received.map((r) => r.envelope.batch_num)).toEqual(received.map((_, i) => i + 1));
          expect(received.map((r) => r.envelope.final)).toEqual(received.map((_, i) => i === received.length - 1));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('fills batches close to the cap when scopes are small', async () => {
    const cap = 16 * 1024;
    const scopes = Array.from({ length: 3000 }, (_, i) => scope(`file-${i}.js`, `${randomBytes(24).toString('hex')}-${'abc'.repeat(i % 50)}`));
    const { received } = await encodeAll(scopes, cap);
    expect(received.length).toBeGreaterThan(3);
    for (const r of received.slice(0, -1)) {
      expect(r.batch.gzipBytes).toBeLessThanOrEqual(cap);
      expect(r.batch.gzipBytes).toBeGreaterThan(cap * 0.9);
    }
  });

  it('drops and counts a scope too large for a batch of its own, and goes on', async () => {
    const dropped: number[] = [];
    const { sink, received } = collector();
    const encoder = new GzipBatchEncoder({ identity, flushThresholdBytes: 2048, sink, onScopeDropped: (bytes) => dropped.push(bytes) });
    await encoder.add(scope('small-1'));
    await encoder.add(scope('huge', randomBytes(8192).toString('base64')));
    await encoder.add(scope('small-2'));
    await encoder.flush(true);
    expect(received.flatMap((r) => r.envelope.scopes.map((s) => s.name))).toEqual(['small-1', 'small-2']);
    expect(received.map((r) => r.envelope.batch_num)).toEqual(received.map((_, i) => i + 1));
    expect(encoder.scopesDropped).toBe(1);
    expect(dropped).toHaveLength(1);
  });

  it('rejects a scope that cannot be serialised with SymdbEncodeError and sends nothing', async () => {
    const { sink, received } = collector();
    const encoder = new GzipBatchEncoder({ identity, flushThresholdBytes: 0, sink });
    await expect(encoder.add({ scope_type: 'module', name: 'x', size: 1n })).rejects.toBeInstanceOf(SymdbEncodeError);
    await encoder.flush(true);
    expect(received).toHaveLength(0);
  });
});
