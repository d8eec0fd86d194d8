// A station's credential: one random secret, created by an admin and shown once. Both the signing
// key and the Redis password are derived from it, so the station is configured with one value and
// the server never needs the secret itself (it keeps the signing key and the password's SHA-256).
import { createHash, createHmac, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'fss_';
const SECRET_PATTERN = /^fss_[A-Za-z0-9_-]{43}$/;

/** A new station secret: `fss_` and 32 random bytes in base64url. */
export const newStationSecret = (): string => SECRET_PREFIX + randomBytes(32).toString('base64url');

/** Null when `secret` looks like one `newStationSecret` made, else why not (never echoing it). */
export function stationSecretProblem(secret: string): string | null {
  if (SECRET_PATTERN.test(secret)) return null;
  return `must be the secret an admin created for the station ("fss_" and 43 base64url characters, ${secret.length} characters given)`;
}

export interface StationKeys {
  /** HMAC-SHA256 key for every message between this station and the servers (hex). */
  signingKey: string;
  /** The station's Redis ACL password. */
  redisPassword: string;
}

const derive = (secret: string, purpose: string): string =>
  createHmac('sha256', secret).update(`flash-station/v1/${purpose}`).digest('hex');

export function deriveStationKeys(secret: string): StationKeys {
  const problem = stationSecretProblem(secret);
  if (problem) throw new Error(`station secret ${problem}`);
  return { signingKey: derive(secret, 'sign'), redisPassword: derive(secret, 'redis') };
}

/** What Redis stores for an ACL password (`ACL SETUSER … #<sha256>`), and what the server keeps. */
export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');
