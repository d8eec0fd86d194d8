import {
  ActivateFirmwareResponse,
  FIRMWARE_UPLOAD_FIELD,
  FirmwarePackageListResponse,
  FirmwarePackageResponse,
  StationListResponse,
  type FirmwareActiveScope,
} from '@station/contracts';
import { apiRequest, REQUEST_TIMEOUT_MS, type ApiAnswer } from './api-request';
import { readAnswer, type ApiResult } from './api-result';

/** Every firmware request's outcome as data: the answer, or the sentence the page shows. */
export type FirmwareResult<T> = ApiResult<T>;

export async function listPackages(serverUrl: string) {
  const answer = await apiRequest(serverUrl, '/api/firmware-packages');
  return readAnswer(answer, FirmwarePackageListResponse, 'package list');
}

/** The stations a package may be activated on (those the server knows are connected or were). */
export async function listStationIds(serverUrl: string): Promise<FirmwareResult<string[]>> {
  const result = readAnswer(
    await apiRequest(serverUrl, '/api/stations'),
    StationListResponse,
    'station list',
  );
  return result.ok
    ? { ...result, value: result.value.stations.map((s) => s.stationId).sort() }
    : result;
}

export async function activatePackage(serverUrl: string, id: string, stationId: string | null) {
  const answer = await apiRequest(serverUrl, `/api/firmware-packages/${id}/activate`, {
    method: 'POST',
    json: stationId === null ? {} : { stationId },
  });
  return readAnswer(answer, ActivateFirmwareResponse, 'activation');
}

/** Uploads uses a longer deadline: a large archive over a slow line takes a while. */
const UPLOAD_TIMEOUT_MS = 6 * REQUEST_TIMEOUT_MS;

/** `POST /api/firmware-packages` (multipart): 201 stored now, 200 stored before. */
export async function uploadPackage(
  serverUrl: string,
  file: File,
): Promise<FirmwareResult<FirmwarePackageResponse>> {
  const form = new FormData();
  form.append(FIRMWARE_UPLOAD_FIELD, file, file.name);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), UPLOAD_TIMEOUT_MS);
  let answer: ApiAnswer;
  try {
    const response = await fetch(`${serverUrl}/api/firmware-packages`, {
      method: 'POST',
      body: form,
      credentials: 'include',
      cache: 'no-store',
      signal: controller.signal,
    });
    answer = {
      kind: 'answer',
      status: response.status,
      body: await response.json().catch(() => undefined),
    };
  } catch {
    const reason = controller.signal.aborted
      ? `no answer within ${UPLOAD_TIMEOUT_MS / 1000} s`
      : 'connection failed';
    answer = { kind: 'unreachable', message: `Server not reachable at ${serverUrl} (${reason})` };
  } finally {
    clearTimeout(timer);
  }
  return readAnswer(answer, FirmwarePackageResponse, 'upload answer');
}

/** The first 12 hex digits: enough to tell packages apart on a screen (the full one on hover). */
export const shortDigest = (digest: string): string => digest.slice(0, 12);

/** Where a package is active, in words: "whole line", station ids, or "—". */
export function describeActive(activeOn: readonly FirmwareActiveScope[]): string {
  if (activeOn.length === 0) return '—';
  return activeOn.map((a) => (a.stationId === null ? 'whole line' : a.stationId)).join(', ');
}
