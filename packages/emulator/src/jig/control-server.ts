// Power control channel of a virtual jig: a Unix socket speaking JSON lines, so a station, the
// CLI or any third-party script can switch a slot like a relay on a real jig.
//   → {"id":1,"op":"power","slot":3,"action":"cycle"}   ← {"id":1,"ok":true}
//   → {"id":2,"op":"status"}                             ← {"id":2,"ok":true,"slots":[…]}
//   on error                                             ← {"id":…,"ok":false,"error":"…"}
import { unlink } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { z } from 'zod';
import type { JigControlTarget } from './types';

const Request = z.discriminatedUnion('op', [
  z.object({
    id: z.unknown().optional(),
    op: z.literal('power'),
    slot: z.number().int(),
    action: z.enum(['on', 'off', 'cycle']),
  }),
  z.object({ id: z.unknown().optional(), op: z.literal('status') }),
  z.object({
    id: z.unknown().optional(),
    op: z.enum(['unplug', 'replug']),
    slot: z.number().int(),
  }),
]);

export interface ControlServer {
  close(): Promise<void>;
}

async function handle(line: string, jig: JigControlTarget): Promise<object> {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, error: 'request is not valid JSON' };
  }
  const parsed = Request.safeParse(raw);
  const id = (raw as { id?: unknown } | null)?.id;
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      id,
      ok: false,
      error: `bad request: ${issue?.path.join('.') || 'op'}: ${issue?.message}`,
    };
  }
  const request = parsed.data;
  try {
    if (request.op === 'status') return { id, ok: true, slots: jig.status() };
    if (request.op === 'power') await jig.power(request.slot, request.action);
    else if (request.op === 'unplug') await jig.unplug(request.slot);
    else await jig.replug(request.slot);
    return { id, ok: true };
  } catch (error) {
    return { id, ok: false, error: (error as Error).message };
  }
}

export async function startControlServer(
  path: string,
  jig: JigControlTarget,
): Promise<ControlServer> {
  await unlink(path).catch(() => undefined); // a stale socket from a killed run
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffer = '';
    let chain = Promise.resolve();
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (!line) continue;
        chain = chain.then(async () => {
          const reply = await handle(line, jig);
          if (!socket.destroyed) socket.write(`${JSON.stringify(reply)}\n`);
        });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return {
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await unlink(path).catch(() => undefined);
    },
  };
}
