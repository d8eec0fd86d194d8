import { describe, expect, it } from 'vitest';
import { parseFaultSpecs } from './fault-spec';

describe('parseFaultSpecs (emulate seat --fault)', () => {
  it('reads flags, numbers, words and key=value objects', () => {
    expect(
      parseFaultSpecs([
        'deadPsram',
        'badSector:0x24000',
        'slowErase:10',
        'noHandshake:no-power',
        'noisyLine:aboveBaud=460800,byteErrorRate=0.05,seed=3',
        'imeiMismatch:861359030299596',
      ]),
    ).toEqual({
      deadPsram: true,
      badSector: 0x24000,
      slowErase: 10,
      noHandshake: 'no-power',
      noisyLine: { aboveBaud: 460800, byteErrorRate: 0.05, seed: 3 },
      imeiMismatch: '861359030299596',
    });
    expect(parseFaultSpecs([])).toEqual({});
  });

  it('refuses an unknown fault or a bad value in one sentence', () => {
    expect(() => parseFaultSpecs(['deadPsrm'])).toThrow(
      /^unknown fault "deadPsrm" in --fault deadPsrm \(faults: noHandshake, noisyLine, deadPsram/,
    );
    expect(() => parseFaultSpecs(['noHandshake:late'])).toThrow(/^fault noHandshake: /);
    expect(() => parseFaultSpecs(['noisyLine:byteErrorRate=0.1'])).toThrow(
      /^fault noisyLine\.aboveBaud: /,
    );
    expect(() => parseFaultSpecs(['noisyLine:aboveBaud'])).toThrow(/^fault noisyLine: /);
    expect(() => parseFaultSpecs(['noisyLine:aboveBaud=1,seed'])).toThrow(
      '--fault noisyLine:aboveBaud=1,seed: "seed" is not key=value',
    );
  });
});
