// Reads a .tar.gz from disk: gunzip counted byte by byte (a gzip bomb stops at the budget, not
// after inflating), then node-tar's parser over the plain tar stream.
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import {
  ArchiveBudget,
  ArchiveRejectedError,
  isOsClutter,
  safePath,
  unpacksTooLarge,
  type ArchiveFile,
  type ArchiveLimits,
} from './archive-rules';

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
/** Headers, padding and the end blocks a tar adds around the files' own bytes. */
const TAR_OVERHEAD = 1024 * 1024;

export async function readTarGz(file: string, limits: ArchiveLimits): Promise<ArchiveFile[]> {
  const budget = new ArchiveBudget(limits);
  const files: ArchiveFile[] = [];
  let refusal: unknown;
  const parser = new Parser({ strict: true });
  parser.on('entry', (entry: ReadEntry) => {
    try {
      const path = accept(entry, budget);
      if (path === null) return entry.resume();
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => files.push({ path, data: new Uint8Array(Buffer.concat(chunks)) }));
    } catch (error) {
      refusal ??= error;
      entry.resume();
    }
  });

  const parsed = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
  });
  // Swallowed here, seen through `parsed` (awaited below) when the stream ends early.
  parsed.catch(() => {});
  let inflated = 0;
  const cap = limits.maxUnpackedBytes + TAR_OVERHEAD;
  try {
    await pipeline(
      createReadStream(file),
      createGunzip(),
      async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) {
          inflated += chunk.length;
          // Kept in `refusal`: pipeline reports an error thrown here as its own AbortError.
          if (inflated > cap) refusal ??= unpacksTooLarge(limits);
          // The first refusal ends the read: nothing after it matters.
          if (refusal) throw refusal;
          if (!parser.write(chunk)) await once(parser, 'drain');
        }
        parser.end();
      },
    );
    await parsed;
  } catch (error) {
    throw refusal ?? asRejection(error);
  }
  if (refusal) throw refusal;
  return files;
}

/** The entry's safe path when it is a file to keep, null when it is skipped, else a refusal. */
function accept(entry: ReadEntry, budget: ArchiveBudget): string | null {
  budget.entry();
  const path = safePath(entry.path);
  if (entry.type === 'Directory' || isOsClutter(path)) return null;
  if (!FILE_TYPES.has(entry.type))
    throw new ArchiveRejectedError(
      'ARCHIVE_LINK',
      `The archive entry "${entry.path}" is a ${entry.type === 'SymbolicLink' ? 'symbolic link' : entry.type === 'Link' ? 'hard link' : `${entry.type} entry`}: only regular files are accepted`,
    );
  budget.add(entry.size ?? 0);
  return path;
}

function asRejection(error: unknown): unknown {
  if (error instanceof ArchiveRejectedError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ArchiveRejectedError(
    'BROKEN_ARCHIVE',
    `The .tar.gz archive cannot be read: ${message}`,
  );
}
