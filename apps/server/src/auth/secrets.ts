// Tokens and keyed lookups: the random session token, its stored SHA-256, and the badge lookup.
import { createHash, createHmac, randomBytes } from 'node:crypto';

/** A session token: 32 random bytes, base64url (what the cookie holds). */
export const newSessionToken = (): string => randomBytes(32).toString('base64url');

/** What is stored for a token or an API key: lower-case hex SHA-256. A 256-bit random token needs
 * no slow hash: nobody can guess one, so a fast digest only stops a dump being used as is. */
export const sha256Hex = (value: string): string =>
  createHash('sha256').update(value).digest('hex');

/**
 * The badge lookup: HMAC-SHA256 keyed with the server's pepper. Badges are short digit strings,
 * so a plain hash would fall to enumerating every badge; without the pepper the stored value
 * tells nothing. A slow salted hash cannot be looked up (docs/security.md).
 */
export const badgeLookup = (pepper: string, badge: string): string =>
  createHmac('sha256', pepper).update(badge).digest('hex');

/** A generated pepper, when AUTH_PEPPER is not set. */
export const newPepper = (): string => randomBytes(32).toString('base64url');

/** An API key: `fsk_` and 24 random bytes, base64url (what `Authorization: Bearer` carries). */
export const newApiKey = (): string => `fsk_${randomBytes(24).toString('base64url')}`;

/** The part of an API key lists show, to tell keys apart: `fsk_` and 8 characters. */
export const apiKeyPrefix = (key: string): string => key.slice(0, 12);
