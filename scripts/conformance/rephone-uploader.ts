// Conformance run with a second, independent host: firmwareUploader.py (Stefan Mandl, for the
// RePhone/MT2502; GPL-2.0-or-later) flashes an emulated module over its pseudo-terminal with its
// own split DA and the RePhone boot loaders, the way its readme says: start the script, then
// connect the device (here: power the slot on and plug its adapter back in).
// Usage: npx tsx scripts/conformance/rephone-uploader.ts <tool dir> [--real-package]
//        [--until <stage>] [--fault <module fault>] [--no-pacing] [--timeout <seconds>]
// (scripts/conformance/rephone-uploader.sh fetches the tool into a temp dir and calls this.)
// Default images: a synthetic ROM (new revision) and VIVA, so a paced run at 115200 (the script
// never switches baud: it was written for USB CDC) takes about a minute; --real-package writes the
// RePhone ROM and VIVA (4.9 MB, ~8 min paced).
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import {
  buildSyntheticRom,
  createVirtualJig,
  MODULE_FAULT_NAMES,
  type VirtualModule,
} from '@station/emulator';
import { REPHONE_STAGES, StageTracker } from './rephone-stages';

const args = process.argv.slice(2);
const toolDir = args[0];
const option = (name: string): string | undefined =>
  args.includes(name) ? args[args.indexOf(name) + 1] : undefined;
const realPackage = args.includes('--real-package');
const pacing = !args.includes('--no-pacing');
const until = option('--until');
/** A module fault by name (e.g. wrongChip), to see where the script stops on it. */
const fault = option('--fault');
const timeoutMs = Number(option('--timeout') ?? 600) * 1000;
const OLD = 'MC60CAR01A03';
const SYNTHETIC_REVISION = 'MC60CAR01A13';
const REPHONE_REVISION = 'MAUI.11CW1418SP5.W15.19';
/** Where the script puts its images (hard-coded in DA_SetMemBlock). */
const ROM_OFFSET = 0x20000;
const VIVA_OFFSET = 0x1d64d0;
/** The boot loaders go below the ROM. */
const BOOT_REGION = 0x20000;
/**
 * The script opens the port in a 0.1 s retry loop and sends A0 at once; socat's start plus that
 * poll can exceed the default 300 ms window on a loaded 2-core machine, so the window is widened
 * here (a harness allowance, not a claim about the MT2502's USB boot ROM).
 */
const BROM_WINDOW_MS = 3000;

function waitForAt(module: VirtualModule, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (module.state === 'at') return resolve(true);
    const timer = setTimeout(() => (module.off('state', onState), resolve(false)), ms);
    const onState = (s: string) => {
      if (s !== 'at') return;
      clearTimeout(timer);
      module.off('state', onState);
      resolve(true);
    };
    module.on('state', onState);
  });
}

async function atQuery(path: string, command: string): Promise<string> {
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((ok, fail) => port.open((e) => (e ? fail(e) : ok())));
  try {
    let text = '';
    const done = new Promise<string>((ok, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`no AT answer to ${command}, got ${JSON.stringify(text)}`)),
        3000,
      );
      port.on('data', (chunk: Buffer) => {
        text += chunk.toString('latin1');
        if (!/\r\n(OK|ERROR)\r\n$/.test(text)) return;
        clearTimeout(timer);
        ok(text);
      });
    });
    port.write(`${command}\r`);
    return await done;
  } finally {
    await new Promise<void>((ok) => port.close(() => ok()));
  }
}

/** Deterministic filler standing in for the VIVA resource image (its content is opaque here). */
function syntheticViva(size: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = 0x12345678;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

async function prepareImages(fw: string): Promise<{ rom: Uint8Array; viva: Uint8Array }> {
  for (const name of ['INT_BOOTLOADER', 'EXT_BOOTLOADER'])
    await copyFile(join(toolDir!, 'RePhone', name), join(fw, name));
  if (realPackage) {
    for (const name of ['ROM', 'VIVA'])
      await copyFile(join(toolDir!, 'RePhone', name), join(fw, name));
    return {
      rom: new Uint8Array(await readFile(join(fw, 'ROM'))),
      viva: new Uint8Array(await readFile(join(fw, 'VIVA'))),
    };
  }
  // Odd sizes, so each image ends with a short packet.
  const rom = buildSyntheticRom({ revision: SYNTHETIC_REVISION, size: 256 * 1024 + 0x6d0 });
  const viva = syntheticViva(48 * 1024 + 0x123);
  await writeFile(join(fw, 'ROM'), rom);
  await writeFile(join(fw, 'VIVA'), viva);
  return { rom, viva };
}

const equal = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

async function main(): Promise<number> {
  if (!toolDir) throw new Error('usage: rephone-uploader.ts <dir with firmwareUploader.py>');
  if (until && !REPHONE_STAGES.some((s) => s.name === until)) {
    throw new Error(
      `--until: no stage "${until}" (${REPHONE_STAGES.map((s) => s.name).join(', ')})`,
    );
  }
  if (fault && !MODULE_FAULT_NAMES.includes(fault as never)) {
    throw new Error(`--fault: no module fault "${fault}" (${MODULE_FAULT_NAMES.join(', ')})`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'rephone-jig-'));
  const jig = await createVirtualJig({
    dir,
    pacing,
    slots: [
      {
        slot: 1,
        revision: OLD,
        flashMiB: 16,
        timing: { bromWindowMs: BROM_WINDOW_MS },
        ...(fault ? { faults: { [fault]: true } } : {}),
      },
    ],
  });
  try {
    const { module, path } = jig.slots[0]!;
    if (!(await waitForAt(module, 5000))) throw new Error(`module never booted (${module.state})`);
    const before = await atQuery(path, 'AT+GMR');
    const fw = join(dir, 'fw');
    await mkdir(fw);
    const images = await prepareImages(fw);
    const bootLoaders = {
      int: new Uint8Array(await readFile(join(fw, 'INT_BOOTLOADER'))),
      ext: new Uint8Array(await readFile(join(fw, 'EXT_BOOTLOADER'))),
    };

    // The device is "disconnected" before the script starts, as its readme asks. The script
    // gets a path of its own that appears only once the slot is powered and its line is up, as
    // a USB device's tty does (the slot's own link can appear before socat's far end is open).
    await jig.power(1, 'off');
    await jig.unplug(1);
    const usbPath = join(dir, 'usb-rephone');
    const started = performance.now();
    const child = spawn(
      '/usr/bin/python3',
      ['-u', 'firmwareUploader.py', '-p', usbPath, '-f', fw, '--nobattery'],
      { cwd: toolDir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let connected = false;
    let plugError: string | null = null;
    let stopped = false;
    const exited = new Promise<number | null>((ok) => child.on('exit', (c) => ok(c)));
    const stop = () => {
      if (stopped) return;
      stopped = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    };
    const at: Record<string, number> = {};
    const tracker = new StageTracker((stage) => {
      at[stage.name] = Number(((performance.now() - started) / 1000).toFixed(1));
      if (stage.name === until) stop();
    });
    const onOutput = (chunk: Buffer) => {
      const text = chunk.toString();
      tracker.feed(text);
      if (!connected && tracker.lines.some((l) => l.startsWith('Try to open port'))) {
        connected = true; // "connect the device to USB": power, then the tty appears
        void jig
          .power(1, 'on')
          .then(() => jig.replug(1))
          .then(() => symlink(path, usbPath))
          .catch((error: Error) => {
            plugError = error.message;
            stop();
          });
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    const deadline = setTimeout(stop, timeoutMs);
    const code = await exited;
    clearTimeout(deadline);
    tracker.feed('\n');
    const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
    const reached = tracker.reached;
    const report: Record<string, unknown> = {
      host: 'firmwareUploader.py',
      images: realPackage ? 'rephone' : 'synthetic',
      pacing,
      seconds,
      reached,
      /** Seconds from the script's start to the end of each step. */
      at,
      stoppedAt: tracker.stoppedAt?.name ?? null,
      expected: tracker.stoppedAt?.what ?? null,
      hostError: tracker.error,
      plugError,
      exitCode: code,
      moduleState: module.state,
    };

    if (until) {
      const ok = reached.includes(until);
      console.log(JSON.stringify({ result: ok ? 'PASS' : 'FAIL', until, ...report }));
      if (!ok) console.error(tracker.lines.slice(-30).join('\n'));
      return ok ? 0 : 1;
    }
    if (!reached.includes('done')) {
      console.error(tracker.lines.slice(-30).join('\n'));
      console.log(JSON.stringify({ result: 'FAIL', ...report }));
      return 1;
    }
    // D9 restarts the module; with no handshake in the window it boots the new ROM.
    const booted = await waitForAt(module, BROM_WINDOW_MS + 10_000);
    const after = booted ? await atQuery(path, 'ATI') : '';
    const boot = Buffer.from(module.readFlash(0, BOOT_REGION));
    const flash = {
      rom: equal(module.readFlash(ROM_OFFSET, images.rom.length), images.rom),
      viva: equal(module.readFlash(VIVA_OFFSET, images.viva.length), images.viva),
      intBootLoaderAt: boot.indexOf(Buffer.from(bootLoaders.int)),
      extBootLoaderAt: boot.indexOf(Buffer.from(bootLoaders.ext)),
    };
    const revision = realPackage ? REPHONE_REVISION : SYNTHETIC_REVISION;
    const ok = flash.rom && flash.viva && after.includes(`Revision: ${revision}`);
    console.log(
      JSON.stringify({
        result: ok ? 'PASS' : 'FAIL',
        ...report,
        flash,
        before: before.match(/Revision: (\S+)/)?.[1],
        after: after.match(/Revision: (\S+)/)?.[1] ?? null,
      }),
    );
    return ok ? 0 : 1;
  } finally {
    await jig.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`FAIL: ${error.message}`);
    process.exit(1);
  },
);
