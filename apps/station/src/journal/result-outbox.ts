// Results leave the station through its journal (design §9): journaled first, then published on
// the station's results stream, and kept until the server's confirmation is seen. Whatever is
// unconfirmed is published again after every reconnect, when Redis lost its data, and every
// `republishMs`; the server stores a result once however often it arrives.
import {
  ResultConfirmation,
  STREAM_MESSAGE_FIELD,
  stationConfirmedKey,
  stationResultsStream,
  type StationResultMessage,
} from '@station/contracts';
import type { Logger } from '@station/logger';
import type { Redis } from 'ioredis';
import type { StationJournal } from './journal';

export interface ResultOutboxOptions {
  redis: Redis;
  journal: StationJournal;
  prefix: string;
  stationId: string;
  logger: Logger;
  confirmPollMs: number;
  /** Unconfirmed results are published again this often (the server may have lost them). */
  republishMs?: number;
}

export class ResultOutbox {
  private readonly stream: string;
  private readonly confirmedKey: string;
  private pollTimer: NodeJS.Timeout | undefined;
  private republishTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private readonly onReady = () => void this.republishAll('reconnected');

  constructor(private readonly options: ResultOutboxOptions) {
    this.stream = stationResultsStream(options.prefix, options.stationId);
    this.confirmedKey = stationConfirmedKey(options.prefix, options.stationId);
  }

  /** Publishes what the journal holds unconfirmed and starts watching for confirmations. */
  start(): void {
    this.options.redis.on('ready', this.onReady);
    void this.republishAll('start');
    this.pollTimer = setInterval(() => {
      this.polling ??= this.pollConfirmations().finally(() => (this.polling = undefined));
    }, this.options.confirmPollMs);
    this.republishTimer = setInterval(
      () => void this.republishAll('still unconfirmed'),
      this.options.republishMs ?? 30_000,
    );
  }

  /** Journals the result (fsync'd), then publishes it; a failed publish is retried later. */
  async settle(message: StationResultMessage): Promise<void> {
    await this.options.journal.recordResult(message);
    await this.publish(message);
  }

  /** Publishes every unconfirmed result again (after a reconnect, or Redis lost its data). */
  async republishAll(reason: string): Promise<void> {
    const pending = this.options.journal.unconfirmed();
    if (pending.length === 0) return;
    this.options.logger.info({ count: pending.length, reason }, 'publishing unconfirmed results');
    for (const message of pending) await this.publish(message);
  }

  async stop(): Promise<void> {
    this.options.redis.off('ready', this.onReady);
    clearInterval(this.pollTimer);
    clearInterval(this.republishTimer);
    await this.polling;
    // A last look: results confirmed just now need not be published again by the next boot.
    await this.pollConfirmations();
  }

  private async publish(message: StationResultMessage): Promise<void> {
    try {
      await this.options.redis.xadd(
        this.stream,
        '*',
        STREAM_MESSAGE_FIELD,
        JSON.stringify(message),
      );
    } catch (err) {
      // Kept in the journal: the next reconnect or republish sends it.
      this.options.logger.warn(
        { err, attemptId: message.result.attemptId },
        'result not published yet: kept in the journal',
      );
    }
  }

  private async pollConfirmations(): Promise<void> {
    const ids = this.options.journal.unconfirmed().map((m) => m.result.attemptId);
    if (ids.length === 0) return;
    try {
      const answers = await this.options.redis.hmget(this.confirmedKey, ...ids);
      const confirmed = ids.filter((_, index) => answers[index] !== null);
      for (const [index, attemptId] of ids.entries()) {
        const answer = answers[index];
        if (answer === null || answer === undefined) continue;
        const parsed = ResultConfirmation.safeParse(safeJson(answer));
        // A refusal is final too (the server will never store it): said loudly, then forgotten.
        if (parsed.success && !parsed.data.stored)
          this.options.logger.error(
            { attemptId, reason: parsed.data.reason },
            'the server refused this result',
          );
        await this.options.journal.recordConfirmed(attemptId);
      }
      if (confirmed.length > 0) await this.options.redis.hdel(this.confirmedKey, ...confirmed);
    } catch (err) {
      this.options.logger.debug({ err }, 'confirmation poll failed; retrying');
    }
  }
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};
