// Pure checks of password hashing and the badge lookup (node's scrypt and HMAC; nothing mocked).
import { describe, expect, it } from 'vitest';
import { hashPassword, SCRYPT_PARAMS, verifyPassword } from './password-hash';
import { badgeLookup, sha256Hex } from './secrets';

describe('password hashing', () => {
  it('verifies the password it hashed and no other, with a new salt every time', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsE', stored)).toBe(false);
    expect(await hashPassword('correct horse')).not.toBe(stored);
    expect(SCRYPT_PARAMS.N).toBe(2 ** 15);
  });

  it('reads the parameters from the stored hash, and refuses ones it must not run', async () => {
    const stored = await hashPassword('pw');
    const [, , , , salt, hash] = stored.split('$');
    // Another N gives another key: the stored parameters are the ones used.
    expect(await verifyPassword('pw', ['scrypt', 16384, 8, 1, salt, hash].join('$'))).toBe(false);
    for (const bad of [
      ['scrypt', 2 ** 21, 8, 1, salt, hash].join('$'), // would need 2 GiB
      ['bcrypt', 32768, 8, 1, salt, hash].join('$'),
      'scrypt$32768$8$1$$',
      'not a hash',
    ]) {
      expect(await verifyPassword('pw', bad)).toBe(false);
    }
  });
});

describe('badge lookup', () => {
  it('is a keyed hash: the same badge gives another value under another pepper', () => {
    const a = badgeLookup('p'.repeat(32), '0001');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(badgeLookup('p'.repeat(32), '0001')).toBe(a);
    expect(badgeLookup('q'.repeat(32), '0001')).not.toBe(a);
    expect(a).not.toBe(sha256Hex('0001'));
  });
});
