import { describe, expect, it } from '@jest/globals';
import { maskSecret } from '../src/mask.js';

describe('maskSecret', () => {
  it('shows only the last 5 characters of a long secret, like the Agent', () => {
    expect(maskSecret('0123456789abcdef0123456789aab12c')).toBe(`${'*'.repeat(27)}ab12c`);
  });

  it('stars short values entirely, hiding their length', () => {
    expect(maskSecret('short')).toBe('********');
    expect(maskSecret('a-19-character-key!')).toBe('********');
  });

  it('keeps an empty value empty so "unset" stays visible', () => {
    expect(maskSecret('')).toBe('');
  });
});
