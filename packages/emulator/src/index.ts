// @station/emulator: virtual MC60 modules (device side of the MediaTek BROM/DA protocol and the
// AT firmware) on pseudo-terminals, paced at line rate, with fault injection.
export { VirtualModule } from './device/virtual-module';
export type {
  ModuleLink,
  ModuleState,
  ResetReason,
  VirtualModuleEvents,
  VirtualModuleOptions,
} from './device/virtual-module';
export type { AdapterFaults, ModuleFaults, ModuleTiming, NoiseFault } from './device/profile';
export { DEFAULT_TIMING } from './device/profile';
export { FlashMemory } from './flash/flash-memory';
export {
  FLASH_PART_NAMES,
  FLASH_PARTS,
  FlashPartError,
  resolveFlashPart,
  type CustomFlashPart,
  type FlashPart,
  type FlashPartSpec,
} from './flash/flash-part';
export { buildSyntheticRom, type SyntheticRomOptions } from './flash/synthetic-rom';
export { inspectRom, revisionFromBuildName, revisionFromRomBytes } from './flash/rom-info';
export { PacedLine, type PacedLineOptions } from './line/paced-line';
export { ManualClock, realClock, type Clock } from './util/clock';
export {
  createVirtualJig,
  describeTakeover,
  JigBusyError,
  JigError,
  type JigLockHolder,
  type JigLockTakeover,
  type JigSlotInfo,
  type PowerAction,
  type SeatRequest,
  type SlotStatus,
  type VirtualJig,
  type VirtualJigOptions,
} from './jig/virtual-jig';
export { connectJigControl, JigControlError, type JigControlClient } from './jig/control-client';
export { slotName } from './jig/jig-slot';
export { loadScenario, Scenario, ScenarioError, SlotConfig } from './scenario/scenario';
export { FaultSpecError, parseFaultSpecs } from './scenario/fault-spec';
export { MODULE_FAULT_NAMES } from './scenario/fault-schema';
export { PtyError } from './pty/errors';
export { isValidImei, syntheticImei } from './util/imei';
