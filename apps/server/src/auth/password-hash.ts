// Password hashing with node's built-in scrypt (a memory-hard KDF maintained with node itself,
// no native add-on to build). Parameters are stored with each hash so they can be raised later
// without invalidating old ones.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * N = 2^15, r = 8, p = 1: 32 MiB and roughly 50-100 ms per hash on one core, OWASP's minimum for
 * scrypt. 16 random bytes of salt, 32 bytes of output.
 */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;
/** Refuse stored parameters beyond this: a corrupt row must not make one sign-in eat the machine. */
const MAX_N = 2 ** 20;

const derive = (secret: string, salt: Buffer, N: number, r: number, p: number, length: number) =>
  new Promise<Buffer>((resolve, reject) => {
    // maxmem must exceed 128·N·r; node's 32 MiB default is exactly that at our N.
    const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
    scrypt(secret.normalize('NFKC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });

/** `scrypt$N$r$p$<salt base64>$<hash base64>` */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltLength } = SCRYPT_PARAMS;
  const salt = randomBytes(saltLength);
  const hash = await derive(password, salt, N, r, p, keyLength);
  return ['scrypt', N, r, p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** True when `password` matches `stored`; false for a wrong one or a hash it cannot read. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  const N = Number(n);
  if (scheme !== 'scrypt' || !salt || !hash || !(N > 1 && N <= MAX_N)) return false;
  if (!(Number(r) >= 1 && Number(r) <= 32 && Number(p) >= 1 && Number(p) <= 16)) return false;
  const expected = Buffer.from(hash, 'base64');
  if (expected.length < 16) return false;
  const actual = await derive(
    password,
    Buffer.from(salt, 'base64'),
    N,
    Number(r),
    Number(p),
    expected.length,
  );
  return timingSafeEqual(actual, expected);
}

/**
 * A hash of nothing anyone knows: verifying against it when the user is unknown costs the same
 * time as a real check, so timing does not tell unknown users from wrong passwords.
 */
export const decoyHash = (): Promise<string> => hashPassword(randomBytes(16).toString('hex'));
