import type { FastifyRequest } from 'fastify';
import { BadRequestError } from '../errors';

/**
 * Refuses an OPTIONS request that is not a CORS preflight (no Origin or no
 * Access-Control-Request-Method) in the error shape of every other refusal. @fastify/cors would
 * answer it with a text/plain 400 of its own; found by the fuzz tests. Runs before CORS.
 */
export async function refuseMalformedPreflight(request: FastifyRequest): Promise<void> {
  if (request.method !== 'OPTIONS') return;
  if (request.headers.origin && request.headers['access-control-request-method']) return;
  throw new BadRequestError(
    'INVALID_PREFLIGHT',
    'A CORS preflight needs the Origin and Access-Control-Request-Method headers',
  );
}
