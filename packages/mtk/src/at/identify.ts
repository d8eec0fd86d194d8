import { withDeadline } from '../deadline';
import type { FlashErrorCode } from '../errors/catalogue';
import { FlashError } from '../errors/flash-error';
import type { FlashStage } from '../errors/stages';
import { toFlashError } from '../errors/to-flash-error';
import { writeDeadlineMs } from '../line-time';
import type { TraceRecorder } from '../trace/trace-recorder';
import { TransportError, type Transport, type WriteOptions } from '../transport';
import { isValidImei } from './imei';

export interface ModuleIdentity {
  imei: string;
  revision: string;
  model: string | undefined;
  manufacturer: string | undefined;
}

export interface IdentifyOptions {
  /**
   * How long to keep probing with `AT` before deciding nobody answers (a module without firmware,
   * or one still booting past it). Default 5000 ms.
   */
  aliveWithinMs?: number;
  /**
   * Gap between `AT` probes while the module may be booting (default 50 ms). The probes are not
   * stop-and-wait: any `OK` ends the wait, so a module that comes up between two probes is heard
   * at most this long after it could first answer.
   */
  probeEveryMs?: number;
  commandTimeoutMs?: number;
  signal?: AbortSignal;
  stage?: FlashStage;
  /** Traces the probing as one step (probes sent) and each command with its answer. */
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
  const alive = await at.probe(options.probeEveryMs ?? 50, options.aliveWithinMs ?? 5000);
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

/** The probe: also what a late answer to one echoes. */
const PROBE = 'AT';

/** Line-oriented AT exchange over a Transport. */
class AtSession {
  private pending = '';

  constructor(
    private readonly transport: Transport,
    private readonly signal: AbortSignal | undefined,
    private readonly stage: FlashStage,
    private readonly trace: TraceRecorder | undefined,
  ) {}

  /**
   * Sends `AT` every `everyMs` until an `OK` comes back or `withinMs` has passed, reading all the
   * while: a module that boots between two probes answers the next one, and an answer that comes
   * after the next probe has gone out still counts. Bytes a booting module garbles are skipped.
   */
  async probe(everyMs: number, withinMs: number): Promise<boolean> {
    this.trace?.begin(this.stage, PROBE, { every: everyMs });
    this.transport.discardInput();
    this.pending = '';
    const deadline = Date.now() + withinMs;
    let probes = 0;
    let alive = false;
    while (!alive && Date.now() < deadline) {
      // No drain: the answer cannot come before the 3 bytes have crossed anyway.
      await this.send(PROBE, { drain: false });
      probes += 1;
      const next = Math.min(deadline, Date.now() + everyMs);
      for (let line = await this.nextLine(next); line !== undefined;) {
        if (line === 'OK') {
          alive = true;
          break;
        }
        line = await this.nextLine(next); // an echo, a garbled byte, a URC
      }
    }
    this.trace?.done(this.stage, { answer: alive ? 'OK' : 'no answer', probes });
    return alive;
  }

  /**
   * Sends `command`; resolves the response lines before OK, or undefined on timeout/ERROR. Every
   * command asked after probing has an answer line, so an `OK` before any line is a late answer
   * to a probe sent while the module was already answering the one before: skipped, as is its
   * `AT` echo, whole or as the tail the discard left of it.
   */
  async command(command: string, timeoutMs: number): Promise<string[] | undefined> {
    this.trace?.begin(this.stage, command);
    const lines = await this.exchange(command, timeoutMs);
    this.trace?.done(this.stage, { answer: lines ? lines.join(' / ') || 'OK' : 'no answer' });
    return lines;
  }

  private async exchange(command: string, timeoutMs: number): Promise<string[] | undefined> {
    this.transport.discardInput();
    this.pending = '';
    await this.send(command);
    const lines: string[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = await this.nextLine(deadline);
      if (line === undefined) return undefined;
      if (line === '' || line === command || line === PROBE) continue; // blank or echo
      // Before the first answer line: a late probe's answer, or its tail when the discard above
      // cut it (`T` of its echo, `K` of its OK): the bytes of a line arrive in any pieces.
      if (lines.length === 0 && (PROBE.endsWith(line) || 'OK'.endsWith(line))) continue;
      if (line === 'OK') return lines;
      if (line === 'ERROR' || line.startsWith('+CME ERROR')) return undefined;
      if (isUnsolicited(line)) continue;
      lines.push(line);
    }
  }

  private async send(command: string, options?: WriteOptions): Promise<void> {
    const bytes = new TextEncoder().encode(command + '\r');
    const writeMs = writeDeadlineMs(bytes.length, AT_BAUD);
    try {
      await withDeadline(
        this.transport.write(bytes, writeMs, this.signal, options),
        writeMs,
        this.signal,
        `AT write of ${command}`,
      );
    } catch (error) {
      throw this.failure(error, `writing ${command}`, 'SERIAL_WRITE_TIMEOUT', 'PORT_DISCONNECTED');
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
