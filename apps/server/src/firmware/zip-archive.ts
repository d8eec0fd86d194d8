// Reads a .zip from disk entry by entry (yauzl: the central directory, then each entry's data,
// checked against its declared size), within an ArchiveBudget.
import yauzl from 'yauzl';
import {
  ArchiveBudget,
  ArchiveRejectedError,
  isOsClutter,
  safePath,
  type ArchiveFile,
  type ArchiveLimits,
} from './archive-rules';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/** yauzl's own refusals of an entry name; each means a path that must not be unpacked. */
const UNSAFE_NAME = /absolute path|invalid relative path|invalid characters in fileName/;

export async function readZip(file: string, limits: ArchiveLimits): Promise<ArchiveFile[]> {
  const budget = new ArchiveBudget(limits);
  const files: ArchiveFile[] = [];
  let zip: yauzl.ZipFile | undefined;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
    for await (const entry of zip.eachEntry()) {
      budget.entry();
      // Unix zips keep the mode in the high 16 bits; 0 there means "made elsewhere, a plain file".
      const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
      const isDirectory = entry.fileName.endsWith('/') || mode === S_IFDIR;
      const path = safePath(entry.fileName);
      if (isDirectory || isOsClutter(path)) continue;
      if (mode !== 0 && mode !== S_IFREG)
        throw new ArchiveRejectedError(
          'ARCHIVE_LINK',
          `The archive entry "${entry.fileName}" is a symbolic link or special file: only regular files are accepted`,
        );
      if (entry.isEncrypted())
        throw new ArchiveRejectedError(
          'BROKEN_ARCHIVE',
          `The archive entry "${entry.fileName}" is encrypted: upload an archive without a password`,
        );
      // Declared sizes first (refused before a byte is inflated); yauzl then holds each entry to
      // its declared size while inflating.
      budget.add(entry.uncompressedSize);
      const data = await collect(await zip.openReadStreamPromise(entry));
      files.push({ path, data });
    }
    return files;
  } catch (error) {
    throw asRejection(error);
  } finally {
    zip?.close();
  }
}

async function collect(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

function asRejection(error: unknown): unknown {
  if (error instanceof ArchiveRejectedError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (UNSAFE_NAME.test(message))
    return new ArchiveRejectedError(
      'UNSAFE_ARCHIVE_PATH',
      `The archive holds an unsafe path (${message}): every file must sit at a plain relative path inside the archive`,
    );
  return new ArchiveRejectedError('BROKEN_ARCHIVE', `The .zip archive cannot be read: ${message}`);
}
