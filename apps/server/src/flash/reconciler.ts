// Settles attempts nobody holds any more (design §9): their station vanished (heartbeat lost
// for longer than the grace), or their job is neither in BullMQ nor reported by the station's
// heartbeat (Redis restarted empty before the station took it). A station that is alive settles
// its own attempts from its journal; this is the net under everything else.
import type { FlashResultEvent, StationHeartbeat } from '@station/contracts';
import { attemptRepository, type PrismaClient } from '@station/db';
import type { Logger } from '@station/logger';
import type { StationRegistry } from '../stations/station-registry.service';
import type { FlashQueues } from './flash-queues';
import { resultEventOf } from './result-event';

/** BullMQ states in which a job is still going to run or running. */
const LIVE_JOB_STATES = new Set([
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
]);

export interface ReconcilerOptions {
  prisma: PrismaClient;
  queues: FlashQueues;
  registry: StationRegistry;
  /** The station's latest heartbeat, undefined when none was read (or an old agent's). */
  heartbeat: (stationId: string) => StationHeartbeat | undefined;
  emit: (event: FlashResultEvent) => void;
  logger: Logger;
  intervalMs: number;
  /** How long an attempt may be unaccounted for (or its station gone) before it is settled. */
  graceMs: number;
  now?: () => number;
}

interface Verdict {
  attemptId: string;
  errorName: keyof typeof OPERATOR_HINTS;
  message: string;
}

const OPERATOR_HINTS = {
  STATION_LOST: 'The station stopped answering during this flash: flash the module again.',
  JOB_LOST: 'The flash never started on the station: scan the module again.',
} as const;

export class AttemptReconciler {
  private readonly unaccountedSince = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: ReconcilerOptions) {}

  start(): void {
    this.timer ??= setInterval(() => {
      this.running ??= this.pass()
        .then(() => undefined)
        .catch((err: unknown) => this.options.logger.warn({ err }, 'reconcile pass failed'))
        .finally(() => (this.running = undefined));
    }, this.options.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One look at every open attempt; settles those past their grace. Returns how many. */
  async pass(): Promise<number> {
    const { prisma, registry, graceMs } = this.options;
    const now = (this.options.now ?? Date.now)();
    const open = await attemptRepository.listOpen(prisma);
    const verdicts: Verdict[] = [];
    const seen = new Set<string>();
    for (const attempt of open) {
      seen.add(attempt.id);
      const station = registry.get(attempt.stationCode);
      if (!station?.connected) {
        const lastSeen = station ? Date.parse(station.lastSeenAt) : 0;
        if (now - lastSeen >= graceMs)
          verdicts.push({
            attemptId: attempt.id,
            errorName: 'STATION_LOST',
            message: `station ${attempt.stationCode} stopped answering during the attempt`,
          });
        continue;
      }
      if (await this.accountedFor(attempt)) {
        this.unaccountedSince.delete(attempt.id);
        continue;
      }
      const since = this.unaccountedSince.get(attempt.id) ?? now;
      this.unaccountedSince.set(attempt.id, since);
      if (now - since >= graceMs)
        verdicts.push({
          attemptId: attempt.id,
          errorName: 'JOB_LOST',
          message: 'the flash job was lost before the station took it (Redis lost its data?)',
        });
    }
    for (const id of this.unaccountedSince.keys())
      if (!seen.has(id)) this.unaccountedSince.delete(id);
    return this.settle(verdicts, open);
  }

  private async accountedFor(attempt: {
    id: string;
    jobId: string | null;
    stationCode: string;
  }): Promise<boolean> {
    const beat = this.options.heartbeat(attempt.stationCode);
    // An agent whose heartbeat we cannot read is not judged: its jobs are its own business.
    if (!beat) return true;
    if (beat.active.includes(attempt.id) || beat.unconfirmed.includes(attempt.id)) return true;
    if (!attempt.jobId) return false;
    const state = await this.options.queues.queue(attempt.stationCode).getJobState(attempt.jobId);
    return LIVE_JOB_STATES.has(state);
  }

  private async settle(
    verdicts: Verdict[],
    open: Awaited<ReturnType<typeof attemptRepository.listOpen>>,
  ): Promise<number> {
    let settled = 0;
    for (const errorName of ['STATION_LOST', 'JOB_LOST'] as const) {
      const group = verdicts.filter((v) => v.errorName === errorName);
      if (group.length === 0) continue;
      const attempts = await attemptRepository.interruptOpen(this.options.prisma, {
        attemptIds: group.map((v) => v.attemptId),
        errorName,
        message: group[0]!.message,
        operatorHint: OPERATOR_HINTS[errorName],
      });
      for (const attempt of attempts) {
        const row = open.find((o) => o.id === attempt.id);
        if (!row) continue;
        this.unaccountedSince.delete(attempt.id);
        this.options.logger.warn(
          {
            attemptId: attempt.id,
            station: row.stationCode,
            stage: attempt.stageReached,
            errorName,
          },
          'open attempt settled as interrupted',
        );
        this.options.emit(
          resultEventOf(attempt, {
            stationId: row.stationCode,
            slot: row.slotIndex + 1,
            imei: row.imei,
          }),
        );
        settled += 1;
      }
    }
    return settled;
  }
}
