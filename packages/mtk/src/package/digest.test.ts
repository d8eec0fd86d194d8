import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { packageDigest } from './digest';
import { makeSyntheticPackage } from './synthetic';

const bytes = (text: string) => new TextEncoder().encode(text);
const sha = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

describe('packageDigest', () => {
  it('is the sha256 of the sorted "<sha256>  <name>" manifest', () => {
    const files = { 'b.cfg': bytes('cfg'), ROM: bytes('rom') };
    const manifest = `${sha(bytes('rom'))}  ROM\n${sha(bytes('cfg'))}  b.cfg\n`;
    expect(packageDigest(files)).toBe(sha(manifest));
    expect(packageDigest(files)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the order the files were read in', () => {
    const a = packageDigest({ ROM: bytes('r'), VIVA: bytes('v'), 'x.cfg': bytes('c') });
    const b = packageDigest({ 'x.cfg': bytes('c'), VIVA: bytes('v'), ROM: bytes('r') });
    expect(a).toBe(b);
  });

  it('changes when one byte of an image, a name or the file set changes', () => {
    const s = makeSyntheticPackage({ revision: 'MC60CAR01A13' });
    const files = { [s.cfgName]: bytes(s.cfgText), ...s.files };
    const base = packageDigest(files);
    const rom = Uint8Array.from(s.files.ROM!);
    rom[rom.length - 1] = rom[rom.length - 1]! ^ 0xff;
    expect(packageDigest({ ...files, ROM: rom })).not.toBe(base);
    const { VIVA: viva, ...withoutViva } = files;
    expect(packageDigest(withoutViva)).not.toBe(base);
    expect(packageDigest({ ...withoutViva, VIVA2: viva! })).not.toBe(base);
    expect(packageDigest({ ...files })).toBe(base);
  });

  it('refuses an empty package and names that could forge manifest lines', () => {
    expect(() => packageDigest({})).toThrow(/at least one file/);
    expect(() => packageDigest({ 'a\nb': bytes('x') })).toThrow(/plain file name/);
    expect(() => packageDigest({ '../ROM': bytes('x') })).toThrow(/plain file name/);
  });
});
