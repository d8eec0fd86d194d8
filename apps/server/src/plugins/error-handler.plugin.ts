import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorResponse } from '@station/contracts';
import { AppError } from '../errors';

const body = (code: string, message: string): ErrorResponse => ({ error: { code, message } });

/**
 * The only message a 5xx answer carries, whatever NODE_ENV is: a server failure's own message may
 * hold SQL, a file path or a connection string. The request id is in every log line of the
 * request (`reqId`), so the operator quotes it and the engineer finds the cause in the log.
 */
export const internalMessage = (requestId: string): string =>
  `Something went wrong on the server (request ${requestId})`;

/**
 * One error shape for every failure: `{ error: { code, message } }` (rule 26). 4xx answers keep
 * their specific message (ours: validation, auth, conflicts) and are logged at warn; 5xx answers
 * are generic (see internalMessage), logged at error with the whole cause.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  const crashed = (request: FastifyRequest, error: unknown, code: string) => {
    request.log.error({ err: error }, 'request failed on the server');
    return body(code, internalMessage(request.id));
  };

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      // Built from the schema's paths and zod's messages only: never the server's files or input.
      const details = error.validation
        .map(
          (issue) =>
            `${issue.instancePath || error.validationContext || 'request'} ${issue.message}`,
        )
        .join('; ');
      request.log.warn({ err: error }, 'request validation failed');
      return reply.status(400).send(body('VALIDATION_FAILED', details));
    }
    if (error instanceof AppError) {
      // A deliberate 5xx keeps its code (a client may retry on QUEUE_UNAVAILABLE), not its text.
      if (error.httpStatus >= 500) {
        return reply.status(error.httpStatus).send(crashed(request, error, error.code));
      }
      request.log.warn({ err: error }, 'request refused');
      return reply.status(error.httpStatus).send(body(error.code, error.message));
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status < 500) {
      request.log.warn({ err: error }, 'request rejected');
      return reply.status(status).send(body(error.code ?? 'BAD_REQUEST', error.message));
    }
    return reply.status(status).send(crashed(request, error, 'INTERNAL'));
  });

  app.setNotFoundHandler((request, reply) => {
    request.log.warn({ url: request.url }, 'route not found');
    return reply
      .status(404)
      .send(body('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`));
  });
}

/** What Fastify's router refuses before any route or hook runs, said in a sentence of ours. */
const ROUTER_REFUSALS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_BAD_URL: {
    status: 400,
    code: 'BAD_URL',
    message: 'The URL is not valid: a path segment has a malformed %-escape',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: 'PATH_PARAMETER_TOO_LONG',
    message: 'A path parameter is longer than 100 characters',
  },
};

/**
 * Fastify's `frameworkErrors`: without it the router answers a malformed URL or an over-long path
 * parameter in a shape of its own (`{ error, code, message, statusCode }`) that echoes the whole
 * path. Found by the fuzz tests (docs/reliability.md "Fuzzing").
 */
export function answerRouterError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const refusal = ROUTER_REFUSALS[error.code];
  if (!refusal) {
    request.log.error({ err: error }, 'request failed in the router');
    return reply.status(500).send(body('INTERNAL', internalMessage(request.id)));
  }
  request.log.warn({ code: error.code }, 'request refused by the router');
  return reply.status(refusal.status).send(body(refusal.code, refusal.message));
}
