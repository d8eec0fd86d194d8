// Content-addressed files: each blob is named by the sha256 of its bytes under
// <FIRMWARE_STORE_DIR>/sha256/, so the same file is stored once and a name always means the same
// bytes. A blob is written under tmp/ first, flushed, then renamed into place: a crash leaves at
// most a stray temp file, never a half blob under its final name.
import { randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

const SHA256 = /^[0-9a-f]{64}$/;

export class BlobStore {
  private readonly blobs: string;
  private readonly temp: string;

  constructor(readonly dir: string) {
    this.blobs = join(dir, 'sha256');
    this.temp = join(dir, 'tmp');
  }

  /** Where the blob of `sha256` lives (whether or not it is there). */
  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new RangeError(`"${sha256}" is not a sha256 hex digest`);
    return join(this.blobs, sha256);
  }

  /** A new path under tmp/ for a file being received (same disk as the blobs, so rename works). */
  async tempPath(label: string): Promise<string> {
    await mkdir(this.temp, { recursive: true });
    return join(this.temp, `${label}-${randomBytes(8).toString('hex')}`);
  }

  async has(sha256: string): Promise<boolean> {
    return stat(this.pathOf(sha256)).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  /** Stores `data` as the blob `sha256` (the caller computed it); a blob already there is kept. */
  async put(sha256: string, data: Uint8Array): Promise<void> {
    const target = this.pathOf(sha256);
    if (await this.has(sha256)) return;
    await mkdir(this.blobs, { recursive: true });
    const temp = await this.tempPath('blob');
    try {
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  /** A stream of the blob's bytes; rejects with ENOENT when it is not stored. */
  async open(sha256: string): Promise<{ stream: ReadStream; size: number }> {
    const path = this.pathOf(sha256);
    const { size } = await stat(path);
    return { stream: createReadStream(path), size };
  }
}
