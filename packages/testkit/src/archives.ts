// Archives for upload tests, built in memory: well-formed packages as .zip or .tar.gz, and the
// malformed entries no archiver would write (climbing paths, links, special files).
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';
import yazl from 'yazl';

export type ArchiveFormat = 'zip' | 'tar.gz';

export interface ArchiveEntry {
  /** Written as given: `../x`, `/x` and the like are the point of some tests. */
  path: string;
  data?: Uint8Array | string;
  /** Default `file`. */
  type?: 'file' | 'directory' | 'symlink' | 'hardlink' | 'fifo';
  /** Target of a link. */
  linkpath?: string;
}

const bytes = (data: Uint8Array | string | undefined) =>
  typeof data === 'string' ? Buffer.from(data) : Buffer.from(data ?? new Uint8Array());

const TAR_TYPE = {
  file: 'File',
  directory: 'Directory',
  symlink: 'SymbolicLink',
  hardlink: 'Link',
  fifo: 'FIFO',
} as const;

/** A .tar.gz with exactly these entries, headers written by hand (node-tar's Header). */
export function tarGz(entries: ArchiveEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    const data = type === 'file' ? bytes(entry.data) : Buffer.alloc(0);
    const header = Buffer.alloc(512);
    new Header({
      path: entry.path,
      type: TAR_TYPE[type],
      mode: type === 'directory' ? 0o755 : 0o644,
      size: data.length,
      mtime: new Date(0),
      ...(entry.linkpath === undefined ? {} : { linkpath: entry.linkpath }),
    }).encode(header, 0);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

const ZIP_MODE = {
  file: 0o100644,
  directory: 0o040755,
  symlink: 0o120777,
  hardlink: 0o100644,
  fifo: 0o010644,
} as const;

/**
 * A .zip with these entries (yazl). A path yazl refuses to write (`../x`, `/x`) is written under
 * a random stand-in of the same length and patched into the bytes afterwards.
 */
export async function zip(entries: ArchiveEntry[]): Promise<Buffer> {
  const archive = new yazl.ZipFile();
  const patches: [string, string][] = [];
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    let path = entry.path;
    if (/^\/|^[A-Za-z]:|(^|\/)\.\.(\/|$)|\\/.test(path)) {
      const standIn = randomBytes(path.length).toString('hex').slice(0, path.length);
      patches.push([standIn, path]);
      path = standIn;
    }
    const mode = ZIP_MODE[type];
    if (type === 'directory') archive.addEmptyDirectory(path, { mode });
    else if (type === 'symlink') archive.addBuffer(bytes(entry.linkpath), path, { mode });
    else archive.addBuffer(bytes(entry.data), path, { mode });
  }
  archive.end();
  const chunks: Buffer[] = [];
  for await (const chunk of archive.outputStream) chunks.push(chunk as Buffer);
  let out = Buffer.concat(chunks);
  for (const [standIn, path] of patches) {
    out = Buffer.from(out.toString('latin1').replaceAll(standIn, path), 'latin1');
  }
  return out;
}

/** A package's files (name → content) as one archive, at its root or in `folder`. */
export async function packageArchive(
  files: Record<string, Uint8Array | string>,
  format: ArchiveFormat,
  folder?: string,
): Promise<Buffer> {
  const entries = Object.entries(files).map(([name, data]) => ({
    path: folder ? `${folder}/${name}` : name,
    data,
  }));
  return format === 'zip' ? zip(entries) : tarGz(entries);
}
