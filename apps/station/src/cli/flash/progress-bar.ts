import type { FlashProgress } from '@station/mtk';

/** A one-line progress bar on a TTY; plain stage lines otherwise. */
export function createProgressBar(stream: NodeJS.WriteStream): {
  update(p: FlashProgress): void;
  end(): void;
} {
  let lastStage = '';
  let lastDrawn = 0;
  return {
    update(p) {
      if (!stream.isTTY) {
        if (p.stage !== lastStage) stream.write(`${p.stage}\n`);
        lastStage = p.stage;
        return;
      }
      const now = Date.now();
      if (p.stage === lastStage && now - lastDrawn < 100 && p.percent < 100) return;
      lastStage = p.stage;
      lastDrawn = now;
      const width = 30;
      const filled = Math.round((p.percent / 100) * width);
      const bytes = p.totalBytes > 0 ? ` ${p.bytes}/${p.totalBytes} B` : '';
      stream.write(
        `\r${p.stage.padEnd(11)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(p.percent).padStart(3)}%${bytes}\x1b[K`,
      );
    },
    end() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
