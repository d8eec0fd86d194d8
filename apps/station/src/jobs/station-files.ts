// The packages and Download Agent a station's jobs flash, read once and kept while their files
// stay unchanged (LoadedFileCache): a job then costs a few stats instead of a re-read and re-hash.
import type { DownloadAgent } from '@station/mtk';
import { loadStationDa, loadStationPackage, type StationPackage } from './firmware-store';
import { LoadedFileCache } from './loaded-file-cache';

export class StationFiles {
  readonly packages: LoadedFileCache<StationPackage>;
  readonly agents: LoadedFileCache<DownloadAgent>;

  constructor(racyWindowMs?: number) {
    this.packages = new LoadedFileCache(racyWindowMs);
    this.agents = new LoadedFileCache(racyWindowMs);
  }

  /** readStationPackage, from the cache while the package folder and its files are unchanged. */
  readPackage(firmwareDir: string, packageId: string): Promise<StationPackage> {
    return this.packages.get(`${firmwareDir}\0${packageId}`, () =>
      loadStationPackage(firmwareDir, packageId),
    );
  }

  /** readStationDa, from the cache while the file is unchanged. */
  readDa(daFile: string): Promise<DownloadAgent> {
    return this.agents.get(daFile, () => loadStationDa(daFile));
  }
}
