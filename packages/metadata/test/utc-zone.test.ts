import { describe, expect, it } from '@jest/globals';
import { isUtcZone } from '../src/host/host-payload.js';

// The host payload's time zone is told without Intl when local time is UTC (Intl loads ICU's
// zone data: ~7 MB of RSS); these cases decide when Intl is still asked.
describe('isUtcZone', () => {
  const noLink = (): string | undefined => undefined;
  it('takes TZ when it is set, with or without the leading colon or a zoneinfo path', () => {
    for (const tz of ['UTC', ':UTC', 'Etc/UTC', '/usr/share/zoneinfo/Etc/UTC', 'UTC0', 'Zulu']) expect(isUtcZone(tz, noLink)).toBe(true);
    for (const tz of ['Europe/London', 'GMT', 'America/New_York', 'CET-1CEST']) expect(isUtcZone(tz, () => '/usr/share/zoneinfo/Etc/UTC')).toBe(false);
  });
  it('reads /etc/localtime when TZ is unset or empty: absent means UTC, a link is read, a copied file is unknown', () => {
    expect(isUtcZone(undefined, () => '')).toBe(true);
    expect(isUtcZone('', () => '/usr/share/zoneinfo/Etc/UTC')).toBe(true);
    expect(isUtcZone(undefined, () => '../usr/share/zoneinfo/UTC')).toBe(true);
    expect(isUtcZone(undefined, () => '/usr/share/zoneinfo/Europe/Paris')).toBe(false);
    expect(isUtcZone(undefined, noLink)).toBe(false);
  });
});
