// The admin pages' calls to apps/server: every answer is parsed with the contract's schema, and
// every failure comes back as a sentence to show (the server's own, when it sent one).
import {
  ApiKeyListResponse,
  CreatedApiKeyResponse,
  StationCredentialListResponse,
  StationCredentialResponse,
  UserListResponse,
  UserSummary,
  type CreateApiKeyRequest,
  type CreateStationRequest,
  type CreateUserRequest,
  type UpdateUserRequest,
} from '@station/contracts';
import type { z } from 'zod';
import { apiRequest } from './api-request';
import { describeIssues } from './describe-issues';
import { describeError } from './session-client';

/** What one admin call came back with: the parsed answer, or why not (and whether signed out). */
export type AdminResult<T> =
  { ok: true; value: T } | { ok: false; message: string; signedOut: boolean };

async function call<T>(
  serverUrl: string,
  path: string,
  init: { method?: string; json?: unknown },
  expected: number,
  schema: z.ZodType<T> | null,
): Promise<AdminResult<T>> {
  const answer = await apiRequest(serverUrl, path, init);
  if (answer.kind === 'unreachable')
    return { ok: false, message: answer.message, signedOut: false };
  if (answer.status !== expected) {
    return {
      ok: false,
      message: describeError(answer.status, answer.body),
      signedOut: answer.status === 401,
    };
  }
  if (schema === null) return { ok: true, value: undefined as T };
  const parsed = schema.safeParse(answer.body);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    message: `The server sent an answer this dashboard does not understand: ${describeIssues(parsed.error)}`,
    signedOut: false,
  };
}

export const adminClient = (serverUrl: string) => ({
  listUsers: () => call(serverUrl, '/api/users', {}, 200, UserListResponse),
  createUser: (json: CreateUserRequest) =>
    call(serverUrl, '/api/users', { method: 'POST', json }, 201, UserSummary),
  updateUser: (id: string, json: UpdateUserRequest) =>
    call(serverUrl, `/api/users/${id}`, { method: 'PATCH', json }, 200, UserSummary),

  listApiKeys: () => call(serverUrl, '/api/api-keys', {}, 200, ApiKeyListResponse),
  createApiKey: (json: CreateApiKeyRequest) =>
    call(serverUrl, '/api/api-keys', { method: 'POST', json }, 201, CreatedApiKeyResponse),
  revokeApiKey: (id: string) =>
    call(serverUrl, `/api/api-keys/${id}`, { method: 'DELETE' }, 204, null),

  listStations: () =>
    call(serverUrl, '/api/station-credentials', {}, 200, StationCredentialListResponse),
  createStation: (json: CreateStationRequest) =>
    call(serverUrl, '/api/stations', { method: 'POST', json }, 201, StationCredentialResponse),
  rotateStation: (stationId: string) =>
    call(
      serverUrl,
      `/api/stations/${encodeURIComponent(stationId)}/credential`,
      { method: 'POST' },
      201,
      StationCredentialResponse,
    ),
  revokeStation: (stationId: string) =>
    call(
      serverUrl,
      `/api/stations/${encodeURIComponent(stationId)}/credential`,
      { method: 'DELETE' },
      204,
      null,
    ),
});

export type AdminClient = ReturnType<typeof adminClient>;
