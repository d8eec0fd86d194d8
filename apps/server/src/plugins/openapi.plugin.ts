import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** OpenAPI generated from the routes' zod schemas, browsable at /docs. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Flash Station API',
        description:
          'Stations, health, flash jobs and module history of MediaTek-based cellular modules.',
        version,
      },
    },
    transform: jsonSchemaTransform,
  });
  // staticCSP: the UI's own files get a CSP that allows only same-origin scripts (helmet sets one
  // for the rest). Changed: no upgrade-insecure-requests, which breaks the page on a plain-HTTP
  // line server, and inline styles allowed, which the UI sets (as helmet's default does).
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    transformStaticCSP: (header) =>
      header
        .replace(/\s*upgrade-insecure-requests;?/, '')
        .replace(/style-src ([^;]*?)\s*;/, "style-src $1 'unsafe-inline';"),
  });
}
