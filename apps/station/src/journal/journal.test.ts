// The station journal on a real file system: what a crash leaves is what the next boot reads.
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StationResultMessage } from '@station/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StationJournal } from './journal';

const IMEI = '861359031000019';
let dir: string;
let path: string;

const result = (attemptId: string): StationResultMessage => ({
  v: 1,
  stationId: 'st-1',
  bootId: 'boot-1',
  slot: 1,
  imei: IMEI,
  result: {
    v: 1,
    attemptId,
    outcome: 'passed',
    errorCode: null,
    errorName: null,
    stage: 'postflight',
    retryable: false,
    stageTimings: { write: 10 },
    baud: 921600,
    bytesWritten: 4096,
    revisionBefore: 'A10',
    revisionAfter: 'A13',
    imeiRead: IMEI,
  },
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'journal-'));
  path = join(dir, 'nested', 'st-1.jsonl');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('StationJournal', () => {
  it('gives the next boot the attempts a crash left open, at the stage they reached', async () => {
    const journal = await StationJournal.open(path);
    await journal.recordStart({
      attemptId: 'a1',
      bootId: 'boot-1',
      slot: 1,
      imei: IMEI,
      baud: 921600,
    });
    await journal.recordStage('a1', 'brom');
    await journal.recordStage('a1', 'da_upload');
    await journal.recordStart({
      attemptId: 'a2',
      bootId: 'boot-1',
      slot: 2,
      imei: IMEI,
      baud: 460800,
    });
    await journal.recordResult(result('a2'));
    // No close(): the process dies here. Every record was fsync'd before its promise resolved.
    const next = await StationJournal.open(path);
    expect(next.openAttempts()).toEqual([
      expect.objectContaining({ attemptId: 'a1', slot: 1, stage: 'da_upload', baud: 921600 }),
    ]);
    expect(next.unconfirmed().map((m) => m.result.attemptId)).toEqual(['a2']);
    await Promise.all([journal.close(), next.close()]);
  });

  it('forgets a confirmed result and compacts the file to what is still live', async () => {
    const journal = await StationJournal.open(path);
    for (const id of ['a1', 'a2', 'a3']) {
      await journal.recordStart({ attemptId: id, bootId: 'b', slot: 1, imei: IMEI, baud: 921600 });
      await journal.recordResult(result(id));
    }
    await journal.recordConfirmed('a1');
    await journal.recordConfirmed('a3');
    await journal.close();
    const next = await StationJournal.open(path);
    expect(next.unconfirmed().map((m) => m.result.attemptId)).toEqual(['a2']);
    expect(next.knows('a1')).toBe(false);
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ t: 'result' });
    await next.close();
  });

  it('keeps a failed result with its protocol trace across a restart', async () => {
    const journal = await StationJournal.open(path);
    const failed = result('a1');
    failed.result = {
      ...failed.result,
      outcome: 'failed',
      errorCode: 4008,
      trace: {
        v: 1,
        startedAt: new Date(0).toISOString(),
        entries: [
          {
            t: 5,
            stage: 'write',
            cmd: 'WRITE',
            args: { packet: 1 },
            reply: { answer: 'CONT' },
            ok: true,
            repeat: 8,
          },
          {
            t: 9,
            stage: 'write',
            cmd: 'WRITE',
            args: { packet: 9 },
            reply: { answer: 'NACK', error: 3014 },
            ok: false,
          },
        ],
        dropped: 0,
        gapAt: null,
      },
    };
    await journal.recordStart({ attemptId: 'a1', bootId: 'b', slot: 1, imei: IMEI, baud: 921600 });
    await journal.recordResult(failed);
    await journal.close();
    const next = await StationJournal.open(path);
    expect(next.unconfirmed()).toEqual([failed]);
    await next.close();
  });

  it('skips a torn last line (power cut mid-write) and counts it', async () => {
    const journal = await StationJournal.open(path);
    await journal.recordStart({ attemptId: 'a1', bootId: 'b', slot: 3, imei: IMEI, baud: 921600 });
    await journal.close();
    await appendFile(path, '{"t":"result","at":"2026-11-27T0');
    const next = await StationJournal.open(path);
    expect(next.skippedLines).toBe(1);
    expect(next.openAttempts().map((a) => a.attemptId)).toEqual(['a1']);
    await next.close();
  });
  it('keeps call order and on-disk-before-resolve when many slots append at once', async () => {
    const journal = await StationJournal.open(path);
    const ids = Array.from({ length: 64 }, (_, i) => `a${i}`);
    const onDiskWhenResolved: boolean[] = [];
    const written = ids.flatMap((id, i) => [
      journal.recordStart({
        attemptId: id,
        bootId: 'boot-1',
        slot: i + 1,
        imei: IMEI,
        baud: 921600,
      }),
      journal.recordStage(id, 'package'),
    ]);
    await Promise.all(
      written.map((write, n) =>
        write.then(async () => {
          const id = ids[Math.floor(n / 2)];
          const text = await readFile(path, 'utf8');
          onDiskWhenResolved.push(text.includes(`"attemptId":"${id}"`));
        }),
      ),
    );
    await journal.close();
    expect(onDiskWhenResolved).toEqual(written.map(() => true));
    const lines = (await readFile(path, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { t: string; attemptId: string });
    expect(lines.map((r) => `${r.t}:${r.attemptId}`)).toEqual(
      ids.flatMap((id) => [`start:${id}`, `stage:${id}`]),
    );
    const next = await StationJournal.open(path);
    expect(next.openAttempts().map((a) => [a.attemptId, a.stage])).toEqual(
      ids.map((id) => [id, 'package']),
    );
    await next.close();
  });
});
