// The station's registry on real prom-client: slot states from the journal and the port watch
// (a slot without its adapter is offline even with an attempt open), bytes per slot from zero.
import { describe, expect, it } from 'vitest';
import { createStationMetrics } from './station-metrics';

const valuesOf = async (metrics: ReturnType<typeof createStationMetrics>, name: string) =>
  (await metrics.registry.getSingleMetric(name)!.get()).values;

describe('station metrics', () => {
  it('counts slots offline, flashing and idle, and what the journal holds', async () => {
    const metrics = createStationMetrics({
      stationId: 'jig-7',
      slots: [1, 2, 3, 4],
      offlineSlots: () => [2],
      openSlots: () => [1, 2],
      unconfirmedCount: () => 5,
    });
    const slots = await valuesOf(metrics, 'flashstation_station_slots');
    expect(Object.fromEntries(slots.map((v) => [v.labels.state, v.value]))).toEqual({
      offline: 1,
      flashing: 1,
      idle: 2,
    });
    expect((await valuesOf(metrics, 'flashstation_station_flashes_in_progress'))[0]?.value).toBe(2);
    expect((await valuesOf(metrics, 'flashstation_station_results_unconfirmed'))[0]?.value).toBe(5);
    // Every series names the station.
    expect(await metrics.registry.metrics()).toContain(
      'flashstation_station_slots{state="idle",station="jig-7"} 2',
    );
  });

  it('adds up bytes per slot, every slot listed from zero', async () => {
    const metrics = createStationMetrics({
      stationId: 'jig-7',
      slots: [1, 2],
      offlineSlots: () => [],
      openSlots: () => [],
      unconfirmedCount: () => 0,
    });
    metrics.serialWritten(1, 4096);
    metrics.serialWritten(1, 100);
    const bytes = await valuesOf(metrics, 'flashstation_station_serial_bytes_written_total');
    expect(Object.fromEntries(bytes.map((v) => [v.labels.slot, v.value]))).toEqual({
      '1': 4196,
      '2': 0,
    });
  });

  it("exports each real slot's FTDI latency timer as found at start, and none for others", async () => {
    const metrics = createStationMetrics({
      stationId: 'jig-7',
      slots: [1, 2, 3],
      offlineSlots: () => [],
      openSlots: () => [],
      unconfirmedCount: () => 0,
      latencyTimersMs: new Map([
        [1, 16],
        [3, 1],
      ]),
    });
    const timers = await valuesOf(metrics, 'flashstation_station_serial_latency_timer_ms');
    expect(Object.fromEntries(timers.map((v) => [v.labels.slot, v.value]))).toEqual({
      1: 16,
      3: 1,
    });
    const emulated = createStationMetrics({
      stationId: 'jig-7',
      slots: [1],
      offlineSlots: () => [],
      openSlots: () => [],
      unconfirmedCount: () => 0,
    });
    expect(await valuesOf(emulated, 'flashstation_station_serial_latency_timer_ms')).toEqual([]);
  });
});
