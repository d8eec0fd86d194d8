// The real server runtime on a seeded database, for the analytics benchmark: requests go through
// Fastify's inject (routing, the session check, zod, the repositories, JSON), so the figures are
// the server's side of a request without the network. Its own Redis prefix, removed on close.
import { SESSION_COOKIE } from '@station/contracts';
import { deleteKeys, tempDir, TEST_DEMO_PASSWORD, uniquePrefix } from '@station/testkit';
import { createLogger } from '@station/logger';
import { parseEnv } from '../../apps/server/src/env';
import { createServerRuntime } from '../../apps/server/src/runtime';

export interface BenchServer {
  /** GET `url` as a supervisor; the status code. */
  get(url: string): Promise<number>;
  close(): Promise<void>;
}

export async function startBenchServer(databaseUrl: string): Promise<BenchServer> {
  const store = await tempDir('bench-firmware');
  const env = parseEnv({
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: uniquePrefix('bench'),
    HOST: '127.0.0.1',
    SERVER_PORT: '0',
    // The demo users (supervisor among them) are made on first start with this password.
    DEMO_PASSWORD: TEST_DEMO_PASSWORD,
    SIGN_IN_RATE_LIMIT: '1000',
    FIRMWARE_STORE_DIR: store.path,
  });
  const runtime = await createServerRuntime(env, createLogger({ name: 'bench', level: 'silent' }));
  const signIn = await runtime.app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { username: 'supervisor', password: TEST_DEMO_PASSWORD },
  });
  const cookie = signIn.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error(`supervisor sign-in answered ${signIn.statusCode}: ${signIn.body}`);
  return {
    async get(url) {
      const response = await runtime.app.inject({
        method: 'GET',
        url,
        headers: { cookie: `${cookie.name}=${cookie.value}` },
      });
      return response.statusCode;
    },
    async close() {
      for (const step of runtime.shutdownSteps) await step.run();
      await deleteKeys(env.REDIS_PREFIX, env.REDIS_URL);
      await store.dispose();
    },
  };
}
