import { Queue, QueueEvents } from 'bullmq';
import { flashQueueName } from '@station/contracts';
import type { Logger } from '@station/logger';
import { createRedis } from '@station/runtime';
import type { Redis } from 'ioredis';

interface Watched {
  events: QueueEvents;
  connection: Redis;
  ready: Promise<unknown>;
}

/**
 * The server's side of every station's `flash-<stationId>` queue: one producer `Queue` on a shared
 * connection, and one `QueueEvents` listener per station on its own (blocking) connection.
 * `onWatch` attaches the result handlers to a new listener.
 */
export class FlashQueues {
  private readonly producer: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly watched = new Map<string, Watched>();
  private closed = false;

  constructor(
    private readonly options: {
      redisUrl: string;
      prefix: string;
      logger: Logger;
      onWatch: (stationId: string, events: QueueEvents) => void;
    },
  ) {
    this.producer = createRedis(options.redisUrl, options.logger, 'server-flash-producer', {
      forBullMq: true,
    });
  }

  queue(stationId: string): Queue {
    let queue = this.queues.get(stationId);
    if (!queue) {
      queue = new Queue(flashQueueName(stationId), {
        connection: this.producer,
        prefix: this.options.prefix,
      });
      queue.on('error', (err) =>
        this.options.logger.error({ err, stationId }, 'flash queue error'),
      );
      this.queues.set(stationId, queue);
    }
    return queue;
  }

  /** Starts listening to a station's flash queue (once); resolves when the listener is live. */
  async watch(stationId: string): Promise<void> {
    if (this.closed) return;
    let entry = this.watched.get(stationId);
    if (!entry) {
      const connection = createRedis(
        this.options.redisUrl,
        this.options.logger,
        `server-flash-events-${stationId}`,
        { forBullMq: true },
      );
      const events = new QueueEvents(flashQueueName(stationId), {
        connection,
        prefix: this.options.prefix,
      });
      events.on('error', (err) =>
        this.options.logger.error({ err, stationId }, 'flash queue events error'),
      );
      this.options.onWatch(stationId, events);
      entry = { events, connection, ready: events.waitUntilReady() };
      this.watched.set(stationId, entry);
    }
    try {
      await entry.ready;
    } catch (error) {
      // Not live (Redis out): forget it so the next registration or scan tries again.
      if (this.watched.get(stationId) === entry) this.watched.delete(stationId);
      await entry.events.close().catch(() => {});
      entry.connection.disconnect();
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const { events, connection } of this.watched.values()) {
      await events.close();
      connection.disconnect();
    }
    for (const queue of this.queues.values()) await queue.close();
    this.watched.clear();
    this.queues.clear();
    await this.producer.quit();
  }
}
