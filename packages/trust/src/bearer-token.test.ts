import { describe, expect, it } from 'vitest';
import { carriesBearerToken } from './bearer-token';

const TOKEN = 'scrape-token-0123456789abcdef';

describe('carriesBearerToken', () => {
  it('accepts exactly `Bearer <token>`', () => {
    expect(carriesBearerToken(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another scheme', `Basic ${TOKEN}`],
    ['a lower-case scheme', `bearer ${TOKEN}`],
    ['another token', 'Bearer scrape-token-0123456789abcdeX'],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`],
    ['the token and more', `Bearer ${TOKEN}x`],
    ['no token', 'Bearer '],
  ])('refuses %s', (_what, header) => {
    expect(carriesBearerToken(header, TOKEN)).toBe(false);
  });
});
