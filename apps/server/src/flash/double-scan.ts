// A scanner that fires twice, or an operator who scans one label twice, must not start that module
// in the next slot (issue #9 §3). The first scan of a label at a station claims a short-lived Redis
// key (SET NX PX), so every server instance agrees on which scan came first.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A held claim: released when its scan is refused, so the operator may scan the label again. */
export interface ScanClaim {
  key: string;
  value: string;
}

export type ScanClaimResult =
  | { ok: true; claim: ScanClaim }
  /** The label was scanned at this station within the window, into `slot`. */
  | { ok: false; slot: number | null };

// Deletes the key only while it still holds this claim's value (never another scan's claim).
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

export const scanKey = (prefix: string, stationId: string, imei: string): string =>
  `${prefix}:scan:${stationId}:${imei}`;

export class DoubleScanGuard {
  constructor(private readonly deps: { redis: Redis; prefix: string; windowMs: number }) {}

  /** Claims the label for `slot`; refused when the same station saw it within the window. */
  async claim(stationId: string, imei: string, slot: number): Promise<ScanClaimResult> {
    const key = scanKey(this.deps.prefix, stationId, imei);
    const value = `${slot}:${randomBytes(6).toString('hex')}`;
    const set = await this.deps.redis.set(key, value, 'PX', this.deps.windowMs, 'NX');
    if (set === 'OK') return { ok: true, claim: { key, value } };
    const holder = await this.deps.redis.get(key);
    const slotOf = holder === null ? NaN : Number(holder.split(':')[0]);
    return { ok: false, slot: Number.isInteger(slotOf) ? slotOf : null };
  }

  /** Gives the claim back (its scan was refused): best effort, it expires anyway. */
  async release(claim: ScanClaim): Promise<void> {
    await this.deps.redis.eval(RELEASE, 1, claim.key, claim.value).catch(() => undefined);
  }
}
