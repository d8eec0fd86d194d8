import type { StationPackage, StationStatus } from '@station/contracts';
import { BadRequestError, ConflictError, NotFoundError } from '../errors';

/**
 * The package a scan flashes: the one it names; else the activated one (the station's own
 * activation beats the line's); else the only one the station announced.
 */
export function choosePackage(
  station: StationStatus,
  packageId: string | undefined,
  activated: StationPackage | null,
): StationPackage {
  const packages = station.packages ?? [];
  if (packageId === undefined && activated) return activated;
  if (packageId !== undefined) {
    const found = packages.find((p) => p.packageId === packageId);
    if (!found)
      throw new NotFoundError(
        `Station ${station.stationId} does not hold package ${packageId} (it has: ${packages.map((p) => p.packageId).join(', ') || 'none'})`,
      );
    return found;
  }
  if (packages.length === 1) return packages[0]!;
  if (packages.length === 0)
    throw new ConflictError(
      'NO_PACKAGE',
      `Station ${station.stationId} announced no firmware package: put one in its FIRMWARE_DIR and restart it`,
    );
  throw new BadRequestError(
    'PACKAGE_REQUIRED',
    `Station ${station.stationId} holds ${packages.length} packages (${packages.map((p) => p.packageId).join(', ')}): say which with packageId`,
  );
}
