import {
  AttemptDetail,
  AttemptsResponse,
  ModuleHistoryResponse,
  type AttemptFilter,
} from '@station/contracts';
import { apiRequest } from './api-request';
import { readAnswer } from './api-result';
import { attemptsPath } from './explorer-query';

/** One page of the explorer (`GET /api/attempts`). */
export async function fetchAttempts(
  serverUrl: string,
  filter: AttemptFilter,
  limit: number,
  cursor: string | null,
) {
  const answer = await apiRequest(serverUrl, attemptsPath(filter, limit, cursor));
  return readAnswer(answer, AttemptsResponse, 'attempt list');
}

/** One attempt with its timings, hints, retry chain and trace (`GET /api/attempts/:id`). */
export async function fetchAttempt(serverUrl: string, id: string) {
  const answer = await apiRequest(serverUrl, `/api/attempts/${encodeURIComponent(id)}`);
  return readAnswer(answer, AttemptDetail, 'attempt');
}

/** A module and its attempts and decisions (`GET /api/modules/:imei`). */
export async function fetchModuleHistory(serverUrl: string, imei: string) {
  const answer = await apiRequest(serverUrl, `/api/modules/${encodeURIComponent(imei)}`);
  return readAnswer(answer, ModuleHistoryResponse, 'module history');
}
