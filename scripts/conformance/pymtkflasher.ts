// Conformance run: the reference host waybyte/tool-pymtkflasher flashes a synthetic ROM into an
// emulated MC60 over its pseudo-terminal, and the module then reports the new revision over AT.
// Usage: npx tsx scripts/conformance/pymtkflasher.ts <pymtkflasher dir> [--baud 460800]
//        [--no-pacing]   (debug only: no line pacing at all)
// (scripts/conformance/pymtkflasher.sh fetches pymtkflasher into a temp dir and calls this.)
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { buildSyntheticRom, createVirtualJig, type VirtualModule } from '@station/emulator';

const args = process.argv.slice(2);
const toolDir = args[0];
const baud = args.includes('--baud') ? Number(args[args.indexOf('--baud') + 1]) : 460800;
// Both directions paced, the host held back at 4 KiB like a USB adapter (docs/emulator.md).
const pacing = !args.includes('--no-pacing');
const OLD = 'MC60CAR01A03';
const NEW = 'MC60CAR01A13';

function waitForAt(module: VirtualModule): Promise<void> {
  return new Promise((resolve) => {
    if (module.state === 'at') return resolve();
    const onState = (s: string) => s === 'at' && (module.off('state', onState), resolve());
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
        () => fail(new Error(`no AT answer, got ${JSON.stringify(text)}`)),
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

async function main(): Promise<number> {
  if (!toolDir)
    throw new Error('usage: pymtkflasher.ts <dir containing mtkflasher.py and mt6261_da.bin>');
  const dir = await mkdtemp(join(tmpdir(), 'pymtk-jig-'));
  const jig = await createVirtualJig({
    dir,
    pacing,
    slots: [{ slot: 1, revision: OLD }],
  });
  try {
    const { module, path } = jig.slots[0]!;
    await waitForAt(module);
    const before = await atQuery(path, 'AT+GMR');
    const image = join(dir, `${NEW}.bin`);
    await writeFile(image, buildSyntheticRom({ revision: NEW, size: 100 * 1024 }));

    const started = performance.now();
    const child = spawn(
      '/usr/bin/python3',
      ['-u', join(toolDir, 'mtkflasher.py'), '-p', path, '-b', String(baud), image],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    let cycled = false;
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      if (!cycled && output.includes('Please reset the device')) {
        cycled = true; // drive the "reset" through the jig's power channel, like a relay
        void jig.power(1, 'cycle');
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    const code = await new Promise<number>((ok) => child.on('exit', (c) => ok(c ?? 1)));
    const flashMs = performance.now() - started;
    if (code !== 0) {
      console.error(output);
      console.error(`FAIL: mtkflasher.py exited with ${code} (module state ${module.state})`);
      return 1;
    }
    await waitForAt(module); // pymtkflasher ends with a watchdog reset
    const after = await atQuery(path, 'ATI');
    const ok = after.includes(`Revision: ${NEW}`);
    console.log(
      JSON.stringify({
        result: ok ? 'PASS' : 'FAIL',
        baud,
        pacing,
        imageBytes: 100 * 1024,
        flashSeconds: Number((flashMs / 1000).toFixed(1)),
        before: before.match(/Revision: (\w+)/)?.[1],
        after: after.match(/Revision: (\w+)/)?.[1],
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
