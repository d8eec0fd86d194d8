// FlashMetrics on a real prom-client registry: bounded labels (catalogue error names, `other` for
// anything a station invents) and stage timings taken only when they are sound. Nothing mocked.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FlashMetrics } from './flash-metrics';

/** A metric's samples; a histogram's carry the name of their series (_sum, _count, _bucket). */
const valuesOf = async (registry: Registry, name: string) =>
  (await registry.getSingleMetric(name)!.get()).values as {
    labels: Record<string, string | number>;
    value: number;
    metricName?: string;
  }[];

describe('FlashMetrics', () => {
  it('labels errors by catalogue name, anything else as other, and a pass as none', async () => {
    const registry = new Registry();
    const metrics = new FlashMetrics(registry);
    metrics.settled({ stationId: 's1', outcome: 'failed', errorName: 'S_FT_CHANGE_BAUDRATE_FAIL' });
    metrics.settled({ stationId: 's1', outcome: 'interrupted', errorName: 'JOB_LOST' });
    metrics.settled({ stationId: 's1', outcome: 'failed', errorName: 'IMEI 861359031000019 bad' });
    metrics.settled({ stationId: 's1', outcome: 'passed', errorName: null });
    const labels = (await valuesOf(registry, 'flashstation_attempts_total')).map(
      (v) => v.labels.error_name,
    );
    expect(labels.sort()).toEqual(['JOB_LOST', 'S_FT_CHANGE_BAUDRATE_FAIL', 'none', 'other']);
  });

  it('observes known stages in seconds and their sum as the flash; skips unsound timings', async () => {
    const registry = new Registry();
    const metrics = new FlashMetrics(registry);
    metrics.settled({
      stationId: 's1',
      outcome: 'passed',
      errorName: null,
      stageTimings: { brom: 500, write: 20_000, bogus: 7, verify: -1, finish: 'x' },
    });
    const stages = (await valuesOf(registry, 'flashstation_stage_duration_seconds')).filter(
      (v) => v.metricName === 'flashstation_stage_duration_seconds_sum',
    );
    expect(Object.fromEntries(stages.map((v) => [v.labels.stage, v.value]))).toEqual({
      brom: 0.5,
      write: 20,
    });
    const flash = (await valuesOf(registry, 'flashstation_flash_duration_seconds')).find(
      (v) => v.metricName === 'flashstation_flash_duration_seconds_sum',
    );
    expect(flash?.value).toBe(20.5);
  });

  it('counts an attempt without timings but observes no duration for it', async () => {
    const registry = new Registry();
    new FlashMetrics(registry).settled({
      stationId: 's1',
      outcome: 'interrupted',
      errorName: null,
    });
    const counts = (await valuesOf(registry, 'flashstation_flash_duration_seconds')).filter(
      (v) => v.metricName === 'flashstation_flash_duration_seconds_count',
    );
    expect(counts).toEqual([]);
  });
});
