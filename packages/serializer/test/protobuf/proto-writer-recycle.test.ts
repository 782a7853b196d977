import { describe, expect, it } from '@jest/globals';
import { ProtoWriter } from '../../src/protobuf/proto-writer.js';

describe('ProtoWriter.recycle', () => {
  it('lets the next detach write into a buffer given back, and keeps the bytes right', () => {
    const w = new ProtoWriter(16 * 1024);
    w.raw(Buffer.alloc(9000, 1));
    const first = w.detach(9000);
    w.recycle(first);
    w.raw(Buffer.alloc(5000, 2));
    w.raw(Buffer.from('tail'));
    const second = w.detach(5000);
    // The head now lives in the buffer the first detach handed out.
    expect(w.detach(w.length).buffer).toBe(first.buffer);
    expect(second.equals(Buffer.alloc(5000, 2))).toBe(true);
  });

  it('ignores a buffer it did not hand out', () => {
    const w = new ProtoWriter(16 * 1024);
    w.recycle(Buffer.alloc(64 * 1024));
    w.raw(Buffer.from('headtail'));
    const head = w.detach(4);
    expect(head.toString()).toBe('head');
    expect(w.toBuffer().toString()).toBe('tail');
  });
});
