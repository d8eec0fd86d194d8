// Normal-mode firmware at 115200: the handful of AT commands the station uses (shared-wire §6).
import type { DeviceContext } from './context';
import { readByte, type Program } from './program';

const CR = 0x0d;
const LF = 0x0a;
const MAX_LINE = 256;

function respond(ctx: DeviceContext, lines: string[], final: 'OK' | 'ERROR'): void {
  const body = lines.map((line) => `\r\n${line}`).join('') + (lines.length > 0 ? '\r\n' : '');
  ctx.send(new TextEncoder().encode(`${body}\r\n${final}\r\n`));
}

/** Answers one command line; returns the new echo setting. */
function handleLine(ctx: DeviceContext, line: string, echo: boolean): boolean {
  const start = line.toUpperCase().lastIndexOf('AT');
  if (start < 0) return echo; // not a command: modems ignore such lines
  const command = line
    .slice(start + 2)
    .trim()
    .toUpperCase();
  const revision = ctx.revision() ?? 'UNKNOWN';
  switch (command) {
    case '':
      respond(ctx, [], 'OK');
      return echo;
    case 'E':
    case 'E0':
      respond(ctx, [], 'OK');
      return false;
    case 'E1':
      respond(ctx, [], 'OK');
      return true;
    case 'I':
    case 'I0':
      respond(ctx, ['Quectel_Ltd', 'Quectel_MC60', `Revision: ${revision}`], 'OK');
      return echo;
    case '+GMR':
      respond(ctx, [`Revision: ${revision}`], 'OK');
      return echo;
    case '+GSN':
    case '+CGSN':
      respond(ctx, [ctx.imei], 'OK');
      return echo;
    default:
      respond(ctx, [], 'ERROR');
      return echo;
  }
}

export function* atProgram(ctx: DeviceContext): Program {
  let echo = true; // ATE1 after every boot, as on a real module
  let line = '';
  for (;;) {
    const byte = yield* readByte();
    if (echo) ctx.send([byte]);
    if (byte === CR) {
      echo = handleLine(ctx, line, echo);
      line = '';
    } else if (byte !== LF) {
      line = (line + String.fromCharCode(byte)).slice(-MAX_LINE);
    }
  }
}
