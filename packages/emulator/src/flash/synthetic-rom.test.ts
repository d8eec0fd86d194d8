import { describe, expect, it } from 'vitest';
import { ROM_FLASH_OFFSET } from '../constants';
import { FlashMemory } from './flash-memory';
import { inspectRom } from './rom-info';
import { buildSyntheticRom } from './synthetic-rom';

const maxSize = (rom: Uint8Array) => new DataView(rom.buffer).getUint32(0x24, true);

describe('buildSyntheticRom', () => {
  it('keeps the 4 MiB max size for small images and grows it for a real-size one', () => {
    expect(maxSize(buildSyntheticRom({ revision: 'MC60CAR01A13' }))).toBe(0x400000);
    const big = buildSyntheticRom({ revision: 'MC60CAR01A13', size: 4_945_852 });
    expect(maxSize(big)).toBe(0x4c0000);
    expect(maxSize(big)).toBeGreaterThanOrEqual(big.length);
  });

  it('a real-size image boots from a 16 MiB part, and does not fit the 4 MiB one', () => {
    const rom = buildSyntheticRom({ revision: 'MC60CAR01A13', size: 4_945_852 });
    const flash = new FlashMemory(16 * 1024 * 1024);
    flash.program(ROM_FLASH_OFFSET, rom);
    expect(inspectRom(flash)).toMatchObject({ bootable: true, revision: 'MC60CAR01A13' });
    expect(() => new FlashMemory().program(ROM_FLASH_OFFSET, rom)).toThrow(
      /exceeds the 4194304-byte part/,
    );
  });

  it('refuses a flash size that is not whole sectors', () => {
    expect(() => new FlashMemory(5000)).toThrow(/whole number of 4 KiB sectors/);
  });
});
