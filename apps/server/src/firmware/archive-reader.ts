// An uploaded archive, told by its first bytes (not its name): .zip or .tar.gz, anything else
// refused. Both readers give the same list of files under the same rules (archive-rules.ts).
import { open } from 'node:fs/promises';
import { ArchiveRejectedError, type ArchiveFile, type ArchiveLimits } from './archive-rules';
import { readTarGz } from './tar-archive';
import { readZip } from './zip-archive';

type Format = 'zip' | 'tar.gz';

async function formatOf(file: string): Promise<Format | null> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    const head = buffer.subarray(0, bytesRead);
    // PK\3\4: a local file header; PK\5\6: the end record of an empty zip.
    if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5)) return 'zip';
    if (head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz';
    return null;
  } finally {
    await handle.close();
  }
}

/** Every regular file of the archive at `file`, or an ArchiveRejectedError saying why not. */
export async function readArchive(file: string, limits: ArchiveLimits): Promise<ArchiveFile[]> {
  const format = await formatOf(file);
  if (format === null)
    throw new ArchiveRejectedError(
      'NOT_AN_ARCHIVE',
      'The upload is not a .zip or .tar.gz archive: pack the .cfg and its images into one',
    );
  return format === 'zip' ? readZip(file, limits) : readTarGz(file, limits);
}
