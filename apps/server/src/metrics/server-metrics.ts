// The server's metrics registry: attempts and durations from the record (FlashMetrics), the line
// read at scrape time (line gauges), and Node's own (event-loop lag, memory, CPU).
import { collectDefaultMetrics, Registry } from 'prom-client';
import { FlashMetrics } from './flash-metrics';
import { registerLineGauges, type LineSources } from './line-gauges';

export interface ServerMetrics {
  registry: Registry;
  flash: FlashMetrics;
}

/** A registry of its own per runtime (tests run several servers in one process). */
export function createServerMetrics(line: LineSources): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerLineGauges(registry, line);
  return { registry, flash: new FlashMetrics(registry) };
}
