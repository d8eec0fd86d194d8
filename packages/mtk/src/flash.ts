import { chipMatchesPlatform, identifyChip, type ChipInfo } from './brom/chip';
import { bromHandshake } from './brom/handshake';
import { jumpDa, sendDa } from './brom/send-da';
import { prepareForDa } from './brom/setup';
import { changeBaud } from './da/baud';
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
import { FlashError, isFlashError } from './errors/flash-error';
import type { FlashStage } from './errors/stages';
import { Link, type ProgressListener } from './link';
import type { DownloadAgent } from './package/da-file';
import { memBlocks, packageAllowsFlash, type FirmwarePackage } from './package/firmware-package';
import type { Transport } from './transport';

export interface PowerControl {
  /** Power-cycles the module (or asks a human to); called while the host streams A0. */
  cycle(): Promise<void>;
}

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
  finish?: FinishMode;
}

export interface FlashResult {
  chip: ChipInfo;
  report: DaReport;
  /** QFlash-style flash id, e.g. 0x001660C8 for GD25LQ32. */
  flashId: string;
  baud: number;
  bytes: number;
  durationMs: number;
  stageTimings: Partial<Record<FlashStage, number>>;
}

/**
 * One complete download over `transport` (design §2 flow, minus the AT identify around it):
 * power → BROM → DA upload → DA connect → baud → format → write → verify → [readback] →
 * [FAT] → finish. Throws a FlashError naming the stage it reached.
 */
export async function flashModule(
  transport: Transport,
  options: FlashOptions,
): Promise<FlashResult> {
  const started = Date.now();
  const link = new Link(transport, options.signal, options.onProgress);
  const timings: Partial<Record<FlashStage, number>> = {};
  let stageStart = Date.now();
  const closeStage = (): void => {
    const now = Date.now();
    timings[link.stage] = (timings[link.stage] ?? 0) + (now - stageStart);
    stageStart = now;
  };
  const enter = (stage: FlashStage): void => {
    closeStage();
    link.stage = stage;
    link.progress(0, 0);
  };
  try {
    return await runStages();
  } catch (error) {
    // A failed attempt keeps the timings of every stage it went through, the failing one included.
    closeStage();
    if (isFlashError(error)) error.stageTimings = { ...timings };
    throw error;
  }

  async function runStages(): Promise<FlashResult> {
    const pkg = options.package;
    const images = pkg.images.map((i) => i.data);
    const totalBytes = images.reduce((n, i) => n + i.length, 0);
    const baud = options.baud ?? 921600;

    await transport.setBaudRate(115200);
    link.baud = 115200;
    link.stage = 'power';
    let powerFailure: unknown;
    let startPower: () => void = () => undefined;
    const powering = new Promise<void>((resolve) => {
      // The handshake starts streaming first; power is applied once A0 is on the line.
      startPower = () => {
        (options.power?.cycle() ?? Promise.resolve()).then(resolve, (error: unknown) => {
          powerFailure = error;
          resolve();
        });
      };
    });

    enter('brom');
    try {
      await bromHandshake(link, {
        timeoutMs: options.handshakeTimeoutMs,
        onStreaming: () => startPower(),
        // A retry after a failure is best effort: the handshake's own timeout reports the outcome.
        onRetry: () => void options.power?.cycle().catch(() => undefined),
      });
    } catch (error) {
      if (powerFailure !== undefined) {
        throw new FlashError('POWER_CONTROL_FAIL', `power cycle failed: ${String(powerFailure)}`, {
          stage: 'power',
          cause: powerFailure,
        });
      }
      throw error;
    }
    await powering;
    const chip = await identifyChip(link);
    if (!chipMatchesPlatform(chip, pkg.cfg.platform)) {
      throw link.fail(
        'CHIP_UNSUPPORTED',
        `module is ${chip.name} (e-fuse ${hex(chip.efuse)}), package is for ${pkg.cfg.platform}`,
      );
    }
    await prepareForDa(link);

    enter('da-upload');
    const daTotal = options.da.da1.data.length + options.da.da2.data.length;
    let daSent = 0;
    const onDaBytes = (n: number): void => {
      daSent += n;
      link.progress(daSent, daTotal);
    };
    await sendDa(link, options.da.da1, onDaBytes);
    await sendDa(link, options.da.da2, onDaBytes);
    await jumpDa(link, options.da.da1.loadAddress);

    enter('da-connect');
    await waitDaSync(link, options.daSyncTimeoutMs);
    await exchangeFlashTable(link, options.da.flashTable);
    const report = await readDaReport(link);
    if (!packageAllowsFlash(pkg, report.jedec)) {
      throw link.fail(
        'FLASH_ID_NOT_IN_PACKAGE',
        `flash ${formatJedec(report.jedec)} is not in the package's list (${pkg.cfg.flashIds.map(formatJedec).join(', ')})`,
      );
    }
    const lastImage = pkg.images[pkg.images.length - 1]!;
    if (lastImage.flashOffset + lastImage.data.length > report.flashSize) {
      throw link.fail(
        'SET_DOWNLOAD_BLOCK_FAIL',
        `${lastImage.name} ends at ${hex(lastImage.flashOffset + lastImage.data.length, 8)}, beyond the ${report.flashSize}-byte flash`,
      );
    }

    enter('baud');
    await changeBaud(link, baud);

    enter('format');
    await declareMemory(link, memBlocks(pkg), options.deviceTimeoutMs);

    enter('write');
    await writeImages(link, images, {
      onBytes: (done) => link.progress(done, totalBytes),
      ...(options.deviceTimeoutMs === undefined
        ? {}
        : { packetTimeoutMs: options.deviceTimeoutMs }),
    });

    enter('verify');
    await verifyImages(link, images);

    if (options.readback) {
      enter('readback');
      for (const image of pkg.images) {
        const back = await readFlash(link, image.flashOffset, image.data.length);
        if (!bytesEqual(back, image.data))
          throw link.fail('READBACK_FAIL', `${image.name}: bytes read back differ from the image`);
      }
    }
    if (options.formatFat) {
      enter('fat-format');
      await formatFat(link);
    }

    enter('finish');
    await finishDa(link, options.finish ?? 'reset');
    await transport.setBaudRate(115200);
    closeStage();

    return {
      chip,
      report,
      flashId: hex(qflashFlashId(report.jedec), 8),
      baud: link.baud,
      bytes: totalBytes,
      durationMs: Date.now() - started,
      stageTimings: timings,
    };
  }
}
