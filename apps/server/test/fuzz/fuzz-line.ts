// The line every fuzz test runs against: the real server runtime (startTestServer) with a station
// that holds a credential (so operators sign in at it and its signed requests are checked), and
// the callers a request may come from, each with the headers it sends.
import { randomBytes } from 'node:crypto';
import { SESSION_COOKIE } from '@station/contracts';
import { TEST_DEMO_BADGE } from '@station/testkit';
import { deriveStationKeys, newStationSecret, stationAuthorization } from '@station/trust';
import { issueTestCredential, startTestServer, type TestServer } from '../helpers';

/** Who sends a fuzzed request. */
export const CALLERS = [
  'anonymous',
  'operator',
  'supervisor',
  'engineer',
  'admin',
  'station',
  'forged-station',
  'bogus-cookie',
  'bogus-api-key',
] as const;
export type Caller = (typeof CALLERS)[number];

export interface FuzzLine {
  server: TestServer;
  /** The station with a credential (the operator's kiosk, the signed requests' sender). */
  stationId: string;
  signingKey: string;
  /** The headers `caller` sends for `method path` (signed requests cover both). */
  headersOf(caller: Caller, method: string, path: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export async function startFuzzLine(overrides: Record<string, string> = {}): Promise<FuzzLine> {
  const server = await startTestServer({
    // Sign-in is fuzzed too: its rate limit has a test of its own (role-matrix.test.ts).
    SIGN_IN_RATE_LIMIT: '100000',
    ...overrides,
  });
  const stationId = 'fuzz-1';
  const { signingKey } = await issueTestCredential(
    server.db.prisma,
    server.env.REDIS_PREFIX,
    stationId,
  );
  await server.runtime.keyring.refresh();
  const forgedKey = deriveStationKeys(newStationSecret()).signingKey;
  const cookies = new Map<string, string>();
  type Person = 'operator' | 'supervisor' | 'engineer' | 'admin';
  const signIn = (caller: Person) =>
    server.signIn(caller === 'operator' ? { badge: TEST_DEMO_BADGE, stationId } : caller);
  const cookieOf = async (caller: Person) => {
    const cookie = cookies.get(caller) ?? (await signIn(caller));
    cookies.set(caller, cookie);
    return cookie;
  };
  return {
    server,
    stationId,
    signingKey,
    async headersOf(caller, method, path): Promise<Record<string, string>> {
      switch (caller) {
        case 'anonymous':
          return {};
        case 'station':
        case 'forged-station':
          return {
            authorization: stationAuthorization(
              caller === 'station' ? signingKey : forgedKey,
              stationId,
              method,
              path,
            ),
          };
        case 'bogus-cookie':
          return { cookie: `${SESSION_COOKIE}=${randomBytes(32).toString('base64url')}` };
        case 'bogus-api-key':
          return { authorization: `Bearer fsk_${randomBytes(24).toString('base64url')}` };
        default:
          // Signing out ends the session it is sent with: that one is a session of its own.
          if (method === 'DELETE' && path.startsWith('/api/session'))
            return { cookie: await signIn(caller) };
          return { cookie: await cookieOf(caller) };
      }
    },
    close: () => server.close(),
  };
}
