import { rm } from 'node:fs/promises';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ActivateFirmwareRequest,
  ActivateFirmwareResponse,
  ErrorResponse,
  FirmwareFileParams,
  FirmwarePackageListResponse,
  FirmwarePackageParams,
  FirmwarePackageResponse,
} from '@station/contracts';
import { UnauthenticatedError } from '../errors';
import type { BlobStore } from '../firmware/blob-store';
import { actorOf, type FirmwareRegistryService } from '../firmware/firmware-registry.service';
import { receiveArchive } from '../firmware/receive-upload';

export interface FirmwareRoutesOptions {
  registry: FirmwareRegistryService;
  store: BlobStore;
  /** FIRMWARE_MAX_BYTES: the largest archive accepted. */
  maxBytes: number;
}

const errors = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse } as const;

/** `/api/firmware-packages`: upload, list, read, download a file, activate. */
export const firmwareRoutes: FastifyPluginAsyncZod<FirmwareRoutesOptions> = async (
  app,
  { registry, store, maxBytes },
) => {
  // One file per request; busboy stops counting at maxBytes + 1 and marks the part truncated.
  await app.register(multipart, { limits: { files: 1, fileSize: maxBytes } });

  const actor = (principal: Parameters<typeof actorOf>[0] | null) => {
    // The role matrix let the request in, so someone is signed in; this keeps the type honest.
    if (!principal) throw new UnauthenticatedError();
    return actorOf(principal);
  };

  app.post(
    '/firmware-packages',
    {
      schema: {
        tags: ['firmware'],
        summary:
          'Upload a package archive (.zip or .tar.gz: one .cfg, its images, optionally a DA) as multipart field `file`',
        consumes: ['multipart/form-data'],
        response: {
          200: FirmwarePackageResponse,
          201: FirmwarePackageResponse,
          413: ErrorResponse,
          415: ErrorResponse,
          422: ErrorResponse,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const path = await receiveArchive(request, store, maxBytes);
      // The temp file is gone before the answer leaves: a client that lists the store right
      // after its upload (and the test that does) never sees it.
      const result = await registry
        .upload(path, actor(request.principal))
        .finally(() => rm(path, { force: true }));
      return reply.status(result.created ? 201 : 200).send(result.package);
    },
  );

  app.get(
    '/firmware-packages',
    {
      schema: {
        tags: ['firmware'],
        summary: 'Firmware packages, newest first, with where each is active',
        response: { 200: FirmwarePackageListResponse },
      },
    },
    async () => ({ packages: await registry.list() }),
  );

  app.get(
    '/firmware-packages/:id',
    {
      schema: {
        tags: ['firmware'],
        summary: 'One firmware package with its files',
        params: FirmwarePackageParams,
        response: { 200: FirmwarePackageResponse, ...errors },
      },
    },
    async (request) => registry.get(request.params.id),
  );

  app.get(
    '/firmware-packages/:id/files/:fileName',
    {
      schema: {
        tags: ['firmware'],
        summary: 'One stored file of a package, as bytes (its sha256 in the `x-sha256` header)',
        params: FirmwareFileParams,
        response: errors,
      },
    },
    async (request, reply) => {
      const file = await registry.openFile(request.params.id, request.params.fileName);
      return (
        reply
          .header('content-type', 'application/octet-stream')
          .header('content-length', file.size)
          .header('x-sha256', file.sha256)
          .header('content-disposition', `attachment; filename="${file.name.replace(/"/g, '')}"`)
          // Fastify pipes a stream as is; the typed reply only knows the schema's JSON bodies.
          .send(file.stream as never)
      );
    },
  );

  app.post(
    '/firmware-packages/:id/activate',
    {
      schema: {
        tags: ['firmware'],
        summary: 'Make this package the one new scans flash on a station, or the whole line',
        params: FirmwarePackageParams,
        // Optional: no body at all activates for the whole line, as `{}` does.
        body: ActivateFirmwareRequest.optional(),
        response: { 200: ActivateFirmwareResponse, ...errors },
      },
    },
    async (request) =>
      registry.activate(request.params.id, request.body?.stationId, actor(request.principal)),
  );
};
