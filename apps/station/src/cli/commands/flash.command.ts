import {
  DEFAULT_FLASH_MODE,
  FLASH_MODES,
  isFlashError,
  runFlashJob,
  SUPPORTED_BAUDS,
  TraceRecorder,
  type FlashJobResult,
  type FlashMode,
} from '@station/mtk';
import type { Command } from 'commander';
import { SerialTransport } from '../../ports/serial-transport';
import { readDa, readPackage } from '../flash/disk';
import { createPowerControl, parsePowerMode } from '../flash/power';
import { releasePowerKey } from '../../ports/power-control';
import { createProgressBar } from '../flash/progress-bar';
import { describeFailure, flashJson } from '../flash/report';
import { traceLines } from '../flash/trace-lines';

interface FlashCliOptions {
  port: string;
  package: string;
  da: string;
  baud: string;
  power: string;
  json?: boolean;
  imei?: string;
  readback?: boolean;
  formatFat?: boolean;
  mode: string;
  bootLoaders?: boolean;
  fallback: boolean;
  handshakeTimeout: string;
  trace?: boolean;
}

export function registerFlashCommand(program: Command): void {
  program
    .command('flash')
    .description('Flash one module from a QFlash-style .cfg package over its main UART')
    .requiredOption('--port <path>', 'serial port of the module')
    .requiredOption('--package <file.cfg>', 'firmware package (.cfg next to its images)')
    .requiredOption('--da <file>', 'Download Agent (mt6261_da.bin or MTK_AllInOne_DA.bin)')
    .option('--baud <rate>', `DA-stage baud (${SUPPORTED_BAUDS.join(', ')})`, '921600')
    .option(
      '--power <mode>',
      'manual | dtr[-high][:<pulse ms>] | rts[-high][:<pulse ms>] | emulator:<controlAddress>#<slot>',
      'manual',
    )
    .option('--imei <imei>', 'IMEI from the label; the module must report it')
    .option('--readback', 'read the images back with DA READ and compare')
    .option('--format-fat', 'format the FAT area after writing')
    .option(
      '--mode <mode>',
      'firmware-upgrade (keeps NVRAM and the file system) | format-all (formats the whole flash, boot loaders rewritten)',
      DEFAULT_FLASH_MODE,
    )
    .option('--boot-loaders', "also write the package's boot loaders (always done by format-all)")
    .option('--no-fallback', 'do not retry at a lower baud when the line is too noisy')
    .option('--handshake-timeout <ms>', 'how long to wait for the boot ROM', '30000')
    .option('--trace', 'after a failure, print the protocol trace (docs/protocol.md)')
    .option('--json', 'print one JSON result object')
    .action(async (options: FlashCliOptions) => {
      process.exitCode = await flashCommand(options);
    });
}

async function flashCommand(options: FlashCliOptions): Promise<number> {
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  const baud = Number(options.baud);
  if (!(SUPPORTED_BAUDS as readonly number[]).includes(baud)) {
    say(`--baud must be one of ${SUPPORTED_BAUDS.join(', ')}`);
    return 2;
  }
  if (!(FLASH_MODES as readonly string[]).includes(options.mode)) {
    say(`--mode must be one of ${FLASH_MODES.join(', ')}`);
    return 2;
  }
  const mode = options.mode as FlashMode;
  let result: FlashJobResult;
  let port: SerialTransport | undefined;
  const trace = new TraceRecorder();
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => controller.abort(new Error(signal));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const power = parsePowerMode(options.power);
    const [pkg, da] = await Promise.all([readPackage(options.package), readDa(options.da)]);
    port = await SerialTransport.open({ path: options.port });
    // The kernel asserted DTR and RTS at open: on active-low wiring that holds PWRKEY down.
    if (power.kind === 'dtr' || power.kind === 'rts') await releasePowerKey(port, power);
    const bar = createProgressBar(process.stderr);
    result = await runFlashJob(port, {
      package: pkg,
      da,
      baud,
      power: createPowerControl(power, port, { say }),
      signal: controller.signal,
      onProgress: options.json ? undefined : (p) => bar.update(p),
      handshakeTimeoutMs: Number(options.handshakeTimeout),
      readback: options.readback,
      formatFat: options.formatFat,
      mode,
      ...(options.bootLoaders ? { bootLoaders: true } : {}),
      preflight: true,
      postflight: true,
      expectedImei: options.imei,
      fallback: options.fallback,
      trace,
      onRetry: (next, error) =>
        say(`\n${error.label} at this baud; retrying at ${next}, power-cycle again`),
    });
    bar.end();
  } catch (error) {
    if (!isFlashError(error)) {
      say(error instanceof Error ? error.message : String(error));
      return 2;
    }
    result = {
      ok: false,
      imei: undefined,
      revisionBefore: undefined,
      revisionAfter: undefined,
      flash: undefined,
      error,
      durationMs: 0,
      stageTimings: {},
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await port?.close();
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify(flashJson(result))}\n`);
  } else if (result.ok) {
    const f = result.flash!;
    process.stdout.write(
      `PASS ${result.imei ?? ''} ${result.revisionBefore ?? '(no firmware)'} → ${result.revisionAfter} ` +
        `(${f.chip.name}, flash ${f.flashId}, ${f.bytes} B at ${f.baud} baud, ${(result.durationMs / 1000).toFixed(1)} s)\n`,
    );
  } else {
    process.stdout.write(`${describeFailure(result.error!)}\n`);
    if (options.trace) process.stdout.write(`${traceLines(trace.snapshot()).join('\n')}\n`);
  }
  return result.ok ? 0 : 1;
}
