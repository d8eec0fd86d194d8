import { describe, expect, it } from 'vitest';
import { createMemoryTransportPair, type MemoryTransport } from '../testing/memory-transport';
import { TraceRecorder } from '../trace/trace-recorder';
import { identifyModule } from './identify';

const ANSWERS: Record<string, string> = {
  AT: '\r\nOK\r\n',
  ATI: '\r\nQuectel_Ltd\r\nQuectel_MC60\r\nRevision: MC60CAR01A10\r\n\r\nOK\r\n',
  'AT+GSN': '\r\n861359030299596\r\n\r\nOK\r\n',
};
const IDENTITY = {
  imei: '861359030299596',
  revision: 'MC60CAR01A10',
  manufacturer: 'Quectel_Ltd',
  model: 'Quectel_MC60',
};

const encode = (text: string) => new TextEncoder().encode(text);

/** Hands each CR-ended command line the host sends to `onLine`, in order, until closed. */
function onCommandLines(
  device: MemoryTransport,
  onLine: (command: string) => Promise<void> | void,
) {
  void (async () => {
    let line = '';
    try {
      for (;;) {
        const [b] = await device.read(1, 60_000);
        if (b !== 0x0d) {
          line += String.fromCharCode(b!);
          continue;
        }
        const command = line;
        line = '';
        await onLine(command);
      }
    } catch {
      // closed
    }
  })();
}

/**
 * A module still booting: the first `deaf` command lines are lost, then each line is answered in
 * order, `delayMs` after it came (so probes sent meanwhile get their answers late). Records every
 * line it heard.
 */
function bootingModule(options: { deaf: number; delayMs?: number; echo?: boolean }) {
  const { host, device } = createMemoryTransportPair();
  const heard: string[] = [];
  let answered = Promise.resolve();
  onCommandLines(device, (command) => {
    heard.push(command);
    if (heard.length <= options.deaf) return;
    const reply =
      (options.echo === false ? '' : `${command}\r`) + (ANSWERS[command] ?? '\r\nERROR\r\n');
    answered = answered.then(async () => {
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      await device.write(encode(reply)).catch(() => undefined);
    });
  });
  return { host, device, heard };
}

/** A few scripted AT answers, including echo, blank lines and unsolicited codes. */
function scriptedModule(answers: Record<string, string>) {
  const { host, device } = createMemoryTransportPair();
  onCommandLines(device, async (command) => {
    await device.write(encode(`${command}\r` + (answers[command] ?? '\r\nERROR\r\n')));
  });
  return { host, device };
}

describe('identifyModule', () => {
  it('reads revision and IMEI through echo and unsolicited lines', async () => {
    const { host, device } = scriptedModule({
      AT: '\r\nOK\r\n',
      ATI: '\r\nQuectel_Ltd\r\nQuectel_MC60\r\n\r\nCall Ready\r\nRevision: MC60CAR01A10\r\n\r\nOK\r\n',
      'AT+GSN': '\r\n+CPIN: READY\r\n861359030299596\r\n\r\nOK\r\n',
    });
    await expect(identifyModule(host)).resolves.toEqual({
      imei: '861359030299596',
      revision: 'MC60CAR01A10',
      manufacturer: 'Quectel_Ltd',
      model: 'Quectel_MC60',
    });
    await host.close();
    await device.close();
  });

  it('resolves undefined when nothing answers AT', async () => {
    const { host } = createMemoryTransportPair();
    await expect(
      identifyModule(host, { aliveWithinMs: 40, probeEveryMs: 10 }),
    ).resolves.toBeUndefined();
  });

  it('fails with IMEI_INVALID on a bad check digit and AT_NO_RESPONSE without a revision', async () => {
    const bad = scriptedModule({
      AT: '\r\nOK\r\n',
      ATI: '\r\nRevision: X1\r\n\r\nOK\r\n',
      'AT+GSN': '\r\n861359030299597\r\n\r\nOK\r\n',
    });
    await expect(identifyModule(bad.host)).rejects.toMatchObject({ code: 'IMEI_INVALID' });
    const noRev = scriptedModule({ AT: '\r\nOK\r\n', ATI: '\r\nQuectel_Ltd\r\n\r\nOK\r\n' });
    await expect(identifyModule(noRev.host)).rejects.toMatchObject({ code: 'AT_NO_RESPONSE' });
    for (const t of [bad.host, bad.device, noRev.host, noRev.device]) await t.close();
  });

  it('keeps probing while the module boots and stops at its first OK (one trace step)', async () => {
    const { host, device, heard } = bootingModule({ deaf: 3 });
    const trace = new TraceRecorder();
    await expect(identifyModule(host, { probeEveryMs: 10, trace })).resolves.toEqual(IDENTITY);
    // Three probes lost while booting, the fourth answered at once: nothing sent after it.
    expect(heard).toEqual(['AT', 'AT', 'AT', 'AT', 'ATI', 'AT+GSN']);
    expect(trace.snapshot().entries.map((e) => [e.cmd, e.reply])).toEqual([
      ['AT', { answer: 'OK', probes: 4 }],
      ['ATI', { answer: 'Quectel_Ltd / Quectel_MC60 / Revision: MC60CAR01A10' }],
      ['AT+GSN', { answer: '861359030299596' }],
    ]);
    await host.close();
    await device.close();
  });

  for (const echo of [true, false]) {
    it(`skips the late answers of probes still in flight (echo ${echo ? 'on' : 'off'})`, async () => {
      // Every answer comes 3 probe gaps late: several probes are answered after ATI went out.
      const { host, device, heard } = bootingModule({ deaf: 1, delayMs: 30, echo });
      await expect(identifyModule(host, { probeEveryMs: 10 })).resolves.toEqual(IDENTITY);
      const probes = heard.indexOf('ATI');
      expect(probes).toBeGreaterThan(2); // late answers were really on their way
      expect(heard.slice(probes)).toEqual(['ATI', 'AT+GSN']);
      await host.close();
      await device.close();
    });
  }

  for (const [cut, what] of [
    ['A', 'its echo'],
    ['AT\r\r\nO', 'its OK'],
  ] as const) {
    it(`skips a late probe answer that the discard before ATI cut inside ${what}`, async () => {
      // Probe 1 is answered late, after probe 2 went out. The first bytes of probe 2's answer
      // (`cut`) arrive with probe 1's and are discarded before ATI; the rest comes after it.
      const { host, device } = createMemoryTransportPair();
      const heard: string[] = [];
      const full = 'AT\r\r\nOK\r\n';
      onCommandLines(device, async (command) => {
        heard.push(command);
        if (command === 'AT' && heard.length === 2) await device.write(encode(full + cut));
        else if (command === 'ATI')
          await device.write(encode(full.slice(cut.length) + `ATI\r${ANSWERS.ATI}`));
        else if (command !== 'AT') await device.write(encode(`${command}\r${ANSWERS[command]}`));
      });
      await expect(identifyModule(host, { probeEveryMs: 20 })).resolves.toEqual(IDENTITY);
      expect(heard).toEqual(['AT', 'AT', 'ATI', 'AT+GSN']);
      await host.close();
      await device.close();
    });
  }

  it('gives up probing at its deadline, the probes spaced by the gap', async () => {
    const { host, device, heard } = bootingModule({ deaf: Number.POSITIVE_INFINITY });
    const trace = new TraceRecorder();
    await expect(
      identifyModule(host, { aliveWithinMs: 100, probeEveryMs: 25, trace }),
    ).resolves.toBeUndefined();
    // A probe every 25 ms within 100 ms: at most 4, however slow the machine.
    expect(heard.length).toBeGreaterThanOrEqual(1);
    expect(heard.length).toBeLessThanOrEqual(4);
    expect(trace.snapshot().entries.map((e) => e.reply)).toEqual([
      { answer: 'no answer', probes: heard.length },
    ]);
    await host.close();
    await device.close();
  });

  it('takes an OK with no ATI line for a late probe answer, not for the ATI answer', async () => {
    const { host, device } = scriptedModule({ AT: '\r\nOK\r\n', ATI: '\r\nOK\r\n' });
    await expect(identifyModule(host, { commandTimeoutMs: 50 })).rejects.toMatchObject({
      code: 'AT_NO_RESPONSE',
    });
    await host.close();
    await device.close();
  });
});
