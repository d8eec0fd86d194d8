import { Queue } from 'bullmq';
import { flashQueueName } from '@station/contracts';
import type { Logger } from '@station/logger';
import type { Redis } from 'ioredis';

/**
 * The server's producer side of every station's `flash-<stationId>` queue, on one shared
 * connection. Results do not come back through BullMQ (see contracts results.ts).
 */
export class FlashQueues {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly options: { connection: Redis; prefix: string; logger: Logger }) {}

  queue(stationId: string): Queue {
    let queue = this.queues.get(stationId);
    if (!queue) {
      queue = new Queue(flashQueueName(stationId), {
        connection: this.options.connection,
        prefix: this.options.prefix,
      });
      queue.on('error', (err) =>
        this.options.logger.error({ err, stationId }, 'flash queue error'),
      );
      this.queues.set(stationId, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    for (const queue of this.queues.values()) await queue.close();
    this.queues.clear();
  }
}
