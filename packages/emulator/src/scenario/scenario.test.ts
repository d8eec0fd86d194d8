import { describe, expect, it } from 'vitest';
import { loadScenario } from './scenario';

describe('loadScenario', () => {
  it('accepts a documented scenario', () => {
    const scenario = loadScenario(
      JSON.stringify({
        defaults: { revision: 'MC60CAR01A10' },
        slots: [
          { slot: 2, imei: '861359030299596', faults: { badSector: 0x30000, slowErase: true } },
          { slot: 3, adapterFaults: { noise: { byteErrorRate: 0.01 } } },
        ],
      }),
    );
    expect(scenario.slots).toHaveLength(2);
    expect(scenario.slots[0]?.faults?.badSector).toBe(0x30000);
  });

  it('names the field that is wrong', () => {
    expect(() => loadScenario('{"slots":[{"slot":1,"imei":"123"}]}')).toThrow(
      /slots\.0\.imei: must be 15 digits/,
    );
    expect(() => loadScenario('{"slots":[{"slot":1,"faults":{"deadPsrm":true}}]}')).toThrow(
      /slots\.0\.faults/,
    );
    expect(() => loadScenario('{"slots":[{"slot":1},{"slot":1}]}')).toThrow(/slot 1 appears twice/);
    expect(() => loadScenario('{slots:')).toThrow(/not valid JSON/);
  });
});
