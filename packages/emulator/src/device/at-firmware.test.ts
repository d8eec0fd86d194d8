import { describe, expect, it } from 'vitest';
import { ByteHost } from '../../test/byte-host';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function bootedHost(revision: string | null = 'MC60CAR01A10') {
  const host = new ByteHost({ imei: '861359030299596', revision });
  host.module.powerOn();
  host.clock.advance(500);
  return host;
}

describe('AT firmware', () => {
  it('answers ATI with the revision read from the ROM in flash, echo on', () => {
    const host = bootedHost();
    const reply = text(host.exchange(Buffer.from('ATI\r')));
    expect(reply).toBe(
      'ATI\r\r\nQuectel_Ltd\r\nQuectel_MC60\r\nRevision: MC60CAR01A10\r\n\r\nOK\r\n',
    );
  });

  it('answers AT+GMR, AT+GSN and AT+CGSN; ATE0 turns echo off', () => {
    const host = bootedHost();
    expect(text(host.exchange(Buffer.from('ATE0\r')))).toBe('ATE0\r\r\nOK\r\n');
    expect(text(host.exchange(Buffer.from('AT+GMR\r')))).toBe(
      '\r\nRevision: MC60CAR01A10\r\n\r\nOK\r\n',
    );
    expect(text(host.exchange(Buffer.from('AT+GSN\r')))).toBe('\r\n861359030299596\r\n\r\nOK\r\n');
    expect(text(host.exchange(Buffer.from('at+cgsn\r\n')))).toBe(
      '\r\n861359030299596\r\n\r\nOK\r\n',
    );
    expect(text(host.exchange(Buffer.from('AT\r')))).toBe('\r\nOK\r\n');
  });

  it('answers ERROR to unknown commands and ignores lines without AT', () => {
    const host = bootedHost();
    host.exchange(Buffer.from('ATE0\r'));
    expect(text(host.exchange(Buffer.from('AT+QBOGUS\r')))).toBe('\r\nERROR\r\n');
    expect(host.exchange(Buffer.from('hello\r'))).toHaveLength(0);
  });

  it('reports a revision changed in flash without any flag', () => {
    const host = bootedHost();
    host.exchange(Buffer.from('ATE0\r'));
    const head = host.module.readFlash(0x20000, 256);
    const at = Buffer.from(head).indexOf('MC60CAR01A10');
    host.module.flash.erase(0x20000, 4096);
    const patched = Buffer.from(head);
    patched.write('MC60CAR01A11', at, 'latin1');
    host.module.flash.program(0x20000, patched);
    expect(text(host.exchange(Buffer.from('AT+GMR\r')))).toContain('Revision: MC60CAR01A11');
  });
});
