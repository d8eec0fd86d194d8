import { chipMatchesPlatform, identifyChip, type ChipInfo } from './brom/chip';
import { bromHandshake } from './brom/handshake';
import { jumpDa, sendDa } from './brom/send-da';
import { prepareForDa } from './brom/setup';
import { changeBaud } from './da/baud';
import { writeBootLoaders } from './da/boot-loader';
import { formatCbr, getCbrSetting } from './da/cbr';
import { formatRange } from './da/format-range';
import { finishDa, type FinishMode } from './da/finish';
import { exchangeFlashTable, formatJedec } from './da/flash-table';
import { formatFat } from './da/format-fat';
import { declareMemory } from './da/mem';
import { readFlash } from './da/readback';
import { qflashFlashId, readDaReport, type DaReport } from './da/report';
import { waitDaSync } from './da/sync';
import { verifyImages } from './da/verify';
import { writeImages } from './da/write';
import { bytesEqual, hex } from './bytes/endian';
import type { FlashStage } from './errors/stages';
import { toFlashError } from './errors/to-flash-error';
import { Link, progressOf, type ProgressListener } from './link';
import type { DownloadAgent } from './package/da-file';
import { cyclePower, powerError, type PowerControl } from './power';
import { restartBySupply } from './restart';
import { packageAllowsFlash, type FirmwarePackage } from './package/firmware-package';
import {
  beyondPart,
  flashLimit,
  planFlash,
  type FlashMode,
  type FlashPlan,
} from './package/flash-plan';
import { StageClock, type StageTimings } from './stage-clock';
import { traceFailure } from './trace/trace-failure';
import type { TraceRecorder } from './trace/trace-recorder';
import type { Transport } from './transport';

export interface FlashOptions {
  package: FirmwarePackage;
  da: DownloadAgent;
  /** DA-stage baud: 921600 (default), 460800, 230400 or 115200. */
  baud?: number;
  power?: PowerControl;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  handshakeTimeoutMs?: number;
  /** How long to wait for the DA's C0 after JUMP_DA (MediaTek: 10 s). */
  daSyncTimeoutMs?: number;
  /**
   * How long the DA may stay silent while it erases or programs before the flash fails (MediaTek
   * waits 10 s, the default). Slow-erasing flash parts may need more; tests of dead modules less.
   */
  deviceTimeoutMs?: number;
  /** Read the images back with DA READ and compare byte for byte (slow: doubles the transfer). */
  readback?: boolean;
  formatFat?: boolean;
  /**
   * `firmware-upgrade` (default, keeps NVRAM and the file system) or `format-all` (FORMAT the whole
   * part, then download everything); docs/protocol.md §9.
   */
  mode?: FlashMode;
  /** Write the package's boot loaders with FORMAT_CBR / GET_CBR (default: only for format-all). */
  bootLoaders?: boolean;
  finish?: FinishMode;
  /** Records the exchange, the failing step included (the protocol trace); none when absent. */
  trace?: TraceRecorder;
}

export interface FlashResult {
  chip: ChipInfo;
  report: DaReport;
  /** QFlash-style flash id, e.g. 0x001660C8 for GD25LQ32. */
  flashId: string;
  baud: number;
  bytes: number;
  /** What the flash did: mode, boot loaders written, whole part formatted. */
  plan: { mode: FlashMode; bootLoaders: string[]; formatAll: boolean };
  durationMs: number;
  /** Milliseconds per stage, from the clock's first stage to the end of this flash. */
  stageTimings: StageTimings;
}

/**
 * One complete download over `transport` (design §2 flow, minus the AT identify around it):
 * power → BROM → DA upload → DA connect → baud → format → write → verify → [readback] →
 * [FAT] → finish. Throws a FlashError naming the stage it reached, with the stage timings.
 */
export async function flashModule(
  transport: Transport,
  options: FlashOptions,
): Promise<FlashResult> {
  return runFlash(transport, options, new StageClock('power', announceStage(options.onProgress)));
}

/** flashModule on a clock the caller owns: runFlashJob times its AT checks on the same one. */
export async function runFlash(
  transport: Transport,
  options: FlashOptions,
  clock: StageClock,
): Promise<FlashResult> {
  const started = Date.now();
  const link = new Link(transport, clock, options.signal, options.onProgress, options.trace);
  try {
    const result = await runStages(link, options);
    clock.stop();
    return { ...result, durationMs: Date.now() - started, stageTimings: clock.timings() };
  } catch (error) {
    // A failed attempt keeps the timings of every stage it went through, the failing one included.
    clock.stop();
    const flashError = toFlashError(error, {
      stage: clock.stage,
      what: `${clock.stage} stage`,
      onTimeout: 'PROTOCOL_EXCEPTION',
      signal: options.signal,
    });
    flashError.stageTimings = clock.timings();
    traceFailure(options.trace, flashError);
    throw flashError;
  }
}

/** Progress at 0 % for every stage entered, so listeners see stages without a byte count too. */
export function announceStage(onProgress: ProgressListener | undefined) {
  return (stage: FlashStage): void => onProgress?.(progressOf(stage, 0, 0));
}

type StagesResult = Omit<FlashResult, 'durationMs' | 'stageTimings'>;

async function runStages(link: Link, options: FlashOptions): Promise<StagesResult> {
  const pkg = options.package;
  // Everything the package or the options make impossible is refused before the first byte.
  const plan = planFlash(pkg, { mode: options.mode, bootLoaders: options.bootLoaders });
  const images = pkg.images.map((i) => i.data);
  const bootBytes = plan.bootLoaders.reduce((n, b) => n + b.data.length, 0);
  const totalBytes = bootBytes + images.reduce((n, i) => n + i.length, 0);
  const baud = options.baud ?? 921600;

  link.enter('power');
  await link.setBaud(115200);
  let powerFailure: unknown;
  let round = 0;
  let until = new Date();
  const powerAgain = (): Promise<void> =>
    cyclePower(options.power, options.signal, { round: (round += 1), until });
  let startPower: () => void = () => undefined;
  const powering = new Promise<void>((resolve) => {
    // The handshake starts streaming first; power is applied once A0 is on the line.
    startPower = () => {
      powerAgain().then(resolve, (error: unknown) => {
        powerFailure = error;
        resolve();
      });
    };
  });

  link.enter('brom');
  try {
    await bromHandshake(link, {
      timeoutMs: options.handshakeTimeoutMs,
      onStreaming: (deadline) => {
        until = new Date(deadline);
        startPower();
      },
      // Powering again is best effort: the handshake's own timeout reports the outcome.
      onHalfway: () => void powering.then(powerAgain).catch(() => undefined),
      onRetry: () => void powerAgain().catch(() => undefined),
    });
  } catch (error) {
    // A failed power cycle explains a silent module; a cancel is reported as such.
    if (powerFailure !== undefined && !options.signal?.aborted)
      throw powerError(powerFailure, options.signal);
    throw error;
  }
  // Never go on while a power pulse may still be under way (cyclePower bounds the wait).
  await powering;
  const chip = await identifyChip(link);
  if (!chipMatchesPlatform(chip, pkg.cfg.platform)) {
    throw link.fail(
      'CHIP_UNSUPPORTED',
      `module is ${chip.name} (e-fuse ${hex(chip.efuse)}), package is for ${pkg.cfg.platform}`,
    );
  }
  await prepareForDa(link);

  link.enter('da_upload');
  const daTotal = options.da.da1.data.length + options.da.da2.data.length;
  let daSent = 0;
  const onDaBytes = (n: number): void => {
    daSent += n;
    link.progress(daSent, daTotal);
  };
  await sendDa(link, options.da.da1, onDaBytes);
  await sendDa(link, options.da.da2, onDaBytes);
  await jumpDa(link, options.da.da1.loadAddress);

  link.enter('da_connect');
  await waitDaSync(link, options.daSyncTimeoutMs);
  await exchangeFlashTable(link, options.da.flashTable);
  const report = await readDaReport(link);
  if (!packageAllowsFlash(pkg, report.jedec)) {
    throw link.fail(
      'FLASH_ID_NOT_IN_PACKAGE',
      `flash ${formatJedec(report.jedec)} is not in the package's list (${pkg.cfg.flashIds.map(formatJedec).join(', ')})`,
    );
  }
  const limit = flashLimit(pkg, report.jedec, report.flashSize);
  const beyond = beyondPart(plan, limit, `the module's ${formatJedec(report.jedec)} part`);
  if (beyond) throw link.fail('SET_DOWNLOAD_BLOCK_FAIL', beyond);

  link.enter('baud');
  await changeBaud(link, baud);
  const flashBaud = link.baud;

  await prepareFlash(link, plan, report.flashSize, options, (done) =>
    link.progress(done, totalBytes),
  );

  link.enter('format');
  await declareMemory(link, plan.blocks, options.deviceTimeoutMs);

  link.enter('write');
  await writeImages(link, images, {
    onBytes: (done) => link.progress(bootBytes + done, totalBytes),
    ...(options.deviceTimeoutMs === undefined ? {} : { packetTimeoutMs: options.deviceTimeoutMs }),
  });

  link.enter('verify');
  await verifyImages(link, images);

  if (options.readback) {
    link.enter('readback');
    for (const image of pkg.images) {
      const back = await readFlash(link, image.flashOffset, image.data.length);
      if (!bytesEqual(back, image.data))
        throw link.fail('READBACK_FAIL', `${image.name}: bytes read back differ from the image`);
    }
  }
  if (options.formatFat) {
    link.enter('fat_format');
    await formatFat(link);
  }

  link.enter('finish');
  const finish = options.finish ?? 'reset';
  await finishDa(link, finish);
  await link.setBaud(115200);
  if (finish === 'reset') await restartBySupply(link, options.power, options.signal);

  return {
    chip,
    report,
    flashId: hex(qflashFlashId(report.jedec), 8),
    baud: flashBaud,
    bytes: totalBytes,
    plan: {
      mode: plan.mode,
      bootLoaders: plan.bootLoaders.map((b) => b.name),
      formatAll: plan.formatAll,
    },
  };
}

/**
 * The steps MediaTek's downloader takes between the baud switch and MEM (`download_images.c`
 * da_stage, the RePhone FlashTool log): [FORMAT of the whole part], FORMAT_CBR, the boot loaders,
 * GET_CBR. Skipped entirely by a firmware upgrade without boot loaders (the minimal MC60 path).
 */
async function prepareFlash(
  link: Link,
  plan: FlashPlan,
  partSize: number,
  options: FlashOptions,
  onBytes: (done: number) => void,
): Promise<void> {
  if (!plan.formatAll && !plan.cbr) return;
  link.enter('format');
  if (plan.formatAll) await formatRange(link, { begin: 0, length: partSize });
  if (!plan.cbr) return;
  await formatCbr(link, options.deviceTimeoutMs);
  link.enter('write');
  await writeBootLoaders(link, plan.bootLoaders, {
    onBytes,
    ...(options.deviceTimeoutMs === undefined ? {} : { packetTimeoutMs: options.deviceTimeoutMs }),
  });
  link.enter('format');
  await getCbrSetting(link);
}
