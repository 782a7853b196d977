import { describe, expect, it } from '@jest/globals';
import { maskSecret, maskUrlPassword } from '../src/mask.js';

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

describe('maskUrlPassword', () => {
  it('stars the password of a URL and keeps the user, host and port readable', () => {
    expect(maskUrlPassword('http://alice:s3cret@proxy:3128')).toBe('http://alice:********@proxy:3128');
    expect(maskUrlPassword('https://alice:p@ss@proxy:3128/path')).toBe('https://alice:********@proxy:3128/path');
  });

  it('stars a userinfo without a password whole (a token), with or without a scheme', () => {
    expect(maskUrlPassword('http://tok3n@proxy:3128')).toBe('http://********@proxy:3128');
    expect(maskUrlPassword('alice:s3cret@proxy:3128')).toBe('alice:********@proxy:3128');
  });

  it('leaves URLs without credentials, and empty values, as they are', () => {
    expect(maskUrlPassword('http://proxy:3128')).toBe('http://proxy:3128');
    expect(maskUrlPassword('proxy:3128')).toBe('proxy:3128');
    expect(maskUrlPassword('')).toBe('');
  });
});
