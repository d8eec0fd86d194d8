import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ApiKeyListResponse,
  CreateApiKeyRequest,
  CreatedApiKeyResponse,
  ErrorResponse,
  RowId,
} from '@station/contracts';
import type { ApiKeyService } from '../people/api-key.service';

/** `/api/api-keys`: admins create keys for scripts (the key is in the 201 answer only) and revoke them. */
export const apiKeyRoutes: FastifyPluginAsyncZod<{ apiKeys: ApiKeyService }> = async (
  app,
  { apiKeys },
) => {
  app.get(
    '/api-keys',
    {
      schema: {
        tags: ['people'],
        summary: 'Every API key, newest first (revoked ones too); never a key itself',
        response: { 200: ApiKeyListResponse },
      },
    },
    async () => ({ apiKeys: await apiKeys.list() }),
  );

  app.post(
    '/api-keys',
    {
      schema: {
        tags: ['people'],
        summary: 'Create an API key (shown once): operator, supervisor or engineer',
        body: CreateApiKeyRequest,
        response: { 201: CreatedApiKeyResponse, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await apiKeys.create(request.body, request.principal!)),
  );

  app.delete(
    '/api-keys/:id',
    {
      schema: {
        tags: ['people'],
        summary: 'Revoke an API key: refused from now on, its sockets disconnected',
        params: z.object({ id: RowId }),
        response: { 204: z.null(), 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      await apiKeys.revoke(request.params.id, request.principal!);
      return reply.code(204).send(null);
    },
  );
};
