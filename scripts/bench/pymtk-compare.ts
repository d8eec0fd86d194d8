// Our host versus the reference Python host waybyte/tool-pymtkflasher, side by side in one run:
// the same synthetic GFH application ROM (real-size by default: the 4.9 MB of a real MT2502
// package as one image, on a 16 MiB module), the same DA file (pymtkflasher's own, copied from
// the local mirror into a temp dir, never committed), the same emulator settings, BOTH directions
// paced and each host's writes held back at 4 KiB as by a USB adapter (docs/emulator.md), alternating
// the two hosts for several repetitions per baud. A host that fails a repetition is reported with
// its reason; it is never measured unpaced instead unless asked (--unpaced-rx, debug only).
// Usage: npx tsx scripts/bench/pymtk-compare.ts [--baud 460800,921600] [--reps 3]
//        [--rom-kib N (default the real size)] [--unpaced-rx] [--mirror <git dir>]
import { execFileSync, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSyntheticRom, createVirtualJig, type VirtualJig } from '@station/emulator';
import {
  loadFirmwarePackage,
  makeSyntheticPackage,
  MC60_FLASH_IDS,
  parseDaFile,
  renderCfg,
  runFlashJob,
  type FlashStage,
} from '@station/mtk';
import { SerialTransport } from '../../apps/station/src/ports/serial-transport';
import { formatTable, isMain, listArg, numberArg, withTempDir, type Row } from './lib/bench-util';
import { lineMs, REAL_SIZE_PACKAGE, spread } from './lib/stats';

const MIRROR = process.argv.includes('--mirror')
  ? process.argv[process.argv.indexOf('--mirror') + 1]!
  : '/work/.mirror/waybyte+tool-pymtkflasher/repo';
const PYTHON = '/usr/bin/python3';
const OLD = 'MC60CAR01A03';
const NEW = 'MC60CAR01A13';

export interface CompareOptions {
  bauds: number[];
  reps: number;
  romBytes: number;
  /** Pace host → device too (default true); false only to reproduce the old, unpaced figures. */
  rxPacing: boolean;
}

/** Both images of a real-size MT2502 package, written as the one ROM pymtkflasher takes. */
export const REAL_SIZE_ROM_BYTES = REAL_SIZE_PACKAGE.romBytes + REAL_SIZE_PACKAGE.vivaBytes;
/** The 16 MiB part (GD25LQ128C) the real-size image needs, allowed next to the MC60's. */
const FLASH_IDS = [...MC60_FLASH_IDS, { manufacturer: 0xc8, memoryType: 0x60, capacity: 0x18 }];

/** Timings of one flash: whole run, and first accepted packet → image checksum accepted. */
interface Sample {
  totalMs: number;
  writeMs: number;
}

/** Why the comparison cannot run here, or null. */
export function pymtkSkipReason(): string | null {
  try {
    execFileSync('git', ['--git-dir', MIRROR, 'cat-file', '-e', 'HEAD:mtkflasher.py'], {
      stdio: 'ignore',
    });
  } catch {
    return `pymtkflasher mirror not found at ${MIRROR}`;
  }
  try {
    execFileSync(PYTHON, ['-c', 'import serial'], { stdio: 'ignore' });
  } catch {
    return `${PYTHON} has no pyserial (apt-get install python3-serial)`;
  }
  return null;
}

export async function comparePymtkflasher(options: CompareOptions): Promise<Row[]> {
  return withTempDir('pymtk-bench-', async (dir) => {
    execFileSync('sh', [
      '-c',
      `git --git-dir="${MIRROR}" archive HEAD mtkflasher.py mt6261_da.bin | tar -x -C "${dir}"`,
    ]);
    const rom = buildSyntheticRom({ revision: NEW, size: options.romBytes });
    const romPath = join(dir, `${NEW}.bin`);
    await writeFile(romPath, rom);
    const da = parseDaFile(new Uint8Array(await readFile(join(dir, 'mt6261_da.bin'))));
    // Our package: the same ROM bytes as the only main-region image (boot loader parsed only).
    const bootName = `BOOTLOADER_${NEW}.bin`;
    const boot = makeSyntheticPackage({ revision: NEW }).files[bootName]!;
    const cfg = renderCfg({
      platform: 'MT6261',
      bootFiles: [bootName],
      mainFiles: ['ROM'],
      flashIds: FLASH_IDS,
    });
    const pkg = loadFirmwarePackage(cfg, (n) => ({ [bootName]: boot, ROM: rom })[n], 'bench.cfg');

    const rows: Row[] = [];
    const jigOf = (body: (jig: VirtualJig) => Promise<Sample>) =>
      withJig(dir, options.rxPacing, body).catch((error: unknown) => failure(error));
    for (const baud of options.bauds) {
      const ours: (Sample | Failure)[] = [];
      const theirs: (Sample | Failure)[] = [];
      for (let rep = 0; rep < options.reps; rep++) {
        // Alternate who goes first so a drift in machine load hits both alike.
        const order = rep % 2 === 0 ? ['ours', 'pymtk'] : ['pymtk', 'ours'];
        for (const host of order) {
          if (host === 'ours') ours.push(await jigOf((jig) => flashOurs(jig, pkg, da, baud)));
          else theirs.push(await jigOf((jig) => flashPymtk(jig, dir, romPath, rom.length, baud)));
          console.error(
            `pymtk-compare ${baud} rep ${rep + 1} ${host}: ${JSON.stringify((host === 'ours' ? ours : theirs).at(-1))}`,
          );
        }
      }
      for (const [metric, key] of [
        ['total', 'totalMs'],
        ['write', 'writeMs'],
      ] as const) {
        const a = summary(ours, key);
        const b = summary(theirs, key);
        rows.push({
          baud,
          metric,
          paced: options.rxPacing ? 'both ways' : 'device → host only',
          reps: options.reps,
          oursMinMedMaxMs: a.text,
          pymtkMinMedMaxMs: b.text,
          ratio: a.median && b.median ? Number((a.median / b.median).toFixed(3)) : '—',
        });
      }
    }
    return rows;
  });
}

interface Failure {
  failed: string;
}

function failure(error: unknown): Failure {
  const message = error instanceof Error ? error.message : String(error);
  // pymtkflasher's ERROR line says why (e.g. its checksum read timing out); else the last lines.
  const reason = /ERROR: (.*)/.exec(message)?.[1];
  const text = reason ?? message.split('\n').filter(Boolean).slice(-2).join(' ');
  return { failed: text.slice(0, 200) };
}

/** "min / median / max" over the passed repetitions, plus how many failed and why. */
function summary(samples: (Sample | Failure)[], key: keyof Sample) {
  const ok = samples.filter((s): s is Sample => !('failed' in s)).map((s) => s[key]);
  const failed = samples.filter((s): s is Failure => 'failed' in s);
  const failedText = failed.length
    ? `${failed.length}/${samples.length} FAILED: ${failed[0]!.failed}`
    : '';
  if (ok.length === 0) return { median: undefined, text: failedText };
  const s = spread(ok);
  const text = [s.min, s.median, s.max].map((v) => Math.round(v)).join(' / ');
  return { median: s.median, text: failedText ? `${text} (${failedText})` : text };
}

async function withJig(
  dir: string,
  rxPacing: boolean,
  body: (jig: VirtualJig) => Promise<Sample>,
): Promise<Sample> {
  const jig = await createVirtualJig({
    dir,
    pacing: true,
    rxPacing,
    slots: [{ slot: 1, revision: OLD, flashMiB: 16 }],
  });
  try {
    return await body(jig);
  } finally {
    await jig.close();
  }
}

async function flashOurs(
  jig: VirtualJig,
  pkg: ReturnType<typeof loadFirmwarePackage>,
  da: ReturnType<typeof parseDaFile>,
  baud: number,
): Promise<Sample> {
  const port = await SerialTransport.open({ path: jig.slots[0]!.path });
  try {
    let firstPacket = Number.NaN;
    let verified = Number.NaN;
    let last: FlashStage | undefined;
    const started = performance.now();
    const result = await runFlashJob(port, {
      package: pkg,
      da,
      baud,
      postflight: false,
      power: { cycle: () => jig.power(1, 'cycle') },
      onProgress: (p) => {
        if (p.stage === 'write' && p.bytes > 0 && Number.isNaN(firstPacket))
          firstPacket = performance.now();
        if (last === 'verify' && p.stage !== 'verify') verified = performance.now();
        last = p.stage;
      },
    });
    const end = performance.now();
    if (!result.ok) throw result.error ?? new Error('our host failed');
    return {
      totalMs: end - started,
      writeMs: (Number.isNaN(verified) ? end : verified) - firstPacket,
    };
  } finally {
    await port.close();
  }
}

/**
 * pymtkflasher's stdout is a pipe, so its progress bar prints "Download Firmware\n|" after the
 * first accepted packet and "| 100%" after the image checksum: the same span as ours.
 */
async function flashPymtk(
  jig: VirtualJig,
  dir: string,
  rom: string,
  romBytes: number,
  baud: number,
): Promise<Sample> {
  const path = jig.slots[0]!.path;
  const started = performance.now();
  const child = spawn(
    PYTHON,
    ['-u', join(dir, 'mtkflasher.py'), '-p', path, '-b', String(baud), rom],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  let cycled = false;
  let firstPacket = Number.NaN;
  let verified = Number.NaN;
  const onOutput = (chunk: Buffer) => {
    output += chunk.toString();
    if (!cycled && output.includes('Please reset the device')) {
      cycled = true;
      void jig.power(1, 'cycle');
    }
    if (Number.isNaN(firstPacket) && output.includes('Download Firmware'))
      firstPacket = performance.now();
    if (Number.isNaN(verified) && /Download Firmware[\s\S]*\| 100%/.test(output))
      verified = performance.now();
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  // Deadline: three times the image's line time at the slowest baud it starts at, plus a minute.
  const deadlineMs = 60_000 + 3 * lineMs(romBytes, 115200);
  const timer = setTimeout(() => {
    output += `\n(killed by the bench after ${Math.round(deadlineMs / 1000)} s)`;
    child.kill('SIGKILL');
  }, deadlineMs);
  const code = await new Promise<number>((ok) => child.on('exit', (c) => ok(c ?? 1)));
  clearTimeout(timer);
  const end = performance.now();
  if (code !== 0) throw new Error(`mtkflasher.py exited with ${code}:\n${output.slice(-2000)}`);
  return { totalMs: end - started, writeMs: verified - firstPacket };
}

if (isMain(import.meta.url)) {
  const skip = pymtkSkipReason();
  if (skip) {
    console.log(`SKIP pymtkflasher comparison: ${skip}`);
  } else {
    const args = process.argv.slice(2);
    const rows = await comparePymtkflasher({
      bauds: listArg(args, 'baud', [460800, 921600]),
      reps: numberArg(args, 'reps', 3),
      romBytes: args.includes('--rom-kib')
        ? numberArg(args, 'rom-kib', 256) * 1024
        : REAL_SIZE_ROM_BYTES,
      rxPacing: !args.includes('--unpaced-rx'),
    });
    console.log(formatTable(rows));
  }
}
