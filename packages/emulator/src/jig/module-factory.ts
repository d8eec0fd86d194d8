// A module as it comes out of the tray: its label IMEI, the NVRAM IMEI (different only with the
// imeiMismatch fault), the firmware revision in its flash and its own faults.
import type { FlashMiB } from '../constants';
import type { ModuleFaults, ModuleTiming } from '../device/profile';
import type { FlashPartSpec } from '../flash/flash-part';
import { VirtualModule } from '../device/virtual-module';
import { otherImei } from '../util/imei';

export const DEFAULT_REVISION = 'MC60CAR01A10';

export interface ModuleSpec {
  /** IMEI printed on the label. */
  imei: string;
  /** Revision of the ROM in flash; null leaves flash blank (the module does not boot). */
  revision?: string | null;
  faults?: ModuleFaults;
  timing?: Partial<ModuleTiming>;
  /** Serial-flash size; default 4 MiB. */
  flashMiB?: FlashMiB;
  /** A flash part with datasheet timings (instead of flashMiB). */
  flashPart?: FlashPartSpec;
}

export function createModule(spec: ModuleSpec): VirtualModule {
  const faults = spec.faults ?? {};
  const nvramImei =
    typeof faults.imeiMismatch === 'string'
      ? faults.imeiMismatch
      : faults.imeiMismatch
        ? otherImei(spec.imei)
        : spec.imei;
  return new VirtualModule({
    imei: nvramImei,
    labelImei: spec.imei,
    revision: spec.revision === undefined ? DEFAULT_REVISION : spec.revision,
    faults,
    ...(spec.timing ? { timing: spec.timing } : {}),
    ...(spec.flashMiB ? { flashMiB: spec.flashMiB } : {}),
    ...(spec.flashPart !== undefined ? { flashPart: spec.flashPart } : {}),
  });
}
