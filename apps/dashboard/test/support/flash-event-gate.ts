import type { Page } from 'playwright-core';

/** socket.io's EVENT packet inside an engine.io message: `42["flash:progress",{…}]`. */
const FLASH_EVENT = /^42(?:\/[^,]*,)?\d*\["flash:(?:progress|result)"/;

export interface FlashEventGate {
  /** Delivers what was held, in order, and lets every later event through. */
  release(): void;
  /** How many flash events are held now. */
  held(): number;
}

/**
 * Holds back the `flash:progress` and `flash:result` messages the server sends to `page` (every
 * other message passes), so what its tiles show can only come from the `station:watch` reply —
 * or, for a screen "that has not heard yet", from nothing. Call before the page loads. The
 * dashboard's socket.io uses WebSocket only, so no event can slip by on HTTP long-polling.
 */
export async function gateFlashEvents(page: Page): Promise<FlashEventGate> {
  let holding = true;
  const held: (() => void)[] = [];
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((message) => {
      if (holding && typeof message === 'string' && FLASH_EVENT.test(message)) {
        held.push(() => ws.send(message));
        return;
      }
      ws.send(message);
    });
  });
  return {
    release() {
      holding = false;
      for (const send of held.splice(0)) send();
    },
    held: () => held.length,
  };
}
