// Receives the multipart field `file` onto disk, at most `maxBytes` of it, counted while it
// streams: an oversize upload is refused without being held in memory or kept on disk.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { FIRMWARE_UPLOAD_FIELD } from '@station/contracts';
import { ArchiveRejectedError, formatMiB } from './archive-rules';
import type { BlobStore } from './blob-store';

/** Room the multipart framing around the file takes (boundaries, part headers). */
const FRAMING_BYTES = 64 * 1024;

const tooLarge = (maxBytes: number) =>
  new ArchiveRejectedError(
    'FIRMWARE_TOO_LARGE',
    `The archive is larger than ${formatMiB(maxBytes)} (FIRMWARE_MAX_BYTES)`,
    413,
  );

/**
 * The path of a temp file holding the upload; the caller removes it. Refuses a request that is
 * not multipart, has no `file` field, or carries more than `maxBytes`.
 */
export async function receiveArchive(
  request: FastifyRequest,
  store: BlobStore,
  maxBytes: number,
): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (declared > maxBytes + FRAMING_BYTES) throw tooLarge(maxBytes);
  if (!request.isMultipart())
    throw new ArchiveRejectedError(
      'NOT_MULTIPART',
      `Send the archive as multipart/form-data, in the field "${FIRMWARE_UPLOAD_FIELD}"`,
      415,
    );
  const part = await readFirstPart(request);
  if (!part || part.fieldname !== FIRMWARE_UPLOAD_FIELD) {
    part?.file.resume();
    throw new ArchiveRejectedError(
      'NO_FILE',
      `The request holds no file in the field "${FIRMWARE_UPLOAD_FIELD}"${part ? ` (it sent "${part.fieldname}")` : ''}`,
    );
  }
  const path = await store.tempPath('upload');
  try {
    await pipeline(part.file, createWriteStream(path, { flags: 'wx' }));
    if (part.file.truncated) throw tooLarge(maxBytes);
    return path;
  } catch (error) {
    await rm(path, { force: true });
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(maxBytes);
    throw error;
  }
}

/**
 * The first part of the multipart body. A body that is not multipart inside (busboy cannot find
 * the boundary or a part header) is the client's error: 400, not a server failure (found by the
 * fuzz tests). Errors with a status of their own (too large, …) keep it.
 */
async function readFirstPart(request: FastifyRequest) {
  try {
    return await request.file();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== undefined) throw error;
    throw new ArchiveRejectedError(
      'MALFORMED_MULTIPART',
      `The multipart body could not be read: ${(error as Error).message}`,
    );
  }
}
