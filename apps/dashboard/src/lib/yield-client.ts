import {
  AnalyticsSettingsResponse,
  ModuleStatusResponse,
  OpenDecisionsResponse,
  ParetoResponse,
  SlotStatusEvent,
  YieldResponse,
  type ParetoBy,
  type ParetoRow,
  type YieldGroupBy,
  type YieldRow,
} from '@station/contracts';
import { apiRequest } from './api-request';
import { readAnswer, type ApiResult } from './api-result';
import type { FiguresWindow } from './shift-window';

/** The yield page's requests to apps/server (docs/analytics.md), each answer checked by its contract. */

export const fetchAnalyticsSettings = async (serverUrl: string) =>
  readAnswer(
    await apiRequest(serverUrl, '/api/analytics/settings'),
    AnalyticsSettingsResponse,
    'analytics settings',
  );

const windowQuery = (window: FiguresWindow) =>
  `from=${encodeURIComponent(window.from)}&to=${encodeURIComponent(window.to)}`;

const yieldRows = async (serverUrl: string, window: FiguresWindow, groupBy: YieldGroupBy) => {
  const answer = await apiRequest(
    serverUrl,
    `/api/yield?${windowQuery(window)}&groupBy=${groupBy}`,
  );
  const result = readAnswer(answer, YieldResponse, `yield by ${groupBy}`);
  return result.ok ? { ...result, value: result.value.rows } : result;
};

const paretoRows = async (serverUrl: string, window: FiguresWindow, by: ParetoBy) => {
  const answer = await apiRequest(
    serverUrl,
    `/api/failures/pareto?${windowQuery(window)}&by=${by}`,
  );
  const result = readAnswer(answer, ParetoResponse, 'failure Pareto');
  return result.ok ? { ...result, value: result.value.rows } : result;
};

/** Everything the page charts for one window: asked together, shown together. */
export interface ShiftFigures {
  window: FiguresWindow;
  /** The whole window as one group (groupBy=shift over a window inside one shift). */
  total: YieldRow | null;
  byHour: YieldRow[];
  bySlot: YieldRow[];
  paretoBy: ParetoBy;
  pareto: ParetoRow[];
  decisions: OpenDecisionsResponse;
  /** When they arrived (ms): the shift's hours gone by are counted to here. */
  fetchedAt: number;
}

export async function fetchShiftFigures(
  serverUrl: string,
  window: FiguresWindow,
  paretoBy: ParetoBy,
): Promise<ApiResult<ShiftFigures>> {
  const [total, byHour, bySlot, pareto, decisions] = await Promise.all([
    yieldRows(serverUrl, window, 'shift'),
    yieldRows(serverUrl, window, 'hour'),
    yieldRows(serverUrl, window, 'slot'),
    paretoRows(serverUrl, window, paretoBy),
    fetchOpenDecisions(serverUrl),
  ]);
  if (!total.ok) return total;
  if (!byHour.ok) return byHour;
  if (!bySlot.ok) return bySlot;
  if (!pareto.ok) return pareto;
  if (!decisions.ok) return decisions;
  return {
    ok: true,
    status: 200,
    value: {
      window,
      total: total.value[0] ?? null,
      byHour: byHour.value,
      bySlot: bySlot.value,
      paretoBy,
      pareto: pareto.value,
      decisions: decisions.value,
      fetchedAt: Date.now(),
    },
  };
}

export const fetchOpenDecisions = async (serverUrl: string) =>
  readAnswer(
    await apiRequest(serverUrl, '/api/attribution/open'),
    OpenDecisionsResponse,
    'list of open decisions',
  );

/** A supervisor's word: what to do, to what, and why (the audit log keeps the reason). */
export type DecisionAction =
  | { kind: 'release-slot' | 'disable-slot'; stationId: string; slot: number }
  | { kind: 'release-module'; imei: string };

export async function runDecisionAction(
  serverUrl: string,
  action: DecisionAction,
  reason: string,
): Promise<ApiResult<unknown>> {
  if (action.kind === 'release-module') {
    const answer = await apiRequest(serverUrl, `/api/modules/${action.imei}/release`, {
      method: 'POST',
      json: { reason },
    });
    return readAnswer(answer, ModuleStatusResponse, 'module release');
  }
  const verb = action.kind === 'release-slot' ? 'release' : 'disable';
  const answer = await apiRequest(
    serverUrl,
    `/api/stations/${encodeURIComponent(action.stationId)}/slots/${action.slot}/${verb}`,
    { method: 'POST', json: { reason } },
  );
  return readAnswer(answer, SlotStatusEvent, `slot ${verb}`);
}
