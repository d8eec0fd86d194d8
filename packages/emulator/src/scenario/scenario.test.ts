import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@station/testkit';
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

  it('says which fault is unknown, and keeps one module in one slot', () => {
    expect(() => loadScenario('{"slots":[{"slot":1,"faults":{"deadPsrm":true}}]}')).toThrow(
      /slots\.0\.faults: unknown fault "deadPsrm" \(faults: noHandshake, .*deadPsram/,
    );
    const imei = '861359030299596';
    expect(() =>
      loadScenario(
        JSON.stringify({
          slots: [
            { slot: 1, imei },
            { slot: 4, imei },
          ],
        }),
      ),
    ).toThrow(`IMEI ${imei} is on slots 1 and 4 (one module sits in one slot)`);
  });

  it('accepts an empty slot with adapter faults of its own', () => {
    const scenario = loadScenario(
      '{"slots":[{"slot":3,"empty":true,"adapterFaults":{"unplugAfterDaBytes":4096}}]}',
    );
    expect(scenario.slots[0]).toMatchObject({
      empty: true,
      adapterFaults: { unplugAfterDaBytes: 4096 },
    });
  });

  it('takes a flash size per slot or as a default, and names a size no part has', () => {
    const scenario = loadScenario(
      JSON.stringify({ defaults: { flashMiB: 16 }, slots: [{ slot: 2, flashMiB: 4 }] }),
    );
    expect(scenario.defaults?.flashMiB).toBe(16);
    expect(scenario.slots[0]!.flashMiB).toBe(4);
    expect(() => loadScenario(JSON.stringify({ slots: [{ slot: 1, flashMiB: 5 }] }))).toThrow(
      /slots\.0\.flashMiB/,
    );
  });

  it('accepts the demo line in scenarios/line.json', () => {
    const scenario = loadScenario(readFileSync(join(repoRoot, 'scenarios/line.json'), 'utf8'));
    expect(scenario.slots.find((s) => s.slot === 3)?.faults).toEqual({ deadPsram: true });
    expect(scenario.slots.find((s) => s.slot === 8)?.empty).toBe(true);
  });
});
