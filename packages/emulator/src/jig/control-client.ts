// Client of a virtual jig's control socket (used by the station and `flashstation emulate …`).
import { connect, type Socket } from 'node:net';
import type { PowerAction, SeatRequest, SlotStatus } from './types';

export interface JigControlClient {
  power(slot: number, action: PowerAction): Promise<void>;
  status(): Promise<SlotStatus[]>;
  /** The slot's adapter disappears (its tty link goes) / comes back, as a USB unplug and re-plug. */
  unplug(slot: number): Promise<void>;
  replug(slot: number): Promise<void>;
  /** Seats a new module; resolves with every slot's status afterwards. */
  seat(request: SeatRequest): Promise<SlotStatus[]>;
  move(from: number, to: number): Promise<SlotStatus[]>;
  remove(slot: number): Promise<SlotStatus[]>;
  close(): void;
}

export class JigControlError extends Error {
  override name = 'JigControlError';
}

export async function connectJigControl(
  address: string,
  timeoutMs = 5000,
): Promise<JigControlClient> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect(address);
    s.once('connect', () => resolve(s));
    s.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new JigControlError(
          error.code === 'ENOENT' || error.code === 'ECONNREFUSED'
            ? `no virtual jig listening at ${address} (start one with: flashstation emulate --slots N)`
            : `cannot connect to ${address}: ${error.message}`,
        ),
      ),
    );
  });
  let nextId = 1;
  let buffer = '';
  const waiting = new Map<
    number,
    { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
  socket.on('data', (chunk) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const reply = JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>;
      buffer = buffer.slice(newline + 1);
      const entry = waiting.get(reply.id as number);
      waiting.delete(reply.id as number);
      if (!entry) continue;
      if (reply.ok) entry.resolve(reply);
      else entry.reject(new JigControlError(String(reply.error)));
    }
  });
  const failAll = (error: Error) => {
    for (const entry of waiting.values()) entry.reject(error);
    waiting.clear();
  };
  socket.on('error', (error) =>
    failAll(new JigControlError(`control channel error: ${error.message}`)),
  );
  socket.on('close', () => failAll(new JigControlError('control channel closed')));

  const request = (body: object): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new JigControlError(`no answer from ${address} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      socket.write(`${JSON.stringify({ id, ...body })}\n`);
    });

  return {
    async power(slot, action) {
      await request({ op: 'power', slot, action });
    },
    async status() {
      return (await request({ op: 'status' })).slots as SlotStatus[];
    },
    async unplug(slot) {
      await request({ op: 'unplug', slot });
    },
    async replug(slot) {
      await request({ op: 'replug', slot });
    },
    async seat(seat) {
      return (await request({ op: 'seat', ...seat })).slots as SlotStatus[];
    },
    async move(from, to) {
      return (await request({ op: 'move', from, to })).slots as SlotStatus[];
    },
    async remove(slot) {
      return (await request({ op: 'remove', slot })).slots as SlotStatus[];
    },
    close: () => socket.end(),
  };
}
