// Property-based fuzzing of what stations send the server: entries on a station's results stream
// (contracts StationResultMessage), written the way result-path.test.ts plays the station, but
// forged, not JSON, naming the wrong attempt, slot or station, or with mutated fields. Whatever
// arrives: refused, nothing stored, no "stored" confirmation, the attempt still open, the server
// alive. A genuine result afterwards is stored, so the path was live all along.
import { createHmac } from 'node:crypto';
import {
  StationResultMessage,
  stationConfirmedKey,
  stationResultsStream,
} from '@station/contracts';
import { databaseFingerprint } from '@station/db/testing';
import { createRedis } from '@station/runtime';
import { uniqueImei, waitFor } from '@station/testkit';
import { deriveStationKeys, newStationSecret, signMessage } from '@station/trust';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../helpers';
import { openTestAttempt, passedResultMessage, seedStationRecord } from '../result-fixtures';
import { fuzzRuns } from './fuzz-settings';
import { startFuzzLine, type FuzzLine } from './fuzz-line';
import { hostileJson, hostileString, mutated } from './hostile-values';

let line: FuzzLine;
let redis: Redis;
let stream: string;
/** The attempt every fuzzed result is about (open at slot 1), and one open at slot 2. */
let target: { id: string; imei: string };
let other: { id: string };
const forgedKey = deriveStationKeys(newStationSecret()).signingKey;

beforeAll(async () => {
  line = await startFuzzLine();
  // The seeded attempts have no job and their station never connects: the reconciler would
  // settle them (its own tests cover that) and "nothing stored" would see its write.
  await line.server.runtime.reconciler.stop();
  const { prisma } = line.server.db;
  const seed = await seedStationRecord(prisma, line.stationId);
  const imei = uniqueImei();
  target = { id: (await openTestAttempt(prisma, seed, 1, imei)).id, imei };
  other = { id: (await openTestAttempt(prisma, seed, 2)).id };
  redis = createRedis(line.server.env.REDIS_URL, silentLogger, 'fuzz-results');
  stream = stationResultsStream(line.server.env.REDIS_PREFIX, line.stationId);
}, 90_000);

afterAll(async () => {
  redis?.disconnect();
  await line?.close();
}, 60_000);

/** The signature of raw text as the station's key makes it (any text, JSON or not). */
const signText = (key: string, text: string) =>
  createHmac('sha256', Buffer.from(key, 'hex')).update(`result\n${text}`).digest('hex');

const pass = () => passedResultMessage(line.stationId, target.id, 1, target.imei);

/** Stream entry fields (`m`, `s`, …) and what makes them refusable. */
interface Entry {
  why: string;
  fields: string[];
}

const signed = (why: string, message: unknown): Entry => {
  const m = signMessage(line.signingKey, 'result', message);
  return { why, fields: ['m', m.m, 's', m.s] };
};

const entries: () => fc.Arbitrary<Entry> = () =>
  fc.oneof(
    // Not signed by the station's key.
    fc
      .oneof(
        fc.constant(signMessage(forgedKey, 'result', pass()).s),
        fc.stringMatching(/^[0-9a-f]{64}$/),
        hostileString,
      )
      .map((s) => ({ why: 'forged signature', fields: ['m', JSON.stringify(pass()), 's', s] })),
    fc.constant<Entry>({ why: 'unsigned', fields: ['m', JSON.stringify(pass())] }),
    fc.array(hostileString, { minLength: 1, maxLength: 6 }).map((words) => ({
      why: 'garbage fields',
      fields: words.length % 2 ? [...words, ''] : words,
    })),
    // Signed, but not JSON.
    fc
      .oneof(
        hostileString,
        fc.nat().map((n) => JSON.stringify(pass()).slice(0, n % 400)),
      )
      .filter((text) => {
        try {
          JSON.parse(text);
          return false;
        } catch {
          return true;
        }
      })
      .map((text) => ({
        why: 'not JSON',
        fields: ['m', text, 's', signText(line.signingKey, text)],
      })),
    // Signed, well-formed, about an attempt that is not this one at this slot of this station.
    fc
      .oneof(
        fc.uuid().map((id) => ({ ...pass(), result: { ...pass().result, attemptId: id } })),
        fc.constant({ ...pass(), result: { ...pass().result, attemptId: other.id } }),
        fc.integer({ min: 2, max: 64 }).map((slot) => ({ ...pass(), slot })),
        fc.constant({ ...pass(), stationId: 'fuzz-2' }),
      )
      .map((message) => signed('wrong attempt, slot or station', message)),
    // Signed, with a field mutated so that the contract refuses it.
    fc
      .oneof(
        mutated(pass()),
        mutated(pass().result).map((result) => ({ ...pass(), result })),
        hostileJson,
      )
      .filter((message) => !StationResultMessage.safeParse(message).success)
      .map((message) => signed('mutated past the contract', message)),
  );

/** The server's confirmation for the target attempt, if any (its signed JSON, opened). */
async function confirmation(): Promise<{ stored?: boolean } | null> {
  const key = stationConfirmedKey(line.server.env.REDIS_PREFIX, line.stationId);
  const raw = await redis.hget(key, target.id);
  return raw === null ? null : (JSON.parse((JSON.parse(raw) as { m: string }).m) as never);
}

describe('station result stream under generated input', { timeout: 120_000 }, () => {
  it('refuses every forged, malformed or misdirected result and stores nothing', async () => {
    const { prisma } = line.server.db;
    await fc.assert(
      fc.asyncProperty(entries(), async (entry) => {
        const before = await databaseFingerprint(prisma);
        await redis.xadd(stream, '*', ...entry.fields);
        // Handled entries are acknowledged and deleted (StationStreams deleteHandled).
        await waitFor(
          `the ${entry.why} entry handled`,
          async () => (await redis.xlen(stream)) === 0,
        );
        expect(await databaseFingerprint(prisma)).toEqual(before);
        expect((await confirmation())?.stored).not.toBe(true);
        expect((await fetch(`${line.server.baseUrl}/api/health`)).status).toBe(200);
      }),
      fuzzRuns(40, 400),
    );
    // The control: the genuine result is stored and confirmed, so the path was listening.
    await redis.xadd(stream, '*', ...signed('genuine', pass()).fields);
    await waitFor('the genuine result confirmed', async () => (await confirmation())?.stored);
    const stored = await prisma.flashAttempt.findUniqueOrThrow({ where: { id: target.id } });
    expect(stored.outcome).toBe('passed');
  });
});
