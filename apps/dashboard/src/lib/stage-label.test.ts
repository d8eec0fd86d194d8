// Unit test of the stage words; nothing is mocked.
import { FLASH_STAGES } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import { stageLabel } from './stage-label';

describe('stageLabel', () => {
  it('gives every contract stage its own words, never the raw name', () => {
    const labels = FLASH_STAGES.map(stageLabel);
    for (const [index, label] of labels.entries()) {
      expect(label.trim().length, FLASH_STAGES[index]).toBeGreaterThan(0);
      expect(label).not.toBe(FLASH_STAGES[index]);
    }
    // Two stages with the same words would hide where a flash is.
    expect(new Set(labels).size).toBe(FLASH_STAGES.length);
  });

  it('tells the operator what the slot waits for', () => {
    expect(stageLabel('power')).toBe('Waiting for power');
    expect(stageLabel('da_upload')).toBe('Loading agent');
  });
});
