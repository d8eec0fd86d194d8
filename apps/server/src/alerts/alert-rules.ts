// The six alerts of issue #12 §2 as pure functions: a station's inputs and the thresholds in,
// the alerts that hold now out. Whether they fire yet (holdMs) is alert-transitions.ts' call.
import type { Alert, AlertKind, AlertSeverity, AlertThresholds } from '@station/contracts';
import type { SlotAlertInput, StationAlertInput } from './alert-inputs';

/** An alert that holds now; `since` is set when it fires. */
export type AlertCandidate = Omit<Alert, 'since'>;

type StationRule = (station: StationAlertInput, t: AlertThresholds, now: Date) => AlertCandidate[];

const percent = (ratio: number) => `${Math.round(ratio * 1000) / 10} %`;
const minutes = (ms: number) => Math.round(ms / 60_000);

function candidate(
  kind: AlertKind,
  severity: AlertSeverity,
  stationId: string,
  slot: number | null,
  text: { message: string; action: string },
  evidence: Record<string, number>,
): AlertCandidate {
  const id = slot === null ? `${kind}:${stationId}` : `${kind}:${stationId}/${slot}`;
  return { id, kind, severity, stationId, slot, ...text, evidence };
}

export const yieldBelowTarget: StationRule = (station, t) => {
  const { units, firstPassYield } = station.window;
  if (firstPassYield === null || units < t.minUnits || firstPassYield >= t.yieldTarget) return [];
  return [
    candidate(
      'yield_below_target',
      'critical',
      station.stationId,
      null,
      {
        message: `First-pass yield at ${station.stationId} is ${percent(firstPassYield)} over the last ${minutes(t.windowMs)} minutes, below the ${percent(t.yieldTarget)} target (${units} units).`,
        action:
          'Supervisor: open the failure Pareto for this station; if one error or one slot leads, call the engineer before flashing more.',
      },
      { firstPassYield, target: t.yieldTarget, units },
    ),
  ];
};

export const retestRateHigh: StationRule = (station, t) => {
  const { units, retestRate } = station.window;
  if (retestRate === null || units < t.minUnits || retestRate <= t.retestRateMax) return [];
  return [
    candidate(
      'retest_rate_high',
      'warning',
      station.stationId,
      null,
      {
        message: `Modules at ${station.stationId} need ${retestRate.toFixed(2)} extra attempts each over the last ${minutes(t.windowMs)} minutes (limit ${t.retestRateMax.toFixed(2)}, ${units} units).`,
        action:
          'Engineer: check the retried errors (line errors point at baud or cabling, handshake timeouts at power) in the attempt explorer.',
      },
      { retestRate, limit: t.retestRateMax, units },
    ),
  ];
};

export const stationOffline: StationRule = (station) =>
  station.connected
    ? []
    : [
        candidate(
          'station_offline',
          'critical',
          station.stationId,
          null,
          {
            message: station.reported
              ? `Station ${station.stationId} is offline: its agent has stopped reporting.`
              : `Station ${station.stationId} is offline: it holds a credential but no agent has reported for it.`,
            action:
              'Supervisor: check the station PC is on and networked; engineer: restart the station agent and read its log. Its unconfirmed results are kept in its journal and are stored when it is back.',
          },
          {},
        ),
      ];

export const resultsWaiting: StationRule = (station, t) =>
  station.unconfirmedResults < t.resultsWaitingMin
    ? []
    : [
        candidate(
          'results_waiting',
          'warning',
          station.stationId,
          null,
          {
            message: `${station.unconfirmedResults} results of ${station.stationId} are waiting to be stored: the server has not confirmed them.`,
            action:
              'Engineer: check the server can reach Postgres and Redis (/api/health) and the server log; the station keeps the results in its journal meanwhile, do not wipe it.',
          },
          { waiting: station.unconfirmedResults, threshold: t.resultsWaitingMin },
        ),
      ];

export const slotSuspect: StationRule = (station) =>
  station.slots
    .filter((slot) => slot.status === 'suspect')
    .map((slot) =>
      candidate(
        'slot_suspect',
        'warning',
        station.stationId,
        slot.slot,
        {
          message: `Slot ${slot.slot} of ${station.stationId} is suspect and out of rotation: ${slot.statusReason ?? 'its failures rose while its neighbours passed'}`,
          action:
            "Engineer: check the slot's adapter, cable and power, then release it on the yield page with what was found.",
        },
        {},
      ),
    );

/** Silent: active and online on a connected station, nothing finished lately, neighbours busy. */
export const slotSilent: StationRule = (station, t, now) => {
  if (!station.connected) return [];
  const total = station.slots.reduce((sum, slot) => sum + slot.recentUnits, 0);
  const silentFor = (slot: SlotAlertInput) =>
    slot.lastEndedAt === null ? null : now.getTime() - slot.lastEndedAt.getTime();
  return station.slots
    .filter((slot) => {
      if (slot.status !== 'active' || !slot.online || slot.recentUnits > 0) return false;
      const silent = silentFor(slot);
      return (silent === null || silent >= t.silentMs) && total >= t.silentNeighbourUnits;
    })
    .map((slot) => {
      const silent = silentFor(slot);
      return candidate(
        'slot_silent',
        'warning',
        station.stationId,
        slot.slot,
        {
          message: `Slot ${slot.slot} of ${station.stationId} has finished nothing ${silent === null ? 'yet' : `for ${minutes(silent)} minutes`} while the other slots finished ${total} units in the last ${minutes(t.silentMs)} minutes.`,
          action:
            'Supervisor: see whether the operator skips this slot (module not seated, tile waiting for power); if it is loaded and still idle, call the engineer.',
        },
        {
          neighbourUnits: total,
          ...(silent === null ? {} : { minutesSilent: minutes(silent) }),
        },
      );
    });
};

const RULES: readonly StationRule[] = [
  stationOffline,
  yieldBelowTarget,
  retestRateHigh,
  resultsWaiting,
  slotSuspect,
  slotSilent,
];

/** Every alert that holds now on the line. */
export function evaluateRules(
  stations: readonly StationAlertInput[],
  thresholds: AlertThresholds,
  now: Date,
): AlertCandidate[] {
  return stations.flatMap((station) => RULES.flatMap((rule) => rule(station, thresholds, now)));
}
