// Real serialport binding over a socat pseudo-terminal pair.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SerialTransport } from './serial-transport';

let dir: string;
let socat: ChildProcess | undefined;
const opened: SerialTransport[] = [];

async function ptyPair(): Promise<[string, string]> {
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  socat = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 200 && !(existsSync(a) && existsSync(b)); i++)
    await new Promise((r) => setTimeout(r, 10));
  if (!existsSync(a) || !existsSync(b)) throw new Error('socat did not create the pty pair');
  return [a, b];
}

async function open(path: string): Promise<SerialTransport> {
  const t = await SerialTransport.open({ path });
  opened.push(t);
  return t;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'serial-transport-'));
});

afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
  if (socat && socat.exitCode === null) {
    const exited = new Promise((r) => socat!.once('exit', r));
    socat.kill();
    await exited;
  }
  socat = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('SerialTransport over a pseudo-terminal', () => {
  it('moves bytes both ways and assembles reads from several chunks', async () => {
    const [a, b] = await ptyPair();
    const host = await open(a);
    const device = await open(b);
    const reading = device.read(6, 2000);
    await host.write(Uint8Array.of(1, 2, 3));
    await host.write(Uint8Array.of(4, 5, 6, 7));
    expect(await reading).toEqual(Uint8Array.of(1, 2, 3, 4, 5, 6));
    expect(await device.read(1, 2000)).toEqual(Uint8Array.of(7));
    const big = Uint8Array.from({ length: 20_000 }, (_, i) => i & 0xff);
    const back = host.read(big.length, 5000);
    await device.write(big);
    expect(await back).toEqual(big);
  });

  it('times out a read, changes baud, and discards stale input', async () => {
    const [a, b] = await ptyPair();
    const host = await open(a);
    const device = await open(b);
    await expect(host.read(1, 30)).rejects.toMatchObject({ timeout: true });
    await host.setBaudRate(921600);
    await device.write(Uint8Array.of(0x5f, 0x5f));
    await expect(host.read(2, 2000)).resolves.toEqual(Uint8Array.of(0x5f, 0x5f));
    await device.write(Uint8Array.of(9));
    await new Promise((r) => setTimeout(r, 50));
    host.discardInput();
    await expect(host.read(1, 30)).rejects.toMatchObject({ timeout: true });
  });

  it('close rejects a pending read as canceled', async () => {
    const [a] = await ptyPair();
    const host = await open(a);
    const pending = expect(host.read(1, 10_000)).rejects.toMatchObject({
      canceled: true,
      disconnected: false,
    });
    await host.close();
    await pending;
    await expect(host.write(Uint8Array.of(1))).rejects.toMatchObject({ canceled: true });
  });

  it('the far end vanishing rejects a pending read as disconnected', async () => {
    const [a] = await ptyPair();
    const host = await open(a);
    const pending = expect(host.read(1, 10_000)).rejects.toMatchObject({ disconnected: true });
    const exited = new Promise((r) => socat!.once('exit', r));
    socat!.kill();
    await exited;
    // Linux reports the hang-up on the next I/O at the latest.
    await expect(host.write(Uint8Array.of(0xa0))).rejects.toMatchObject({ disconnected: true });
    await pending;
  });

  it('fails to open a missing port with PORT_OPEN_FAIL (1011)', async () => {
    await expect(SerialTransport.open({ path: join(dir, 'nope') })).rejects.toMatchObject({
      code: 'PORT_OPEN_FAIL',
      mtkCode: 1011,
    });
  });
});
