import { describe, expect, it } from 'vitest';
import { defaultFlashPart, FlashPartError, parseCustomSpec, resolveFlashPart } from './flash-part';
import { eraseTimeMs, ProgramPipeline, programTimeMs } from './flash-timing';

const W25Q128 = resolveFlashPart('W25Q128JV');

describe('flash parts', () => {
  it('names a part case-insensitively with its JEDEC id, size and datasheet times', () => {
    expect(resolveFlashPart('w25q64jv')).toMatchObject({
      name: 'W25Q64JV',
      jedec: [0xef, 0x40, 0x17],
      size: 8 * 1024 * 1024,
      timing: { sectorEraseMs: 45, blockEraseMs: 150, pageProgramMs: 0.4 },
    });
    expect(W25Q128.size).toBe(16 * 1024 * 1024);
  });

  it('builds a custom part from fields or key=value text, and refuses what cannot be a part', () => {
    const part = resolveFlashPart(
      'name=GD25LQ128C,jedec=C86018,sizeMiB=16,sectorEraseMs=50,blockEraseMs=300,pageProgramMs=0.6',
    );
    expect(part).toMatchObject({ name: 'GD25LQ128C', jedec: [0xc8, 0x60, 0x18], size: 0x1000000 });
    expect(part.timing.blockEraseMs).toBe(300);
    expect(() => resolveFlashPart('W25Q256')).toThrow(
      /unknown flash part "W25Q256" \(parts: W25Q32JV/,
    );
    expect(() => parseCustomSpec('jedec=C86018,sizeMiB=16')).toThrow(/needs sectorEraseMs/);
    expect(() =>
      resolveFlashPart({
        ...parseCustomSpec('jedec=C860,sizeMiB=1,sectorEraseMs=1,blockEraseMs=1,pageProgramMs=1'),
      }),
    ).toThrow(FlashPartError);
    expect(() => parseCustomSpec('jedec=C86018,speed=3')).toThrow(
      /unknown flash part field "speed"/,
    );
    expect(() =>
      resolveFlashPart({
        jedec: 'C86018',
        sizeMiB: 0.01,
        sectorEraseMs: 1,
        blockEraseMs: 1,
        pageProgramMs: 1,
      }),
    ).toThrow(/not a whole number of 64 KiB blocks/);
  });

  it('the default part keeps the quick emulator times: a block costs 16 sectors, 4 KiB one program step', () => {
    const part = defaultFlashPart([0xc8, 0x60, 0x16], 0x400000, {
      sectorEraseMs: 1,
      programMsPer4K: 0.5,
    });
    expect(part.name).toBe('GD25LQ32');
    expect(eraseTimeMs(part, 0x20000, 0x10000)).toBe(16);
    expect(programTimeMs(part, 0x20000, 4096)).toBe(0.5);
  });
});

describe('erase and program time', () => {
  it('uses one block erase per whole aligned 64 KiB block and sector erases around it', () => {
    expect(eraseTimeMs(W25Q128, 0x20000, 0x10000)).toBe(150);
    // 0x1F000..0x31000: one sector before the block, the block, one sector after it.
    expect(eraseTimeMs(W25Q128, 0x1f000, 0x12000)).toBe(45 + 150 + 45);
    // Unaligned 64 KiB: 16 sectors, no whole block.
    expect(eraseTimeMs(W25Q128, 0x21000, 0x10000)).toBe(16 * 45);
    expect(eraseTimeMs(W25Q128, 0, 0)).toBe(0);
  });

  it('programs per 256-byte page touched', () => {
    expect(programTimeMs(W25Q128, 0, 4096)).toBeCloseTo(16 * 0.4);
    expect(programTimeMs(W25Q128, 0xff, 2)).toBeCloseTo(2 * 0.4);
    expect(programTimeMs(W25Q128, 0x100, 1)).toBeCloseTo(0.4);
  });
});

describe('program pipeline (two packet buffers)', () => {
  it('acknowledges a packet at once while the part is idle, and waits only for the one before it', () => {
    const pipe = new ProgramPipeline();
    expect(pipe.accept(0, 10)).toBe(0); // programming 0..10
    expect(pipe.accept(4, 10)).toBe(6); // the buffer frees at 10: programming 10..20
    expect(pipe.accept(50, 10)).toBe(0); // idle again: 50..60
    expect(pipe.drain(55)).toBe(5);
    expect(pipe.drain(70)).toBe(0);
  });

  it('a DA that programs before its ACK pays the whole program time on every packet', () => {
    const pipe = new ProgramPipeline(true);
    expect(pipe.accept(0, 10)).toBe(10);
    expect(pipe.accept(100, 10)).toBe(10);
    expect(pipe.drain(100)).toBe(0);
  });
});
