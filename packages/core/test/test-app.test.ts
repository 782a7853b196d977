import { describe, expect, it } from '@jest/globals';
import { bundle, type App } from '../src/index.js';
import { createTestApp } from '../src/testing/index.js';
import { Journal, probe } from './helpers.js';

// The first test leaves its app running; the kit's afterEach must stop it before the second.
describe('createTestApp', () => {
  const j = new Journal();
  let app: App | undefined;

  it('starts an app like createApp does', async () => {
    app = createTestApp([bundle('x', [probe(j, 'A').provider])]);
    await app.start();
    expect(j.entries).toEqual(['start:A']);
  });

  it('has stopped that app after the previous test', () => {
    expect(j.entries).toEqual(['start:A', 'stop:A']);
    expect(app?.state).toBe('stopped');
  });
});
