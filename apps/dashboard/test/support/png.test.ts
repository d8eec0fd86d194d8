// Unit test of the screenshot decoder against PNGs built here byte by byte (every row filter);
// nothing is mocked.
import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { colourHistogram, decodePng } from './png';

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Encodes RGB rows, filtering row y with filter (y % 5), the way an encoder may mix them. */
function encodeRgb(width: number, rows: number[][]): Buffer {
  const stride = width * 3;
  const filtered: number[] = [];
  rows.forEach((row, y) => {
    const filter = y % 5;
    filtered.push(filter);
    for (let x = 0; x < stride; x++) {
      const a = x >= 3 ? row[x - 3]! : 0;
      const b = y > 0 ? rows[y - 1]![x]! : 0;
      const c = x >= 3 && y > 0 ? rows[y - 1]![x - 3]! : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const predicted = [0, a, b, (a + b) >> 1, paeth][filter]!;
      filtered.push((row[x]! - predicted) & 0xff);
    }
  });
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(rows.length, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from(filtered))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('decodePng', () => {
  it('decodes every row filter back to the original pixels', () => {
    const width = 7;
    const rows = Array.from({ length: 10 }, (_, y) =>
      Array.from({ length: width * 3 }, (_, x) => (x * 37 + y * 101 + ((x * y) % 13)) & 0xff),
    );
    const png = decodePng(encodeRgb(width, rows));
    expect([png.width, png.height]).toEqual([width, 10]);
    for (let y = 0; y < 10; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        expect(Array.from(png.pixels.subarray(i, i + 4))).toEqual([
          ...rows[y]!.slice(x * 3, x * 3 + 3),
          255,
        ]);
      }
    }
  });

  it('reports a flat image as one colour', () => {
    const rows = Array.from({ length: 4 }, () =>
      Array.from({ length: 12 }, (_, x) => [15, 20, 25][x % 3]!),
    );
    expect([...colourHistogram(decodePng(encodeRgb(4, rows)))]).toEqual([['#0f1419', 16]]);
  });

  it('rejects a file that is not a PNG', () => {
    expect(() => decodePng(Buffer.from('GIF89a-not-a-png'))).toThrow(/not a PNG/);
  });
});
