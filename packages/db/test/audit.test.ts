// The audit log against the real Postgres (a throw-away database for this file): events recorded
// with the database's time and listed newest first in pages; the append-only trigger refusing
// UPDATE, DELETE and TRUNCATE from the same connection the server uses, through Prisma and raw SQL.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../src/testing/index';
import { auditRepository, userRepository, type AuditEvent } from '../src/index';
import { uniqueName } from './fixtures';

let db: TestDatabase;
/** A plain connection, as any client of the app's role would have. */
let sql: pg.Client;
beforeAll(async () => {
  db = await createTestDatabase();
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await db?.drop();
});

const record = (entityId: string, action = 'thing.change') =>
  auditRepository.record(db.prisma, {
    action,
    entityType: 'thing',
    entityId,
    actorLabel: 'system',
    details: { before: { state: 'a' }, after: { state: 'b' } },
  });

describe('auditRepository', () => {
  it("records who, what and before/after, stamped with the database's time", async () => {
    const entityId = uniqueName('thing');
    const before = Date.now();
    const event = await record(entityId);
    const after = Date.now();
    expect(event).toMatchObject({
      action: 'thing.change',
      entityType: 'thing',
      entityId,
      actorLabel: 'system',
      actorId: null,
      details: { before: { state: 'a' }, after: { state: 'b' } },
    });
    // Stamped while the call ran (the database's default; Postgres and the test share the host's
    // clock): not a value the caller chose. Bounds, not a duration: a loaded machine may take
    // seconds. 1 ms either side for the column's rounding to milliseconds.
    expect(event.at.getTime()).toBeGreaterThanOrEqual(before - 1);
    expect(event.at.getTime()).toBeLessThanOrEqual(after + 1);
  });

  it('lists newest first, filtered, in pages that follow the `before` cursor', async () => {
    const entityId = uniqueName('paged');
    const made: AuditEvent[] = [];
    for (let i = 0; i < 5; i++)
      made.push(await record(entityId, i % 2 ? 'thing.odd' : 'thing.even'));
    await record(uniqueName('other'));
    const newestFirst = made.map((e) => e.id).reverse();

    const pages: bigint[][] = [];
    let before: bigint | undefined;
    for (;;) {
      const page = await auditRepository.list(db.prisma, {
        entityType: 'thing',
        entityId,
        limit: 2,
        before,
      });
      if (!page || page.length === 0) break;
      pages.push(page.map((e) => e.id));
      before = page.at(-1)!.id;
    }
    expect(pages).toEqual([newestFirst.slice(0, 2), newestFirst.slice(2, 4), newestFirst.slice(4)]);

    const odd = await auditRepository.list(db.prisma, { entityId, action: 'thing.odd' });
    expect(odd?.map((e) => e.id)).toEqual([made[3]!.id, made[1]!.id]);
    expect(await auditRepository.list(db.prisma, { before: 999_999_999n })).toBeNull();
  });

  it('writes a new user and its event in one transaction; a taken name aborts nothing', async () => {
    const username = uniqueName('audited');
    const create = () =>
      db.prisma.$transaction(async (tx) => {
        const user = await userRepository.createIfMissing(tx, {
          username,
          displayName: 'Audited',
          role: 'engineer',
        });
        if (user) {
          await auditRepository.record(tx, {
            action: 'user.create',
            entityType: 'user',
            entityId: user.id,
            actorLabel: 'system',
          });
        }
        return user;
      });
    const first = await create();
    // The second insert conflicts: ON CONFLICT DO NOTHING leaves the transaction usable.
    expect(await create()).toBeNull();
    const events = await auditRepository.list(db.prisma, {
      entityType: 'user',
      entityId: first!.id,
    });
    expect(events?.map((e) => e.action)).toEqual(['user.create']);
  });
});

describe('append-only', () => {
  const refused = (op: string) => `audit_events is append-only: ${op} is refused`;

  it('refuses UPDATE, DELETE and TRUNCATE in raw SQL, with a clear message and hint', async () => {
    const event = await record(uniqueName('raw'));
    const attempts = [
      ['UPDATE', `UPDATE audit_events SET action = 'forged' WHERE id = ${event.id}`],
      ['DELETE', `DELETE FROM audit_events WHERE id = ${event.id}`],
      ['TRUNCATE', 'TRUNCATE audit_events'],
    ] as const;
    for (const [op, statement] of attempts) {
      const error = (await sql.query(statement).catch((e: unknown) => e)) as pg.DatabaseError;
      expect(error, op).toBeInstanceOf(Error);
      expect(error.message).toBe(refused(op));
      expect(error.code).toBe('42501');
      expect(error.hint).toMatch(/record a new event instead/);
    }
    const { rows } = await sql.query('SELECT action FROM audit_events WHERE id = $1', [event.id]);
    expect(rows).toEqual([{ action: 'thing.change' }]);
    expect(await db.prisma.auditEvent.count()).toBeGreaterThan(1);
  });

  it("refuses Prisma's update and delete, leaving the row as it was", async () => {
    const event = await record(uniqueName('orm'));
    const where = { id: event.id };
    await expect(
      db.prisma.auditEvent.update({ where, data: { action: 'forged' } }),
    ).rejects.toThrow(refused('UPDATE'));
    await expect(db.prisma.auditEvent.deleteMany({ where })).rejects.toThrow(refused('DELETE'));
    expect(await db.prisma.auditEvent.findUnique({ where })).toEqual(event);
  });

  it('still takes new events in the same connection', async () => {
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO audit_events (actor_label, action, entity_type) VALUES ('system', 'thing.raw', 'thing') RETURNING id`,
    );
    expect(rows).toHaveLength(1);
  });

  it('keeps a user who appears in the log from being deleted; others can be', async () => {
    const user = (await userRepository.createIfMissing(db.prisma, {
      username: uniqueName('actor'),
      displayName: 'Actor',
      role: 'admin',
    }))!;
    await auditRepository.record(db.prisma, {
      action: 'thing.change',
      entityType: 'thing',
      actorLabel: `user:${user.id}`,
      actorId: user.id,
    });
    await expect(db.prisma.user.delete({ where: { id: user.id } })).rejects.toThrow(
      /audit_events_actor_id_fkey/,
    );
    const bystander = (await userRepository.createIfMissing(db.prisma, {
      username: uniqueName('bystander'),
      displayName: 'Bystander',
      role: 'operator',
    }))!;
    await db.prisma.user.delete({ where: { id: bystander.id } });
  });
});
