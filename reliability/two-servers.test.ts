// Two server instances serve one line (socket.io Redis adapter, one consumer group): a screen on
// either sees every flash live, whichever instance took the scan, and a reload on either shows
// the same line state.
import { labelImei, spawnApp, waitFor, type ServerApp } from '@station/testkit';
import type { FlashProgressEvent, FlashResultEvent } from '@station/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLine, type Line } from './support/line';

let line: Line;
let second: ServerApp;

beforeAll(async () => {
  line = await startLine({ slots: 2 });
  // The same database, Redis and prefix on its own port.
  const { SERVER_PORT: _port, ...env } = line.server.env;
  second = await spawnApp('server', env);
}, 120_000);
afterAll(async () => {
  await second?.dispose();
  await line?.dispose();
}, 60_000);

describe('two server instances', () => {
  it('shows every flash live on both, once each, and the same state after a reload', async () => {
    const onSecond = { results: [] as FlashResultEvent[], progress: [] as FlashProgressEvent[] };
    await line.watch(second, onSecond);
    const viaFirst = await line.start(1, labelImei(1));
    const viaSecond = await line.scan(2, labelImei(2), second);
    expect(viaSecond.status).toBe(202);
    const secondId = (viaSecond.body as { attemptId: string }).attemptId;
    for (const id of [viaFirst, secondId]) {
      await line.resultOf(id);
      await waitFor(`second screen's result of ${id}`, () =>
        onSecond.results.find((r) => r.attemptId === id),
      );
      // Exactly one result event per attempt on each screen: one instance emitted it.
      expect(line.results.filter((r) => r.attemptId === id)).toHaveLength(1);
      expect(onSecond.results.filter((r) => r.attemptId === id)).toHaveLength(1);
      expect(onSecond.progress.some((p) => p.attemptId === id)).toBe(true);
      expect(line.progress.some((p) => p.attemptId === id)).toBe(true);
    }
    const [a, b] = await Promise.all([line.detail(), line.detail(second)]);
    expect(b.line).toEqual(a.line);
    expect(a.line.map((s) => s.last?.outcome)).toEqual(['passed', 'passed']);
  });
});
