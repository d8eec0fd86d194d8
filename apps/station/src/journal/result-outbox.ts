// Results leave the station through its journal (design §9): journaled first, then published on
// the station's results stream, and kept until the server's confirmation is seen. Whatever is
// unconfirmed is published again after every reconnect, when Redis lost its data, and every
// `republishMs`; the server stores a result once however often it arrives. Results go out signed
// with the station's key, and only a confirmation signed with it lets the station forget one, so
// nobody else on the network can make it drop a result.
import {
  ResultConfirmation,
  STREAM_MESSAGE_FIELD,
  STREAM_SIGNATURE_FIELD,
  stationConfirmedKey,
  stationResultsStream,
  type StationResultMessage,
} from '@station/contracts';
import type { Logger } from '@station/logger';
import { openMessage, signMessage } from '@station/trust';
import type { Redis } from 'ioredis';
import type { StationJournal } from './journal';

export interface ResultOutboxOptions {
  redis: Redis;
  journal: StationJournal;
  prefix: string;
  stationId: string;
  /** The station's HMAC key: results are signed with it, confirmations checked against it. */
  signingKey: string;
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
  /** attemptId → the unusable answer last warned about, so one bad answer is logged once. */
  private readonly badAnswers = new Map<string, string>();
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
    const { m, s } = signMessage(this.options.signingKey, 'result', message);
    try {
      await this.options.redis.xadd(
        this.stream,
        '*',
        STREAM_MESSAGE_FIELD,
        m,
        STREAM_SIGNATURE_FIELD,
        s,
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
    const pending = this.options.journal.unconfirmed();
    if (pending.length === 0) return;
    const ids = pending.map((m) => m.result.attemptId);
    try {
      const answers = await this.options.redis.hmget(this.confirmedKey, ...ids);
      const taken: string[] = [];
      for (const [index, message] of pending.entries()) {
        const answer = answers[index];
        if (answer === null || answer === undefined) continue;
        const opened = this.openAnswer(answer, message.result.attemptId);
        if ('problem' in opened) {
          await this.ignoreAnswer(message, answer, opened.problem);
          continue;
        }
        const { confirmation } = opened;
        // A refusal is final too (the server will never store it): said loudly, then forgotten.
        if (!confirmation.stored)
          this.options.logger.error(
            { attemptId: message.result.attemptId, reason: confirmation.reason },
            'the server refused this result',
          );
        await this.options.journal.recordConfirmed(message.result.attemptId);
        this.badAnswers.delete(message.result.attemptId);
        taken.push(message.result.attemptId);
      }
      if (taken.length > 0) await this.options.redis.hdel(this.confirmedKey, ...taken);
    } catch (err) {
      this.options.logger.debug({ err }, 'confirmation poll failed; retrying');
    }
  }

  /** The server's answer when it is signed with this station's key, else why it is not believed. */
  private openAnswer(
    answer: string,
    attemptId: string,
  ): { confirmation: ResultConfirmation } | { problem: string } {
    const opened = openMessage(this.options.signingKey, 'confirm', safeJson(answer));
    if (!opened.ok) return { problem: opened.reason };
    const parsed = ResultConfirmation.safeParse(opened.message);
    if (!parsed.success) return { problem: 'not a result confirmation' };
    if (parsed.data.attemptId !== attemptId)
      return { problem: `a confirmation of attempt ${parsed.data.attemptId}, not of this one` };
    return { confirmation: parsed.data };
  }

  /**
   * The result stays unconfirmed and is published again at once: a forged answer may have
   * overwritten the server's, and the server answers the new copy. Once per distinct bad answer,
   * so one left in the hash is neither logged nor republished on every poll.
   */
  private async ignoreAnswer(
    message: StationResultMessage,
    answer: string,
    problem: string,
  ): Promise<void> {
    const { attemptId } = message.result;
    if (this.badAnswers.get(attemptId) === answer) return;
    this.badAnswers.set(attemptId, answer);
    this.options.logger.warn(
      { attemptId, problem },
      'ignored a confirmation this station cannot verify: the result stays unconfirmed',
    );
    await this.publish(message);
  }
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};
