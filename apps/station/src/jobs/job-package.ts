// Which package folder and Download Agent a job flashes: the station's own folder the job names
// when it holds the job's digest; else, for a package the server's registry stores, the cached
// or freshly fetched copy (registry-fetch.ts); else the job is refused at the package stage.
import type { FlashRunPayload } from '@station/contracts';
import { FlashError, isFlashError } from '@station/mtk';
import type { StationPackage } from './firmware-store';
import type { RegistryFetcher } from './registry-fetch';
import type { StationFiles } from './station-files';

export interface JobPackage {
  station: StationPackage;
  daFile: string;
}

export async function resolveJobPackage(
  payload: FlashRunPayload,
  deps: { firmwareDir: string; daFile: string; registry?: RegistryFetcher; files: StationFiles },
): Promise<JobPackage> {
  const local = await deps.files
    .readPackage(deps.firmwareDir, payload.packageId)
    .catch((error: unknown) => {
      if (isFlashError(error)) return error;
      throw error;
    });
  if (!(local instanceof FlashError) && local.digest === payload.packageSha256)
    return { station: local, daFile: deps.daFile };
  if (payload.registryPackageId && deps.registry) {
    const fetched = await deps.registry.fetch(payload.registryPackageId, payload.packageSha256);
    const station = await deps.files.readPackage(deps.firmwareDir, fetched.packageId);
    // The files matched the manifest; the package they make must be the one the job names.
    if (station.digest !== payload.packageSha256)
      throw mismatch(fetched.packageId, station, payload);
    return { station, daFile: fetched.daFile ?? deps.daFile };
  }
  if (local instanceof FlashError) throw local;
  throw mismatch(payload.packageId, local, payload);
}

const mismatch = (folder: string, station: StationPackage, payload: FlashRunPayload) =>
  new FlashError(
    'PACKAGE_MISMATCH',
    `package ${folder} on this station has digest ${station.digest}, the job asks for ${payload.packageSha256}`,
    { stage: 'package' },
  );
