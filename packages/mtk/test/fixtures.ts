import {
  loadFirmwarePackage,
  makeSyntheticDa,
  makeSyntheticPackage,
  parseDaFile,
  type FirmwarePackage,
} from '../src/index';
import type { DownloadAgent } from '../src/package/da-file';

/** A small synthetic package (ROM 10 KiB + a bit, VIVA 5000 B) so unit tests stay fast. */
export function smallPackage(
  revision = 'MC60CAR01A13',
  romSize = 10 * 1024 + 100,
): FirmwarePackage {
  const synthetic = makeSyntheticPackage({ revision, romSize, vivaSize: 5000 });
  return loadFirmwarePackage(synthetic.cfgText, (name) => synthetic.files[name], synthetic.cfgName);
}

export function syntheticDa(): DownloadAgent {
  return parseDaFile(makeSyntheticDa());
}
