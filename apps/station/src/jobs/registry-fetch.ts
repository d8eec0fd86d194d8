// A job for a package this station does not hold, but the server's firmware registry does: the
// station fetches it with requests signed by its key (docs/security.md "Stations"), checks every
// file's sha256 and then the package digest, and keeps it in FIRMWARE_DIR/sha256-<digest>/ for
// the next job. Nothing the server sends is trusted unchecked: a file that does not hash to what
// the manifest says, a name that is not a plain file name, or a package whose digest differs from
// the job's is refused, and the half-written folder removed.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FirmwarePackageResponse, type FirmwareFileInfo } from '@station/contracts';
import type { Logger } from '@station/logger';
import { FlashError } from '@station/mtk';
import { stationAuthorization } from '@station/trust';

/** The cache folder of a registry package: named by content, so it can never go stale. */
export const registryFolder = (digest: string): string => `sha256-${digest}`;

/** Written next to the files: which of them is the Download Agent, for a later job. */
const MANIFEST_FILE = 'registry.json';
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

export interface RegistryFetchOptions {
  serverUrl: string;
  stationId: string;
  signingKey: string;
  firmwareDir: string;
  logger: Logger;
  /** Per request; a several-MB image over a slow line network takes seconds. */
  timeoutMs?: number;
}

/** Where a fetched (or cached) registry package is: its folder name, and its DA if it has one. */
export interface FetchedPackage {
  packageId: string;
  daFile: string | undefined;
}

const fail = (message: string, cause?: unknown) =>
  new FlashError('PACKAGE_FETCH_FAIL', message, { stage: 'package', cause });

export class RegistryFetcher {
  /** One download per package at a time: slots flashing the same new package share it. */
  private readonly inFlight = new Map<string, Promise<FetchedPackage>>();

  constructor(private readonly options: RegistryFetchOptions) {}

  /** The package's folder, fetched now unless a complete copy is cached already. */
  fetch(registryPackageId: string, digest: string): Promise<FetchedPackage> {
    let pending = this.inFlight.get(digest);
    if (!pending) {
      pending = this.fetchOnce(registryPackageId, digest).finally(() =>
        this.inFlight.delete(digest),
      );
      this.inFlight.set(digest, pending);
    }
    return pending;
  }

  private async fetchOnce(registryPackageId: string, digest: string): Promise<FetchedPackage> {
    const { firmwareDir, logger } = this.options;
    const folder = registryFolder(digest);
    const cached = await this.readCached(folder);
    if (cached) return cached;
    const manifest = await this.manifest(registryPackageId, digest);
    const incoming = join(firmwareDir, `.incoming-${randomBytes(6).toString('hex')}`);
    await mkdir(incoming, { recursive: true });
    try {
      for (const file of manifest.files) await this.download(registryPackageId, file, incoming);
      await writeFile(join(incoming, MANIFEST_FILE), JSON.stringify(manifest));
      // Whole or not at all: a crash mid-download leaves only an .incoming folder behind.
      await rename(incoming, join(firmwareDir, folder)).catch(async (error: unknown) => {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
        await rm(incoming, { recursive: true, force: true }); // another agent run got it first
      });
    } catch (error) {
      await rm(incoming, { recursive: true, force: true });
      throw error instanceof FlashError
        ? error
        : fail(`storing package ${digest.slice(0, 12)} failed: ${(error as Error).message}`, error);
    }
    logger.info(
      { registryPackageId, digest, files: manifest.files.length, folder },
      'firmware package fetched from the registry',
    );
    return (await this.readCached(folder))!;
  }

  private async readCached(folder: string): Promise<FetchedPackage | undefined> {
    const dir = join(this.options.firmwareDir, folder);
    let text: string;
    try {
      text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
    } catch {
      return undefined;
    }
    const manifest = FirmwarePackageResponse.safeParse(JSON.parse(text));
    if (!manifest.success) return undefined;
    const da = manifest.data.files.find((f) => f.kind === 'download_agent');
    return { packageId: folder, daFile: da ? join(dir, da.name) : undefined };
  }

  private async manifest(registryPackageId: string, digest: string) {
    const body = await this.get(`/api/firmware-packages/${encodeURIComponent(registryPackageId)}`);
    let parsed;
    try {
      parsed = FirmwarePackageResponse.safeParse(JSON.parse(body.toString('utf8')));
    } catch {
      throw fail(`the registry's answer for package ${registryPackageId} is not JSON`);
    }
    if (!parsed.success)
      throw fail(`the registry's answer for package ${registryPackageId} is not a package`);
    const manifest = parsed.data;
    if (manifest.digest !== digest)
      throw fail(
        `registry package ${registryPackageId} has digest ${manifest.digest}, the job asks for ${digest}`,
      );
    if (!manifest.stored) throw fail(`registry package ${registryPackageId} has no stored files`);
    const unsafe = manifest.files.find((f) => !PLAIN_NAME.test(f.name) || f.name === MANIFEST_FILE);
    if (unsafe) throw fail(`registry package ${registryPackageId} names a file "${unsafe.name}"`);
    return manifest;
  }

  private async download(registryPackageId: string, file: FirmwareFileInfo, into: string) {
    const bytes = await this.get(
      `/api/firmware-packages/${encodeURIComponent(registryPackageId)}/files/${encodeURIComponent(file.name)}`,
    );
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== file.sha256 || bytes.length !== file.sizeBytes)
      throw fail(
        `file ${file.name} of registry package ${registryPackageId} arrived with sha256 ${sha256} (${bytes.length} bytes), the manifest says ${file.sha256} (${file.sizeBytes} bytes)`,
      );
    await writeFile(join(into, file.name), bytes);
  }

  /** One signed GET; every failure is a PACKAGE_FETCH_FAIL naming the path and why. */
  private async get(path: string): Promise<Buffer> {
    const { serverUrl, stationId, signingKey, timeoutMs = 120_000 } = this.options;
    const url = new URL(path, serverUrl);
    const signedPath = `${url.pathname}${url.search}`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization: stationAuthorization(signingKey, stationId, 'GET', signedPath) },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw fail(`GET ${url.origin}${signedPath} failed: ${(error as Error).message}`, error);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw fail(
        `GET ${url.origin}${signedPath} answered ${response.status}: ${text.slice(0, 300)}`,
      );
    }
    return Buffer.from(await response.arrayBuffer());
  }
}
