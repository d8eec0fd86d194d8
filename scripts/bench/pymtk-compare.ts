// Our host versus the reference Python host waybyte/tool-pymtkflasher, side by side in one run:
// the same synthetic GFH application ROM, the same DA file (pymtkflasher's own, copied from the
// local mirror into a temp dir, never committed), the same emulator settings (device → host
// paced, host → device unpaced: pymtkflasher's DA checksum read needs that, see
// docs/emulator.md), alternating the two hosts for several repetitions per baud.
// Usage: npx tsx scripts/bench/pymtk-compare.ts [--baud 460800,921600] [--reps 3] [--rom-kib 256]
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
import {
  formatTable,
  isMain,
  listArg,
  median,
  numberArg,
  withTempDir,
  type Row,
} from './lib/bench-util';

const MIRROR = process.argv.includes('--mirror')
  ? process.argv[process.argv.indexOf('--mirror') + 1]!
  : '/work/.mirror/waybyte+tool-pymtkflasher/repo';
const PYTHON = '/usr/bin/python3';
const OLD = 'MC60CAR01A03';
const NEW = 'MC60CAR01A13';

export interface CompareOptions {
  bauds: number[];
  reps: number;
  romKib: number;
}

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
    const rom = buildSyntheticRom({ revision: NEW, size: options.romKib * 1024 });
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
      flashIds: MC60_FLASH_IDS,
    });
    const pkg = loadFirmwarePackage(cfg, (n) => ({ [bootName]: boot, ROM: rom })[n], 'bench.cfg');

    const rows: Row[] = [];
    for (const baud of options.bauds) {
      const ours: Sample[] = [];
      const theirs: Sample[] = [];
      for (let rep = 0; rep < options.reps; rep++) {
        // Alternate who goes first so a drift in machine load hits both alike.
        const order = rep % 2 === 0 ? ['ours', 'pymtk'] : ['pymtk', 'ours'];
        for (const host of order) {
          if (host === 'ours')
            ours.push(await withJig(dir, (jig) => flashOurs(jig, pkg, da, baud)));
          else theirs.push(await withJig(dir, (jig) => flashPymtk(jig, dir, romPath, baud)));
        }
      }
      for (const [metric, key] of [
        ['total', 'totalMs'],
        ['write', 'writeMs'],
      ] as const) {
        const a = median(ours.map((s) => s[key]));
        const b = median(theirs.map((s) => s[key]));
        rows.push({
          baud,
          metric,
          reps: options.reps,
          oursMedianMs: Math.round(a),
          pymtkMedianMs: Math.round(b),
          ratio: Number((a / b).toFixed(3)),
        });
      }
    }
    return rows;
  });
}

async function withJig(dir: string, body: (jig: VirtualJig) => Promise<Sample>): Promise<Sample> {
  const jig = await createVirtualJig({
    dir,
    pacing: true,
    rxPacing: false,
    slots: [{ slot: 1, revision: OLD }],
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
  const code = await new Promise<number>((ok) => child.on('exit', (c) => ok(c ?? 1)));
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
      romKib: numberArg(args, 'rom-kib', 256),
    });
    console.log(formatTable(rows));
  }
}
