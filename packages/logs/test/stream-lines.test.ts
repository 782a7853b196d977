import { describe, expect, it } from '@jest/globals';
import { CUT_MARK, MAX_LINE_BYTES } from '@agentkit/logs';
import { StreamLines } from '../src/processor/stream-lines.js';

function collect(chunks: readonly (string | Buffer)[], end = true): { text: string; cut: boolean }[] {
  const out: { text: string; cut: boolean }[] = [];
  const lines = new StreamLines();
  for (const c of chunks) lines.push(typeof c === 'string' ? Buffer.from(c) : c, (text, cut) => out.push({ text, cut }));
  if (end) lines.end((text, cut) => out.push({ text, cut }));
  return out;
}

describe('StreamLines', () => {
  it('splits on newlines, joins a line split across chunks, drops the \\r of \\r\\n', () => {
    expect(collect(['a\nb', 'c\r\nd']).map((l) => l.text)).toEqual(['a', 'bc', 'd']);
  });

  it('keeps the last bytes without a newline until the stream ends', () => {
    expect(collect(['one\ntw'], false).map((l) => l.text)).toEqual(['one']);
    expect(collect(['one\ntw']).map((l) => l.text)).toEqual(['one', 'tw']);
  });

  it('turns bytes that are not UTF-8 into U+FFFD and goes on', () => {
    const out = collect([Buffer.from([0xff, 0xfe, 0x00, 0x0a]), 'next\n']);
    expect(out.map((l) => l.text)).toEqual(['\ufffd\ufffd\u0000', 'next']);
  });

  it('cuts a line over MAX_LINE_BYTES into marked pieces, keeping every byte, even when it comes without a newline', () => {
    const long = 'y'.repeat(MAX_LINE_BYTES * 2 + 10);
    const chunks: string[] = [];
    for (let i = 0; i < long.length; i += 65_536) chunks.push(long.slice(i, i + 65_536));
    const out = collect([...chunks, '\nafter\n']);
    expect(out).toHaveLength(4);
    expect(out.slice(0, 3).every((l) => l.cut)).toBe(true);
    expect(out[0]?.text.endsWith(CUT_MARK)).toBe(true);
    expect(out[1]?.text.startsWith(CUT_MARK) && out[1].text.endsWith(CUT_MARK)).toBe(true);
    expect(out[2]?.text).toBe(`${CUT_MARK}${'y'.repeat(10)}`);
    expect(out[3]).toEqual({ text: 'after', cut: false });
    const ys = out.slice(0, 3).reduce((n, l) => n + l.text.replaceAll(CUT_MARK, '').length, 0);
    expect(ys).toBe(long.length);
    for (const l of out) expect(Buffer.byteLength(l.text.replaceAll(CUT_MARK, ''))).toBeLessThanOrEqual(MAX_LINE_BYTES);
  });

  it('never cuts inside a UTF-8 character', () => {
    const long = 'é'.repeat(MAX_LINE_BYTES); // 2 bytes each
    const out = collect([`${long}\n`]);
    expect(out.length).toBeGreaterThan(1);
    expect(out.some((l) => l.text.includes('\ufffd'))).toBe(false);
    expect(out.reduce((n, l) => n + l.text.replaceAll(CUT_MARK, '').length, 0)).toBe(long.length);
  });
});
