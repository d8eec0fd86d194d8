// Checks docker-compose.yml against what the README promises, without a Docker engine:
// the five services, Redis that never evicts BullMQ keys, and app services wired to them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const compose = parse(readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8'), {
  merge: true,
}) as { services: Record<string, Record<string, unknown>> };

describe('docker-compose.yml', () => {
  it('defines postgres, redis, server, dashboard and an emulated station', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['dashboard', 'postgres', 'redis', 'server', 'station'].sort(),
    );
    const station = compose.services.station!;
    expect(station.environment).toMatchObject({ EMULATOR: 'true', EMULATOR_SLOTS: '8' });
  });

  it("keeps the station's attempt journal on a volume, so a new container still has it", () => {
    const station = compose.services.station!;
    const journal = (station.environment as Record<string, string>).JOURNAL_FILE!;
    const mounts = (station.volumes as string[]).map((v) => v.split(':')[1]!);
    expect(mounts.some((dir) => journal.startsWith(`${dir}/`))).toBe(true);
  });

  it('runs Redis with maxmemory-policy noeviction', () => {
    const command = compose.services.redis!.command as string[];
    const flag = command.indexOf('--maxmemory-policy');
    expect(flag).toBeGreaterThan(-1);
    expect(command[flag + 1]).toBe('noeviction');
  });

  it('gives the server Postgres and Redis, and the station Redis but no database credentials', () => {
    const server = compose.services.server!.environment as Record<string, string>;
    const station = compose.services.station!.environment as Record<string, string>;
    expect(server.DATABASE_URL).toBe('postgresql://postgres@postgres:5432/flashstation');
    expect(server.REDIS_URL).toBe('redis://redis:6379');
    expect(station.REDIS_URL).toBe('redis://redis:6379');
    expect(station).not.toHaveProperty('DATABASE_URL');
  });
});
