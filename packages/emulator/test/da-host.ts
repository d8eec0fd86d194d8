// Test helper: takes a ByteHost through SEND_DA ×2 + JUMP_DA + DA connect (no pacing).
import type { ByteHost } from './byte-host';
import { be32, norRecord, TERMINATOR } from './byte-host';

export const DA_CONFIG = [0xa5, 0x05, 0xfe, 0x00, 0x08, 0x00, 0x70, 0x07, 0xff, 0xff, 0x02];

export function sendDa(host: ByteHost, address: number, payload: Uint8Array): Uint8Array {
  host.exchange([0xd7, ...be32(address), ...be32(payload.length), ...be32(0x100)]);
  return host.exchange(payload);
}

/** Uploads two tiny DA parts, jumps, and returns the DA's first 4 bytes (its sync). */
export function jumpToDa(host: ByteHost): Uint8Array {
  sendDa(host, 0x70007000, new Uint8Array(64).fill(1));
  sendDa(host, 0x10020000, new Uint8Array(64).fill(2));
  host.exchange([0xd5, ...be32(0x70007000)]);
  host.clock.advance(10);
  return host.take();
}

/** Full DA connect against the default GD25LQ32 table; returns the 198-byte report. */
export function connectDa(host: ByteHost): Uint8Array {
  host.powerOnAndHandshake();
  jumpToDa(host);
  host.exchange([...DA_CONFIG, ...be32(3)]);
  host.exchange(norRecord(0x0010, [0xef, 0x40, 0x16]));
  host.exchange(norRecord(0x0042, [0xc8, 0x60, 0x16]));
  return host.exchange([0, 0, 0, 0]);
}

export { TERMINATOR };
