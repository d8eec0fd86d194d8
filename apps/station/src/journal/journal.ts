// The station's local append-only journal (design §9): every attempt's start, stages and result
// are on disk (fsync'd) before the job is acknowledged, so a crash, a dead server or an empty
// Redis loses no result. One JSON record per line; a torn last line (power cut mid-write) is
// skipped on replay.
import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FlashStage, StationResultMessage } from '@station/contracts';
import {
  applyRecord,
  emptyJournalState,
  JournalRecord,
  recordsFor,
  type JournalState,
  type OpenAttempt,
} from './journal-records';

interface PendingRecord {
  record: JournalRecord;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class StationJournal {
  /** Records waiting for the next write and sync, in order. */
  private readonly pending: PendingRecord[] = [];
  /** The write-and-sync loop while one runs. */
  private flushing: Promise<void> | undefined;

  private constructor(
    private readonly path: string,
    private file: FileHandle,
    private readonly state: JournalState,
    /** Lines skipped on replay (torn or unreadable); reported once at start. */
    readonly skippedLines: number,
  ) {}

  /** Replays the journal at `path` (created if absent) and compacts it to what is still live. */
  static async open(path: string): Promise<StationJournal> {
    await mkdir(dirname(path), { recursive: true });
    const state = emptyJournalState();
    let skipped = 0;
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const parsed = JournalRecord.safeParse(safeJson(line));
      if (parsed.success) applyRecord(state, parsed.data);
      else skipped += 1;
    }
    await writeCompacted(path, state);
    const file = await open(path, 'a');
    return new StationJournal(path, file, state, skipped);
  }

  /** Attempts started (by any boot) and not finished: what a crash interrupted. */
  openAttempts(): OpenAttempt[] {
    return [...this.state.open.values()];
  }

  unconfirmed(): StationResultMessage[] {
    return [...this.state.unconfirmed.values()];
  }

  isUnconfirmed(attemptId: string): boolean {
    return this.state.unconfirmed.has(attemptId);
  }

  knows(attemptId: string): boolean {
    return this.state.open.has(attemptId) || this.state.unconfirmed.has(attemptId);
  }

  recordStart(start: Omit<OpenAttempt, 'stage' | 'startedAt'>): Promise<void> {
    return this.append({ t: 'start', at: new Date().toISOString(), ...start });
  }

  recordStage(attemptId: string, stage: FlashStage): Promise<void> {
    return this.append({ t: 'stage', attemptId, stage });
  }

  recordResult(message: StationResultMessage): Promise<void> {
    return this.append({ t: 'result', at: new Date().toISOString(), message });
  }

  recordConfirmed(attemptId: string): Promise<void> {
    if (!this.knows(attemptId)) return Promise.resolve();
    return this.append({ t: 'confirmed', attemptId });
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.file.close();
  }

  /**
   * Appends and fsyncs one record; the state changes only once it is on disk. Records that
   * arrive while a sync is under way go to disk together in the next write and sync (group
   * commit), so many slots starting at once wait for one sync, not one each in turn.
   */
  private append(record: JournalRecord): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ record, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      try {
        await this.file.appendFile(batch.map((p) => `${JSON.stringify(p.record)}\n`).join(''));
        await this.file.datasync();
      } catch (error) {
        // One failed write must not wedge the journal: later records still try.
        for (const p of batch) p.reject(error);
        continue;
      }
      for (const p of batch) {
        // Each waiter settles on its own: one record the state cannot take never strands the rest.
        try {
          applyRecord(this.state, p.record);
          p.resolve();
        } catch (error) {
          p.reject(error);
        }
      }
    }
    this.flushing = undefined;
  }
}

async function writeCompacted(path: string, state: JournalState): Promise<void> {
  const tmp = `${path}.compact`;
  const file = await open(tmp, 'w');
  try {
    const lines = recordsFor(state).map((r) => `${JSON.stringify(r)}\n`);
    await file.writeFile(lines.join(''));
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};
