import { withDeadline } from '../deadline';
import type { FlashErrorCode } from '../errors/catalogue';
import { FlashError } from '../errors/flash-error';
import type { FlashStage } from '../errors/stages';
import { toFlashError } from '../errors/to-flash-error';
import { writeDeadlineMs } from '../line-time';
import type { TraceRecorder } from '../trace/trace-recorder';
import { TransportError, type Transport } from '../transport';
import { isValidImei } from './imei';

export interface ModuleIdentity {
  imei: string;
  revision: string;
  model: string | undefined;
  manufacturer: string | undefined;
}

export interface IdentifyOptions {
  /** How many `AT` probes to send before deciding nobody answers (500 ms apart in MC60 logs). */
  syncAttempts?: number;
  probeTimeoutMs?: number;
  commandTimeoutMs?: number;
  signal?: AbortSignal;
  stage?: FlashStage;
  /** Traces each command with a summary of its answer. */
  trace?: TraceRecorder;
}

const decoder = new TextDecoder();
/** MC60 firmware talks AT at 115200 (the caller sets the line). */
const AT_BAUD = 115200;

/**
 * Reads revision (ATI) and IMEI (AT+GSN) from a module running its normal firmware at 115200.
 * Tolerates echo, blank lines and unsolicited result codes. Resolves `undefined` when nothing
 * answers `AT` (a module without firmware); throws for an answer that makes no sense.
 */
export async function identifyModule(
  transport: Transport,
  options: IdentifyOptions = {},
): Promise<ModuleIdentity | undefined> {
  const stage = options.stage ?? 'postflight';
  const at = new AtSession(transport, options.signal, stage, options.trace);
  const attempts = options.syncAttempts ?? 10;
  let alive = false;
  for (let i = 0; i < attempts && !alive; i++) {
    alive = (await at.command('AT', options.probeTimeoutMs ?? 500)) !== undefined;
  }
  if (!alive) return undefined;
  const timeout = options.commandTimeoutMs ?? 2000;
  const ati = await at.command('ATI', timeout);
  const revisionLine = ati?.find((l) => /^Revision:\s*/i.test(l));
  if (!ati || !revisionLine) {
    throw new FlashError(
      'AT_NO_RESPONSE',
      `ATI gave no "Revision:" line (got ${JSON.stringify(ati ?? [])})`,
      { stage },
    );
  }
  const revision = revisionLine.replace(/^Revision:\s*/i, '').trim();
  const gsn = await at.command('AT+GSN', timeout);
  const imei = gsn?.find((l) => /^\d{15}$/.test(l));
  if (!imei)
    throw new FlashError(
      'IMEI_INVALID',
      `AT+GSN gave no 15-digit IMEI (got ${JSON.stringify(gsn ?? [])})`,
      { stage },
    );
  if (!isValidImei(imei))
    throw new FlashError('IMEI_INVALID', `IMEI ${imei} fails its Luhn check digit`, { stage });
  const others = ati.filter((l) => l !== revisionLine);
  return { imei, revision, manufacturer: others[0], model: others[1] };
}

/** Line-oriented AT exchange over a Transport. */
class AtSession {
  private pending = '';

  constructor(
    private readonly transport: Transport,
    private readonly signal: AbortSignal | undefined,
    private readonly stage: FlashStage,
    private readonly trace: TraceRecorder | undefined,
  ) {}

  /** Sends `command`; resolves the response lines before OK, or undefined on timeout/ERROR. */
  async command(command: string, timeoutMs: number): Promise<string[] | undefined> {
    this.trace?.begin(this.stage, command);
    const lines = await this.exchange(command, timeoutMs);
    this.trace?.done(this.stage, { answer: lines ? lines.join(' / ') || 'OK' : 'no answer' });
    return lines;
  }

  private async exchange(command: string, timeoutMs: number): Promise<string[] | undefined> {
    this.transport.discardInput();
    this.pending = '';
    const bytes = new TextEncoder().encode(command + '\r');
    const writeMs = writeDeadlineMs(bytes.length, AT_BAUD);
    try {
      await withDeadline(
        this.transport.write(bytes, writeMs, this.signal),
        writeMs,
        this.signal,
        `AT write of ${command}`,
      );
    } catch (error) {
      throw this.failure(error, `writing ${command}`, 'SERIAL_WRITE_TIMEOUT', 'PORT_DISCONNECTED');
    }
    const lines: string[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = await this.nextLine(deadline);
      if (line === undefined) return undefined;
      if (line === '' || line === command) continue; // blank or echo
      if (line === 'OK') return lines;
      if (line === 'ERROR' || line.startsWith('+CME ERROR')) return undefined;
      if (isUnsolicited(line)) continue;
      lines.push(line);
    }
  }

  private async nextLine(deadline: number): Promise<string | undefined> {
    for (;;) {
      const end = this.pending.search(/[\r\n]/);
      if (end >= 0) {
        const line = this.pending.slice(0, end).trim();
        this.pending = this.pending.slice(end + 1);
        return line;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) return undefined;
      try {
        const byte = await this.transport.read(1, remaining, this.signal);
        this.pending += decoder.decode(byte);
      } catch (error) {
        if (error instanceof TransportError && error.timeout && !this.signal?.aborted)
          return undefined;
        throw this.failure(error, 'AT identify', 'AT_NO_RESPONSE');
      }
    }
  }

  private failure(
    error: unknown,
    what: string,
    onTimeout: FlashErrorCode,
    otherwise?: FlashErrorCode,
  ): FlashError {
    return toFlashError(error, {
      stage: this.stage,
      what,
      onTimeout,
      otherwise,
      signal: this.signal,
    });
  }
}

const URC =
  /^(RDY|Call Ready|SMS Ready|NORMAL POWER DOWN|\+CFUN:|\+CPIN:|\+QIND:|\+CREG:|\+CGREG:|\+QGNSS|\+CTZV:|\+PDP DEACT|RING|NO CARRIER)/;

function isUnsolicited(line: string): boolean {
  return URC.test(line);
}
