// A private redis-server really stops, starts and comes back empty. Real redis-server and
// redis-cli on a port of its own.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesMentioning, startPrivateRedis, type PrivateRedis } from '../src/index';

const run = promisify(execFile);
let redis: PrivateRedis;

async function cli(...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-u', redis.url, ...args]);
  return stdout.trim();
}

beforeAll(async () => {
  redis = await startPrivateRedis();
});
afterAll(() => redis?.dispose());

describe('startPrivateRedis', () => {
  it('runs without persistence on its own port', async () => {
    expect(redis.port).not.toBe(6379);
    expect(await cli('PING')).toBe('PONG');
    expect(await cli('CONFIG', 'GET', 'save')).toBe('save');
    expect(await cli('CONFIG', 'GET', 'appendonly')).toBe('appendonly\nno');
  });

  it('restartEmpty() comes back on the same port with no keys', async () => {
    await cli('SET', 'attempt:1', 'passed');
    expect(await cli('DBSIZE')).toBe('1');
    await redis.restartEmpty();
    expect(await cli('PING')).toBe('PONG');
    expect(await cli('DBSIZE')).toBe('0');
  });

  it('stop() and kill() refuse connections until start()', async () => {
    await redis.stop();
    await expect(cli('PING')).rejects.toThrow(/Connection refused/);
    await redis.start();
    expect(await cli('PING')).toBe('PONG');
    await redis.kill();
    expect(redis.running()).toBe(false);
    await expect(cli('PING')).rejects.toThrow(/Connection refused/);
    await redis.start();
    expect(await cli('PING')).toBe('PONG');
  });

  it('dispose() leaves no redis-server behind', async () => {
    const other = await startPrivateRedis();
    await other.dispose();
    expect(processesMentioning(`127.0.0.1:${other.port}`)).toEqual([]);
    expect(processesMentioning(`--port ${other.port}`)).toEqual([]);
  });
});
