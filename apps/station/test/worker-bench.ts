// The flash worker's test bench: real Redis (unique prefix), the station's own Redis user
// (provisionStation), a real BullMQ Queue as the producer the server is, the real SerialTransport
// on socat pseudo-terminals, the journal on a real file, and the emulated jig as the only stand-in
// (no physical MC60 is attached). Streams are read and verified the way the server does.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  FlashRunJob,
  StationProgressBatch,
  type StationProgressMessage,
  StationResultMessage,
  STREAM_MESSAGE_FIELD,
  STREAM_SIGNATURE_FIELD,
  flashQueueName,
  stationProgressStream,
  stationResultsStream,
  type FlashRunPayload,
} from '@station/contracts';
import { createVirtualJig, type ModuleState, type VirtualJig } from '@station/emulator';
import { createLogger } from '@station/logger';
import {
  provisionStation,
  tempDir,
  testRedisPrefix,
  waitFor,
  type ProvisionedStation,
  type TempDir,
} from '@station/testkit';
import { openMessage, signMessage, stationRedisUrl, type MessageKind } from '@station/trust';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DEMO_PACKAGE_ID, ensureDemoFirmware } from '../src/jobs/firmware-store';
import {
  startFlashWorker,
  type FlashWorker,
  type FlashWorkerOptions,
} from '../src/jobs/flash-worker';
import { createProgressPublisher } from '../src/jobs/progress-publisher';
import { StationJournal } from '../src/journal/journal';
import { ResultOutbox } from '../src/journal/result-outbox';

export const OLD_REVISION = 'MC60CAR01A03';

export interface WorkerBench {
  prefix: string;
  stationId: string;
  station: ProvisionedStation;
  jig: VirtualJig;
  worker: FlashWorker;
  workerOptions: FlashWorkerOptions;
  journal: StationJournal;
  /** The test's connection, with the server's rights. */
  redis: Redis;
  /** This station's flash queue, as the server adds to it. */
  queue: Queue;
  /** A job as a server issues it: the payload signed with the station's key. */
  add(
    payload: FlashRunPayload | Record<string, unknown>,
    options?: Partial<typeof FlashRunJob.defaults>,
  ): ReturnType<Queue['add']>;
  payloadFor(slot: number, overrides?: Partial<FlashRunPayload>): FlashRunPayload;
  results(): Promise<StationResultMessage[]>;
  /** Every progress message, oldest first. */
  progress(): Promise<StationProgressMessage[]>;
  progressOf(attemptId: string): Promise<StationProgressMessage[]>;
  /** The published result of one attempt, waiting up to `timeoutMs` for it. */
  resultOf(attemptId: string, timeoutMs?: number): Promise<StationResultMessage>;
  revisionOf(slot: number): string | null | undefined;
  /** The emulated module's state now (it boots to `at` on its own after the jig powers it). */
  stateOf(slot: number): ModuleState;
  /** Records a slot module's state changes while `work` runs. */
  watchStates<T>(
    slot: number,
    work: () => Promise<T>,
  ): Promise<{ value: T; states: ModuleState[] }>;
  close(): Promise<void>;
}

export async function openWorkerBench(label: string): Promise<WorkerBench> {
  const redisPrefix = testRedisPrefix(label);
  const { prefix, url } = redisPrefix;
  const stationId = `st-${randomBytes(3).toString('hex')}`;
  const logger = createLogger({ name: 'test', level: 'silent', destination: new Writable() });
  const dir: TempDir = await tempDir(label);
  const firmwareDir = dir.join('firmware');
  const daFile = join(firmwareDir, 'mt6261_da.bin');
  const { digest } = await ensureDemoFirmware(firmwareDir, daFile);
  const station = await provisionStation({ stationId, prefix });
  const stationUrl = stationRedisUrl(url, prefix, stationId, station.redisPassword);
  const jig = await createVirtualJig({
    slots: [
      { slot: 1, revision: OLD_REVISION },
      { slot: 2, revision: OLD_REVISION },
    ],
    dir: dir.join('jig'),
    pacing: false,
  });
  const redis = new Redis(url);
  const stationRedis = new Redis(stationUrl);
  const queue = new Queue(flashQueueName(stationId), { connection: redis, prefix });
  const journal = await StationJournal.open(dir.join('journal.jsonl'));
  const common = { prefix, stationId, signingKey: station.signingKey, logger };
  const outbox = new ResultOutbox({ ...common, redis: stationRedis, journal, confirmPollMs: 50 });
  outbox.start();
  const workerOptions: FlashWorkerOptions = {
    ...common,
    bootId: 'boot-1',
    slots: jig.slots.map((s) => ({
      slot: s.slot,
      path: s.path,
      power: { kind: 'emulator', controlAddress: jig.controlAddress, slot: s.slot },
    })),
    redisUrl: stationUrl,
    firmwareDir,
    daFile,
    journal,
    outbox,
    publishProgress: createProgressPublisher({ ...common, redis: stationRedis }),
    // Every packet's progress, so the write stage's percent sequence can be checked in full
    // (the 5-per-second throttle is tested in src/jobs/progress-throttle.test.ts).
    progressIntervalMs: 0,
  };
  const worker = await startFlashWorker(workerOptions);

  /** Every message on one of the station's streams, oldest first, each signature checked. */
  const streamMessages = async (key: string, kind: MessageKind): Promise<unknown[]> =>
    (await redis.xrange(key, '-', '+')).map(([id, fields]) => {
      const opened = openMessage(station.signingKey, kind, {
        m: fields[fields.indexOf(STREAM_MESSAGE_FIELD) + 1],
        s: fields[fields.indexOf(STREAM_SIGNATURE_FIELD) + 1],
      });
      if (!opened.ok) throw new Error(`${key} entry ${id} does not verify: ${opened.reason}`);
      return opened.message;
    });
  const results = async () =>
    (await streamMessages(stationResultsStream(prefix, stationId), 'result')).map((m) =>
      StationResultMessage.parse(m),
    );
  // Every item of every batch entry, in the order published.
  const progress = async () =>
    (await streamMessages(stationProgressStream(prefix, stationId), 'progress')).flatMap(
      (m) => StationProgressBatch.parse(m).progress,
    );

  return {
    prefix,
    stationId,
    station,
    jig,
    worker,
    workerOptions,
    journal,
    redis,
    queue,
    add: (payload, options = {}) =>
      queue.add(FlashRunJob.name, signMessage(station.signingKey, 'job', payload), {
        ...FlashRunJob.defaults,
        ...options,
      }),
    payloadFor: (slot, overrides = {}) => ({
      v: 1,
      attemptId: `attempt-${randomBytes(4).toString('hex')}`,
      stationId,
      slot,
      imei: jig.slots[slot - 1]!.imei,
      packageId: DEMO_PACKAGE_ID,
      packageSha256: digest,
      baud: 921600,
      retryOf: null,
      ...overrides,
    }),
    results,
    progress,
    progressOf: async (attemptId) => (await progress()).filter((m) => m.attemptId === attemptId),
    resultOf: (attemptId, timeoutMs = 25_000) =>
      waitFor(
        `the result of ${attemptId} on the results stream`,
        async () => (await results()).find((m) => m.result.attemptId === attemptId),
        { timeoutMs },
      ),
    revisionOf: (slot) => jig.status().find((s) => s.slot === slot)?.revision,
    stateOf: (slot) => jig.slots[slot - 1]!.module.state,
    async watchStates(slot, work) {
      const module = jig.slots[slot - 1]!.module;
      const states: ModuleState[] = [];
      const onState = (state: ModuleState) => states.push(state);
      module.on('state', onState);
      try {
        return { value: await work(), states };
      } finally {
        module.off('state', onState);
      }
    },
    async close() {
      await worker.close();
      await outbox.stop();
      await journal.close();
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
      stationRedis.disconnect();
      await redis.quit();
      await jig.close();
      await dir.dispose();
      await redisPrefix.dispose();
    },
  };
}
