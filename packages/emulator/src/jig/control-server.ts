// Control channel of a virtual jig: a Unix socket speaking JSON lines, so a station, the CLI or
// any third-party script can switch a slot like a relay on a real jig, and seat, move and remove
// modules as an operator's hands do.
//   → {"id":1,"op":"power","slot":3,"action":"cycle"}   ← {"id":1,"ok":true}
//   → {"id":2,"op":"status"}                             ← {"id":2,"ok":true,"slots":[…]}
//   → {"id":3,"op":"seat","slot":2,"imei":"…","revision":"MC60CAR01A10","faults":{"deadPsram":true}}
//   → {"id":4,"op":"move","from":2,"to":5}               ← {"id":4,"ok":true,"slots":[…]}
//   → {"id":5,"op":"remove","slot":5}                    ← {"id":5,"ok":true,"slots":[…]}
//   on error                                             ← {"id":…,"ok":false,"error":"…"}
import { unlink } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { z } from 'zod';
import type { ModuleFaults } from '../device/profile';
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
    op: z.enum(['unplug', 'replug', 'remove']),
    slot: z.number().int(),
  }),
  // Field types only: the jig checks the IMEI, revision and faults and says what is wrong.
  z.object({
    id: z.unknown().optional(),
    op: z.literal('seat'),
    slot: z.number().int(),
    imei: z.string(),
    revision: z.string().nullable().optional(),
    faults: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({
    id: z.unknown().optional(),
    op: z.literal('move'),
    from: z.number().int(),
    to: z.number().int(),
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
    switch (request.op) {
      case 'status':
        return { id, ok: true, slots: jig.status() };
      case 'power':
        await jig.power(request.slot, request.action);
        return { id, ok: true };
      case 'unplug':
        await jig.unplug(request.slot);
        return { id, ok: true };
      case 'replug':
        await jig.replug(request.slot);
        return { id, ok: true };
      // The jig's new layout comes back, so a caller sees where every module now sits.
      case 'seat':
        jig.seat({
          slot: request.slot,
          imei: request.imei,
          ...(request.revision !== undefined ? { revision: request.revision } : {}),
          ...(request.faults ? { faults: request.faults as ModuleFaults } : {}),
        });
        return { id, ok: true, slots: jig.status() };
      case 'move':
        jig.move(request.from, request.to);
        return { id, ok: true, slots: jig.status() };
      case 'remove':
        jig.remove(request.slot);
        return { id, ok: true, slots: jig.status() };
    }
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
