// The server entry as a real process: startup failures a user can fix print one sentence and
// exit 1; a good start listens and SIGTERM shuts down in order with exit 0. Real Postgres and
// Redis; the "missing" services are ports where nothing listens. Nothing is mocked.
import { spawn } from 'node:child_process';
import { createTestDatabase } from '@station/db/testing';
import { describe, expect, it } from 'vitest';
import { deleteKeys, repoRoot, uniquePrefix, waitFor } from './helpers';

function startServer(env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', `${repoRoot}apps/server/src/server.ts`],
    {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', SERVER_PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

describe('server process', () => {
  it('exits 1 with one sentence when Redis is unreachable', async () => {
    const server = startServer({ REDIS_URL: 'redis://127.0.0.1:1' });
    expect(await server.exited).toBe(1);
    expect(server.stderr().trim()).toBe(
      'Redis is not reachable at 127.0.0.1:1 (REDIS_URL): start it with `docker compose up -d redis` or the local service (`service redis-server start`).',
    );
  });

  it('exits 1 with one sentence when Postgres is unreachable', async () => {
    const server = startServer({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/flashstation' });
    expect(await server.exited).toBe(1);
    expect(server.stderr().trim()).toMatch(/^Postgres is not reachable at 127\.0\.0\.1:1 .*\.$/);
    expect(server.stderr().trim().split('\n')).toHaveLength(1);
  });

  it('exits 1 naming a bad variable', async () => {
    const server = startServer({ SERVER_PORT: 'forty' });
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toContain('SERVER_PORT must be a number (got "forty")');
  });

  it('starts, and shuts down in order on SIGTERM', async () => {
    const db = await createTestDatabase();
    const prefix = uniquePrefix('process');
    try {
      const server = startServer({ DATABASE_URL: db.url, REDIS_PREFIX: prefix });
      await waitFor('listening log line', () => server.stdout().includes('Server listening'));
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.stdout()).toContain('"msg":"shutdown complete"');
      expect(server.stdout()).not.toContain('shutdown step failed');
    } finally {
      await db.drop();
      await deleteKeys(prefix);
    }
  });
});
