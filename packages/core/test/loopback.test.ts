import { describe, expect, it } from '@jest/globals';
import { isLoopbackIp } from '../src/index.js';

describe('isLoopbackIp', () => {
  it('is true for 127.0.0.0/8, ::1 and their long and IPv4-mapped forms', () => {
    for (const ip of ['127.0.0.1', '127.255.0.9', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) expect({ ip, loopback: isLoopbackIp(ip) }).toEqual({ ip, loopback: true });
  });

  it('is false for other addresses and for names, localhost included (names are not resolved)', () => {
    for (const ip of ['128.0.0.1', '10.0.0.1', '::2', '::ffff:10.0.0.1', 'localhost', '', '[::1]']) expect({ ip, loopback: isLoopbackIp(ip) }).toEqual({ ip, loopback: false });
  });
});
