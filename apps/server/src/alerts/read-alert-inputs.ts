// Reads what the rules need, station by station: the line state (the screens' own), the station's
// heartbeat (its journal's unconfirmed results) and the window figures from Postgres.
import type { AlertThresholds, StationDetail, StationHeartbeat } from '@station/contracts';
import type { StationAlertInput, WindowFigures } from './alert-inputs';

export interface AlertSources {
  /** The stations to watch: those holding a credential. */
  stationIds: () => string[];
  detail: (stationId: string) => Promise<StationDetail | undefined>;
  heartbeat: (stationId: string) => StationHeartbeat | undefined;
  /**
   * Yield figures of [from, to) by station (key: its id) or slot (key: `<station>/<slot>`), as
   * `GET /api/yield` computes them.
   */
  figures: (
    groupBy: 'station' | 'slot',
    from: Date,
    to: Date,
  ) => Promise<ReadonlyMap<string, WindowFigures>>;
}

const NO_UNITS: WindowFigures = { units: 0, firstPassYield: null, retestRate: null };

export async function readAlertInputs(
  sources: AlertSources,
  thresholds: AlertThresholds,
  now: Date,
): Promise<StationAlertInput[]> {
  const ids = sources.stationIds();
  const [byStation, bySlot, details] = await Promise.all([
    sources.figures('station', new Date(now.getTime() - thresholds.windowMs), now),
    sources.figures('slot', new Date(now.getTime() - thresholds.silentMs), now),
    Promise.all(ids.map((id) => sources.detail(id))),
  ]);
  return ids.map((stationId, i): StationAlertInput => {
    const detail = details[i];
    // A credential no agent has used is a station the line is missing, not one to forget.
    if (!detail)
      return {
        stationId,
        connected: false,
        reported: false,
        unconfirmedResults: 0,
        window: byStation.get(stationId) ?? NO_UNITS,
        slots: [],
      };
    const online = new Map(detail.slots.map((s) => [s.slot, s.online !== false]));
    return {
      stationId,
      connected: detail.connected,
      reported: true,
      unconfirmedResults: sources.heartbeat(stationId)?.unconfirmed.length ?? 0,
      window: byStation.get(stationId) ?? NO_UNITS,
      slots: detail.line.map((line) => ({
        slot: line.slot,
        status: line.status ?? 'active',
        statusReason: line.statusReason ?? null,
        online: online.get(line.slot) ?? true,
        recentUnits: bySlot.get(`${stationId}/${line.slot}`)?.units ?? 0,
        lastEndedAt: line.last ? new Date(line.last.endedAt) : null,
      })),
    };
  });
}
