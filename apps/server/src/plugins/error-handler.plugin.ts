import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorResponse } from '@station/contracts';
import { AppError } from '../errors';

const body = (code: string, message: string): ErrorResponse => ({ error: { code, message } });

/**
 * One error shape for every failure: `{ error: { code, message } }` (rule 26). 4xx are logged at
 * warn, 5xx at error; 5xx messages are generic in production so internals do not leak.
 */
export function registerErrorHandler(app: FastifyInstance, options: { production: boolean }): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
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
      const level = error.httpStatus >= 500 ? 'error' : 'warn';
      request.log[level]({ err: error }, 'request failed');
      return reply.status(error.httpStatus).send(body(error.code, error.message));
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status < 500) {
      request.log.warn({ err: error }, 'request rejected');
      return reply.status(status).send(body(error.code ?? 'BAD_REQUEST', error.message));
    }
    request.log.error({ err: error }, 'request crashed');
    const message = options.production ? 'Internal server error' : error.message;
    return reply.status(status).send(body('INTERNAL', message));
  });

  app.setNotFoundHandler((request, reply) => {
    request.log.warn({ url: request.url }, 'route not found');
    return reply
      .status(404)
      .send(body('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`));
  });
}
