import type { FlashProgressEvent, FlashResultEvent } from '@station/contracts';
import type { Page } from 'playwright-core';

export interface LineEventInjector {
  /** Delivers `event` to the page as if the server had sent it on the line's socket (a batch of one). */
  progress(event: FlashProgressEvent): void;
  result(event: FlashResultEvent): void;
}

/**
 * Passes the real server's socket.io traffic to `page` untouched and lets a test add flash events
 * the server does not produce yet (issue #9's prompts, retries and decisions are built by other
 * parts of the line). Each event is a contract type, so only what the server may send gets in.
 * Call before the page loads. The dashboard's socket.io uses WebSocket only.
 */
export async function injectLineEvents(page: Page): Promise<LineEventInjector> {
  let toPage: ((message: string) => void) | null = null;
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    ws.connectToServer(); // no handlers: every message passes both ways
    toPage = (message) => ws.send(message);
  });
  const emit = (name: string, payload: unknown) => {
    if (!toPage) throw new Error('the page has not opened its socket yet');
    toPage(`42${JSON.stringify([name, payload])}`);
  };
  return {
    progress: (event) =>
      emit('flash:progress', { v: 2, stationId: event.stationId, events: [event] }),
    result: (event) => emit('flash:result', event),
  };
}
