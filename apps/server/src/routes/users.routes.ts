import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateUserRequest,
  ErrorResponse,
  RowId,
  UpdateUserRequest,
  UserListResponse,
  UserSummary,
} from '@station/contracts';
import type { UserAdminService } from '../people/user-admin.service';

/** `/api/users`: admins list, add and change people (docs/security.md). Every change is audited. */
export const userRoutes: FastifyPluginAsyncZod<{ users: UserAdminService }> = async (
  app,
  { users },
) => {
  app.get(
    '/users',
    {
      schema: {
        tags: ['people'],
        summary: 'Everyone who may sign in (and the disabled), without passwords or badges',
        response: { 200: UserListResponse },
      },
    },
    async () => ({ users: await users.list() }),
  );

  app.post(
    '/users',
    {
      schema: {
        tags: ['people'],
        summary: 'Add a user with a password, a badge or both',
        body: CreateUserRequest,
        response: { 201: UserSummary, 400: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await users.create(request.body, request.principal!)),
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags: ['people'],
        summary:
          "Change a user's name, role, password or badge, or disable them (their sessions end)",
        params: z.object({ id: RowId }),
        body: UpdateUserRequest,
        response: { 200: UserSummary, 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request) => users.update(request.params.id, request.body, request.principal!),
  );
};
