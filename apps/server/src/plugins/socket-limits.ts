// The socket.io safe defaults (issue #8 §7): which browser origins may open a socket, how many
// sockets one client address may hold, and how many events a socket may send.
import type { IncomingMessage } from 'node:http';
import type { ServerEnv } from '../env';

export interface SocketLimits {
  /** Open engine.io connections per client address (SOCKET_MAX_CONNECTIONS_PER_IP). */
  maxConnectionsPerIp: number;
  /** Sustained events per second per socket (SOCKET_EVENTS_PER_SECOND). */
  eventsPerSecond: number;
  /** Events a socket may send at once after a quiet spell. */
  burst: number;
  /** A socket whose events are still being refused after this long is disconnected. */
  floodDisconnectMs: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimits = {
  maxConnectionsPerIp: 20,
  eventsPerSecond: 20,
  burst: 40,
  floodDisconnectMs: 10_000,
};

/** The limits a configuration asks for: bursts of twice the rate, a flood cut after 10 s. */
export const socketLimitsFromEnv = (
  env: Pick<ServerEnv, 'SOCKET_MAX_CONNECTIONS_PER_IP' | 'SOCKET_EVENTS_PER_SECOND'>,
): SocketLimits => ({
  ...DEFAULT_SOCKET_LIMITS,
  maxConnectionsPerIp: env.SOCKET_MAX_CONNECTIONS_PER_IP,
  eventsPerSecond: env.SOCKET_EVENTS_PER_SECOND,
  burst: 2 * env.SOCKET_EVENTS_PER_SECOND,
});

/** The ack an event over the limit gets, when the client asked for one. */
export const TOO_MANY_REQUESTS = { v: 1, ok: false, error: 'Too many requests' } as const;

/** The client address a connection is counted under (a proxy in front hides it: docs/security.md). */
export const clientAddress = (request: IncomingMessage): string =>
  request.socket.remoteAddress ?? 'unknown';

/**
 * Whether a handshake's Origin may open a socket. Browsers always send Origin; scripts and other
 * servers send none and are let through (they still need a session or API key). socket.io's
 * `cors` option only shapes polling responses: a websocket upgrade is not subject to CORS at all,
 * so this check runs on every handshake, whatever the transport.
 */
export function originAllowed(allowed: readonly string[]): (origin: string | undefined) => boolean {
  // DASHBOARD_ORIGIN may be written with a trailing slash or a path; browsers send the bare origin.
  const origins = new Set(allowed.flatMap((value) => [value, safeOrigin(value)]));
  return (origin) => origin === undefined || origins.has(origin);
}

function safeOrigin(value: string): string {
  try {
    return new URL(value).origin;
  } catch {
    return value;
  }
}

/** Open connections per client address. */
export class ConnectionCounter {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** True when the address already holds its share (checked at the handshake). */
  full(address: string): boolean {
    return (this.open.get(address) ?? 0) >= this.max;
  }

  /** Counts a new connection; false when it goes over the limit (handshakes that raced). */
  add(address: string): boolean {
    const count = (this.open.get(address) ?? 0) + 1;
    this.open.set(address, count);
    return count <= this.max;
  }

  remove(address: string): void {
    const count = (this.open.get(address) ?? 0) - 1;
    if (count > 0) this.open.set(address, count);
    else this.open.delete(address);
  }
}

/**
 * A token bucket per socket (`eventsPerSecond` refill, `burst` capacity). `check` says what to do
 * with one incoming event: serve it, refuse it, or drop the socket because it has kept going over
 * the limit for `floodDisconnectMs` (refusals no more than a second apart count as one flood).
 */
export class EventLimiter {
  private tokens: number;
  private refilledAt: number;
  private floodingSince: number | null = null;
  private lastRefusedAt = 0;

  constructor(
    private readonly limits: SocketLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = limits.burst;
    this.refilledAt = now();
  }

  check(): 'serve' | 'refuse' | 'disconnect' {
    const now = this.now();
    const { eventsPerSecond, burst, floodDisconnectMs } = this.limits;
    this.tokens = Math.min(burst, this.tokens + ((now - this.refilledAt) * eventsPerSecond) / 1000);
    this.refilledAt = now;
    // A flood goes on while refusals come no more than a second apart.
    const since =
      this.floodingSince !== null && now - this.lastRefusedAt <= 1000 ? this.floodingSince : null;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.floodingSince = since;
      return 'serve';
    }
    this.floodingSince = since ?? now;
    this.lastRefusedAt = now;
    return now - this.floodingSince >= floodDisconnectMs ? 'disconnect' : 'refuse';
  }
}
