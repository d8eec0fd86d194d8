import { FLASH_STAGES } from '@station/contracts';

export interface StageBar {
  stage: string;
  ms: number;
  /** Its share of the longest stage, 0–100: the bar's width. */
  width: number;
}

const ORDER = new Map<string, number>(FLASH_STAGES.map((stage, index) => [stage, index]));

/**
 * Stage timings as bars in the order a flash walks its stages (unknown stage names last, by name),
 * each as wide as its share of the longest stage, so the slow stage stands out.
 */
export function stageBars(timings: Record<string, number> | null): StageBar[] {
  const entries = Object.entries(timings ?? {}).filter(([, ms]) => Number.isFinite(ms) && ms >= 0);
  const longest = Math.max(0, ...entries.map(([, ms]) => ms));
  const rank = (stage: string) => ORDER.get(stage) ?? FLASH_STAGES.length;
  return entries
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([stage, ms]) => ({
      stage,
      ms,
      width: longest === 0 ? 0 : Math.round((ms / longest) * 1000) / 10,
    }));
}
