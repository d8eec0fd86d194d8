// What any uploaded archive must respect, whatever its format: safe relative paths, regular files
// only, and limits on entry count and unpacked size (zip and gzip bombs).
import { AppError } from '../errors';

/** An archive refused before its content is looked at; nothing of it is stored. */
export class ArchiveRejectedError extends AppError {
  constructor(code: string, message: string, httpStatus = 400) {
    super(code, message, httpStatus);
  }
}

export interface ArchiveLimits {
  /** Total bytes of the files once unpacked. */
  maxUnpackedBytes: number;
  /** Entries of any kind, folders included. */
  maxEntries: number;
}

export interface ArchiveFile {
  /** Relative path inside the archive, `/`-separated, without `.` segments. */
  path: string;
  data: Uint8Array;
}

const MiB = 1024 * 1024;
export const formatMiB = (bytes: number): string =>
  `${Number.isInteger(bytes / MiB) ? bytes / MiB : (bytes / MiB).toFixed(1)} MiB`;

/**
 * The entry's path, normalised, or an error naming it: no absolute paths (`/x`, `C:\x`), no `..`,
 * no backslashes (a Windows separator here would name a different file on each side).
 */
export function safePath(raw: string): string {
  const unsafe = (why: string) =>
    new ArchiveRejectedError(
      'UNSAFE_ARCHIVE_PATH',
      `The archive entry "${raw}" ${why}: every file must sit at a plain relative path inside the archive`,
    );
  if (raw.includes('\0')) throw unsafe('contains a NUL character');
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) throw unsafe('is an absolute path');
  if (raw.includes('\\')) throw unsafe('contains a backslash');
  const parts = raw.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw unsafe('climbs out of the archive with ".."');
  return parts.join('/');
}

/** macOS Finder's resource forks and folder settings: not part of anybody's package. */
export const isOsClutter = (path: string): boolean =>
  path.split('/').some((part) => part === '__MACOSX' || part === '.DS_Store');

/** Counts entries and unpacked bytes as they are read; throws once a limit is passed. */
export class ArchiveBudget {
  private entries = 0;
  private bytes = 0;

  constructor(private readonly limits: ArchiveLimits) {}

  entry(): void {
    this.entries += 1;
    if (this.entries > this.limits.maxEntries)
      throw new ArchiveRejectedError(
        'TOO_MANY_ENTRIES',
        `The archive has more than ${this.limits.maxEntries} entries: a package is one .cfg, its images and at most a Download Agent`,
      );
  }

  add(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.limits.maxUnpackedBytes) throw unpacksTooLarge(this.limits);
  }
}

export const unpacksTooLarge = (limits: ArchiveLimits): ArchiveRejectedError =>
  new ArchiveRejectedError(
    'ARCHIVE_TOO_LARGE',
    `The archive unpacks to more than ${formatMiB(limits.maxUnpackedBytes)} (FIRMWARE_MAX_UNPACKED_BYTES)`,
    413,
  );
