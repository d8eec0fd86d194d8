import type { Link } from '../link';

const START = [0xa0, 0x0a, 0x50, 0x05] as const;
/** The BROM answers each start byte with its bitwise complement. */
const ANSWER = START.map((b) => ~b & 0xff);
/** Late 5Fs to skip after 0A: a few A0s may still have been in flight, never an endless stream. */
const MAX_LATE_ANSWERS = 16;

export interface HandshakeOptions {
  /** Total time to wait for a powered-up BROM (MediaTek's QFlash wrapper uses 30 s). */
  timeoutMs?: number;
  /** Read timeout per streamed A0; the BROM listening window is only a few hundred ms. */
  pollMs?: number;
  /**
   * Called once, right after the first A0 is on the line, so power can be applied now; `deadline`
   * (epoch ms) is when the handshake gives up.
   */
  onStreaming?: (deadline: number) => void;
  /**
   * Called once when half the time has passed without the BROM answering: the first power-up was
   * missed (a PWRKEY pulse that switched a running module off, an operator who was not there),
   * so power again while there is still time.
   */
  onHalfway?: () => void;
  /**
   * Called after a start sequence failed half-way, before streaming A0 again: the module may have
   * left its listening window, so pulse its power/reset (MediaTek's host pulses reset here).
   */
  onRetry?: () => void;
}

/**
 * Start handshake: stream A0 until the BROM answers 5F (the module may be powered after the
 * host is already streaming), then send 0A 50 05 one byte at a time checking F5 AF FA. A wrong
 * answer restarts from A0 as MediaTek's host does; giving up after a wrong answer is 2005,
 * after silence 2006.
 */
export async function bromHandshake(link: Link, options: HandshakeOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pollMs = options.pollMs ?? 20;
  const deadline = Date.now() + timeoutMs;
  const halfway = deadline - timeoutMs / 2;
  const a0 = Uint8Array.of(START[0]);
  let notified = false;
  let answered = false;
  let halfwayCalled = false;
  let wrongAnswer: string | undefined;

  while (Date.now() < deadline) {
    await link.send(a0);
    if (!notified) {
      notified = true;
      options.onStreaming?.(deadline);
    }
    const answer = await readOrUndefined(link, pollMs);
    link.note('START', { send: 'A0' }, { answer: byteName(answer) });
    if (answer !== ANSWER[0]) {
      // Silence, or noise from a running firmware.
      if (!answered && !halfwayCalled && Date.now() >= halfway) {
        halfwayCalled = true;
        options.onHalfway?.();
      }
      continue;
    }
    answered = true;
    // Earlier A0s may have been answered too; drop those stale 5Fs before going on.
    link.transport.discardInput();
    const failure = await finishStart(link);
    if (failure === undefined) return;
    wrongAnswer = failure;
    options.onRetry?.();
  }
  if (wrongAnswer !== undefined) {
    throw link.fail('BROM_HANDSHAKE_FAIL', `boot ROM start command failed: ${wrongAnswer}`);
  }
  throw link.fail('BROM_HANDSHAKE_TIMEOUT', `no boot ROM answer to A0 within ${timeoutMs} ms`);
}

async function finishStart(link: Link): Promise<string | undefined> {
  for (let i = 1; i < START.length; i++) {
    await link.send(Uint8Array.of(START[i]!));
    let answer = await readOrUndefined(link, 500);
    // A late answer to a streamed A0 can still arrive here.
    for (let late = 0; answer === ANSWER[0] && i === 1 && late < MAX_LATE_ANSWERS; late++)
      answer = await readOrUndefined(link, 500);
    link.note(
      'START',
      { send: byteName(START[i]) },
      { answer: byteName(answer) },
      answer === ANSWER[i],
    );
    if (answer !== ANSWER[i]) {
      const got = answer === undefined ? 'nothing' : '0x' + answer.toString(16).toUpperCase();
      return `byte ${i} (0x${START[i]!.toString(16).toUpperCase()}) answered ${got}, expected 0x${ANSWER[i]!.toString(16).toUpperCase()}`;
    }
  }
  return undefined;
}

/** A byte as the trace shows it (`5F`), or `silence`. */
const byteName = (byte: number | undefined): string =>
  byte === undefined ? 'silence' : byte.toString(16).toUpperCase().padStart(2, '0');

async function readOrUndefined(link: Link, timeoutMs: number): Promise<number | undefined> {
  try {
    const [byte] = await link.recv(1, timeoutMs, 'BROM_HANDSHAKE_TIMEOUT', 'handshake');
    return byte;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'BROM_HANDSHAKE_TIMEOUT')
      return undefined;
    throw error;
  }
}
