// People, sessions and API keys against the real Postgres (a throw-away database for this file):
// users found by username or badge lookup, sessions that stop counting once expired, revoked or
// their user disabled, keys found by hash only while live.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  apiKeyRepository,
  sessionRepository,
  settingRepository,
  userRepository,
} from '../src/index';
import { seedLine, uniqueName } from './fixtures';
import { useTestDatabase } from './test-database';

const hex = () => createHash('sha256').update(randomBytes(16)).digest('hex');

const db = useTestDatabase();

const makeUser = (overrides: Partial<Parameters<typeof userRepository.createIfMissing>[1]> = {}) =>
  userRepository.createIfMissing(db.prisma, {
    username: uniqueName('User'),
    displayName: 'Some One',
    role: 'supervisor',
    passwordHash: 'scrypt$test',
    ...overrides,
  });

describe('userRepository', () => {
  it('stores the username lower-case and finds it whatever the case', async () => {
    const user = (await makeUser({ username: 'Ada-Lovelace' }))!;
    expect(user.username).toBe('ada-lovelace');
    expect((await userRepository.findActiveByUsername(db.prisma, 'ADA-lovelace'))?.id).toBe(
      user.id,
    );
    expect(await userRepository.findActiveByUsername(db.prisma, 'ada')).toBeNull();
  });

  it('answers null instead of failing when the username or badge is taken', async () => {
    const lookup = hex();
    expect(await makeUser({ username: 'taken', badgeLookup: lookup })).not.toBeNull();
    expect(await makeUser({ username: 'TAKEN' })).toBeNull();
    expect(await makeUser({ badgeLookup: lookup })).toBeNull();
  });

  it('finds an operator by badge lookup, and not once disabled', async () => {
    const lookup = hex();
    const user = (await makeUser({ role: 'operator', badgeLookup: lookup }))!;
    expect((await userRepository.findActiveByBadgeLookup(db.prisma, lookup))?.id).toBe(user.id);
    expect(await userRepository.findActiveByBadgeLookup(db.prisma, hex())).toBeNull();
    await db.prisma.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await userRepository.findActiveByBadgeLookup(db.prisma, lookup)).toBeNull();
    expect(await userRepository.findActiveByUsername(db.prisma, user.username)).toBeNull();
  });

  it('refuses a badge lookup that is not a hex digest (CHECK)', async () => {
    await expect(makeUser({ badgeLookup: '0001' })).rejects.toThrow(/users_badge_lookup_hex/);
  });
});

describe('sessionRepository', () => {
  it('finds a live session with its user and bound station; not once revoked', async () => {
    const { station } = await seedLine(db.prisma, 1);
    const user = (await makeUser({ role: 'operator' }))!;
    const id = hex();
    const expiresAt = new Date(Date.now() + 60_000);
    await sessionRepository.create(db.prisma, {
      id,
      userId: user.id,
      stationId: station.id,
      expiresAt,
    });
    const found = await sessionRepository.findActive(db.prisma, id);
    expect(found).toMatchObject({ id, expiresAt, stationCode: station.code });
    // The whole user row, as Prisma reads it (the lookup is one hand-written statement).
    expect(found?.user).toEqual(await db.prisma.user.findUnique({ where: { id: user.id } }));

    expect(await sessionRepository.revoke(db.prisma, id)).toEqual({ userId: user.id });
    expect(await sessionRepository.findActive(db.prisma, id)).toBeNull();
    expect(await sessionRepository.revoke(db.prisma, id)).toBeNull();
  });

  it('does not find an expired session, nor one of a disabled user, nor an unknown id', async () => {
    const user = (await makeUser())!;
    const id = hex();
    await sessionRepository.create(db.prisma, {
      id,
      userId: user.id,
      expiresAt: new Date(Date.now() + 1000),
    });
    expect((await sessionRepository.findActive(db.prisma, id))?.stationCode).toBeNull();
    expect(
      await sessionRepository.findActive(db.prisma, id, new Date(Date.now() + 2000)),
    ).toBeNull();
    await db.prisma.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await sessionRepository.findActive(db.prisma, id)).toBeNull();
    expect(await sessionRepository.findActive(db.prisma, hex())).toBeNull();
  });

  it('deletes sessions that ended before a time, and keeps live ones', async () => {
    const user = (await makeUser())!;
    const live = hex();
    const ended = hex();
    await sessionRepository.create(db.prisma, {
      id: live,
      userId: user.id,
      expiresAt: new Date(Date.now() + 60_000),
    });
    await sessionRepository.create(db.prisma, {
      id: ended,
      userId: user.id,
      expiresAt: new Date(Date.now() + 60_000),
    });
    await sessionRepository.revoke(db.prisma, ended);
    expect(
      await sessionRepository.deleteEnded(db.prisma, new Date(Date.now() + 1000)),
    ).toBeGreaterThan(0);
    expect(await db.prisma.session.count({ where: { id: { in: [live, ended] } } })).toBe(1);
  });
});

describe('apiKeyRepository', () => {
  it('finds a key by its hash only while it is neither revoked nor expired', async () => {
    const { station } = await seedLine(db.prisma, 1);
    const keyHash = hex();
    const key = await apiKeyRepository.create(db.prisma, {
      name: 'line script',
      prefix: uniqueName('k').slice(0, 16),
      keyHash,
      role: 'operator',
      stationId: station.id,
    });
    expect(await apiKeyRepository.findActiveByHash(db.prisma, keyHash)).toMatchObject({
      id: key.id,
      role: 'operator',
      stationCode: station.code,
    });
    expect(await apiKeyRepository.findActiveByHash(db.prisma, hex())).toBeNull();
    expect(
      await apiKeyRepository.findActiveByHash(db.prisma, keyHash, new Date(Date.now() + 1000)),
    ).not.toBeNull();
    await apiKeyRepository.revoke(db.prisma, key.id);
    expect(await apiKeyRepository.findActiveByHash(db.prisma, keyHash)).toBeNull();

    const expiring = hex();
    await apiKeyRepository.create(db.prisma, {
      name: 'short',
      prefix: uniqueName('e').slice(0, 16),
      keyHash: expiring,
      role: 'admin',
      expiresAt: new Date(Date.now() + 1000),
    });
    expect((await apiKeyRepository.findActiveByHash(db.prisma, expiring))?.stationCode).toBeNull();
    expect(
      await apiKeyRepository.findActiveByHash(db.prisma, expiring, new Date(Date.now() + 2000)),
    ).toBeNull();
  });
});

describe('settingRepository.getOrCreate', () => {
  it('stores the first value and returns it to every later (and concurrent) caller', async () => {
    const key = uniqueName('pepper');
    const values = await Promise.all(
      ['a', 'b', 'c'].map((value) => settingRepository.getOrCreate(db.prisma, key, () => value)),
    );
    expect(new Set(values).size).toBe(1);
    expect(await settingRepository.getOrCreate(db.prisma, key, () => 'later')).toBe(values[0]);
  });
});
