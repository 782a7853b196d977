import { describe, expect, it } from '@jest/globals';
import { bundle, createApp } from '../src/index.js';
import { Journal, probe } from './helpers.js';

// Root ← Left, Root ← Right, {Left, Right} ← Top: Left and Right are independent branches.
function diamond(j: Journal, behaviour: { failRight?: boolean } = {}) {
  const root = probe(j, 'Root', [], { startMs: 10, stopMs: 10 });
  const left = probe(j, 'Left', [root.token], { startMs: 60, stopMs: 60 });
  const right = probe(j, 'Right', [root.token], { startMs: 60, stopMs: 60, failStart: behaviour.failRight === true });
  const top = probe(j, 'Top', [left.token, right.token], { startMs: 10, stopMs: 10 });
  return [bundle('d', [top.provider, right.provider, left.provider, root.provider])];
}

describe('parallelStart', () => {
  it('starts independent branches together and each component once its dependencies started', async () => {
    const j = new Journal();
    const app = createApp(diamond(j), { parallelStart: true });
    await app.start();
    expect(j.maxRunning).toBe(2);
    const starts = j.starts();
    expect(starts[0]).toBe('Root');
    expect(starts[3]).toBe('Top');
    expect(new Set(starts.slice(1, 3))).toEqual(new Set(['Left', 'Right']));
    j.maxRunning = 0;
    await app.stop();
    // Stop mirrors it: Top first, both branches together, Root last.
    expect(j.maxRunning).toBe(2);
    expect(j.stops()[0]).toBe('Top');
    expect(j.stops()[3]).toBe('Root');
  });

  it('runs one hook at a time without it', async () => {
    const j = new Journal();
    const app = createApp(diamond(j));
    await app.start();
    await app.stop();
    expect(j.maxRunning).toBe(1);
    expect(j.stops()).toEqual([...j.starts()].reverse());
  });

  it('rolls back every started component after a failure in one branch', async () => {
    const j = new Journal();
    const app = createApp(diamond(j, { failRight: true }), { parallelStart: true });
    await expect(app.start()).rejects.toMatchObject({ component: 'Right', phase: 'start' });
    // Left finished starting while Right failed: both Left and Root are stopped, Top never started.
    expect(j.starts()).not.toContain('Top');
    expect(new Set(j.stops())).toEqual(new Set(['Left', 'Root']));
    expect(j.stops().at(-1)).toBe('Root');
  });
});
