import { describe, expect, it } from '@jest/globals';
import { hostname } from 'node:os';
import { commonConfigKeys } from '../src/config-keys.js';
import { resolveHostname } from '../src/hostname.js';
import { loadConfig } from '../src/load-config.js';

describe('resolveHostname', () => {
  it('uses DD_HOSTNAME when set', () => {
    expect(resolveHostname(loadConfig({ keys: commonConfigKeys, env: { DD_HOSTNAME: 'web-1' } }))).toBe('web-1');
  });

  it("falls back to the machine's name", () => {
    expect(resolveHostname(loadConfig({ keys: commonConfigKeys, env: {} }))).toBe(hostname());
  });
});
