// @station/mtk: the pure MediaTek MT6261/MT2503 host (BROM + legacy DA), firmware packages,
// DA files, AT identify and the error catalogue. The only I/O is the Transport interface.
export {
  TransportError,
  type Transport,
  type TransportErrorFlags,
  type WriteOptions,
} from './transport';
export { ByteQueue } from './bytes/byte-queue';
export { sum16, xor16 } from './bytes/checksum';
export {
  FLASH_ERRORS,
  catalogueEntry,
  type CatalogueEntry,
  type FaultBlame,
  type FlashErrorCode,
  type RetryKind,
} from './errors/catalogue';
export { FlashError, isFlashError } from './errors/flash-error';
export { failureAction, type FailureAction } from './errors/outcome';
export { FLASH_STAGES, type FlashStage } from './errors/stages';
export { Link, type FlashProgress, type ProgressListener } from './link';
export { bromHandshake } from './brom/handshake';
export { identifyChip, chipNameFromEfuse, type ChipInfo, type ChipName } from './brom/chip';
export { SUPPORTED_BAUDS, type SupportedBaud } from './da/constants';
export { changeBaud, fallbackBauds } from './da/baud';
export { formatJedec, type JedecId } from './da/flash-table';
export { parseDaReport, qflashFlashId, DA_REPORT_SIZE, type DaReport } from './da/report';
export { readFlash } from './da/readback';
export type { FinishMode } from './da/finish';
export { parseCfg, renderCfg, type PackageCfg } from './package/cfg';
export { packageDigest } from './package/digest';
export { parseGfh, GFH_TYPE, type GfhFileInfo } from './package/gfh';
export {
  revisionFromRom,
  revisionFromBuildName,
  readRomRevision,
  quectelRevision,
  type RomRevision,
  type RevisionRule,
} from './package/revision';
export { readRomInfo, type RomInfo } from './package/rom-info';
export { resolveImageName, normaliseImageName } from './package/image-names';
export {
  parseDaFile,
  parseRawDa,
  parseAllInOne,
  parseSplitDa,
  RAW_DA,
  SPLIT_DA,
  type DownloadAgent,
  type SplitDaPart,
} from './package/da-file';
export { KNOWN_DA_FILES, recogniseDa, type KnownDaFile } from './package/da-known';
export {
  BOOT_REGION_END,
  loadFirmwarePackage,
  describePackage,
  memBlocks,
  packageAllowsFlash,
  type FirmwarePackage,
  type PackageFiles,
  type PackageImage,
  type PackageLoadOptions,
} from './package/firmware-package';
export {
  makeSyntheticPackage,
  makeSyntheticDa,
  makeSyntheticSplitDa,
  makeSyntheticImage,
  makeFlashRecord,
  GD25LQ32,
  MC60_FLASH_IDS,
  SYNTHETIC_DA_FLASH_IDS,
  type SyntheticPackage,
} from './package/synthetic';
export { identifyModule, type ModuleIdentity, type IdentifyOptions } from './at/identify';
export { imeiCheckDigit, isValidImei } from './at/imei';
export { flashModule, type FlashOptions, type FlashResult } from './flash';
export {
  DEFAULT_FLASH_MODE,
  FLASH_MODES,
  flashLimit,
  partSizeOf,
  planFlash,
  type FlashMode,
  type FlashPlan,
  type FlashPlanOptions,
} from './package/flash-plan';
export { blInfoAttribute, bootLoaderProfile, type BootLoaderImage } from './da/boot-loader';
export { POWER_CYCLE_TIMEOUT_MS, type PowerControl, type PowerCycleContext } from './power';
export { StageClock, type StageTimings } from './stage-clock';
export { toFlashError, type FailureContext } from './errors/to-flash-error';
export { withDeadline } from './deadline';
export { lineTimeMs, writeDeadlineMs, LINE_CONTROL_TIMEOUT_MS } from './line-time';
export { runFlashJob, type FlashJobOptions, type FlashJobResult } from './flash-job';
export {
  TraceRecorder,
  TRACE_MAX_ENTRIES,
  type TraceRecorderOptions,
  type TraceFieldsInput,
  type ProtocolTrace,
  type TraceEntry,
  type TraceFields,
} from './trace/index';
