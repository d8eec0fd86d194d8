import { describe, expect, it } from 'vitest';
import { createMemoryTransportPair } from '../testing/memory-transport';
import { identifyModule } from './identify';

/** A few scripted AT answers, including echo, blank lines and unsolicited codes. */
function scriptedModule(answers: Record<string, string>) {
  const { host, device } = createMemoryTransportPair();
  void (async () => {
    let line = '';
    try {
      for (;;) {
        const [b] = await device.read(1, 60_000);
        if (b !== 0x0d) {
          line += String.fromCharCode(b!);
          continue;
        }
        const answer = answers[line];
        await device.write(new TextEncoder().encode(`${line}\r` + (answer ?? '\r\nERROR\r\n')));
        line = '';
      }
    } catch {
      // closed
    }
  })();
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
      identifyModule(host, { syncAttempts: 2, probeTimeoutMs: 20 }),
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
});
