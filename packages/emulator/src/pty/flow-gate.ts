// Back-pressure on the host's own tty, as a USB-serial adapter gives it: while the gate is shut
// the host's write() blocks (or gets EAGAIN), whatever its termios say.
//
// Why: a host's write only blocks when the kernel buffers in its way are full, and a socat pty
// pair buffers ~37 KiB (a raw pty alone 14-20 KiB) where ftdi_sio, cp210x and ch341 hold ~4 KiB;
// a host would run 3 s ahead of a 115200 line. tcflow(TCOOFF) on the host's slave sets the tty's
// `flow.tco_stopped`: pty_write() then takes nothing and poll() reports no room, until TCOON.
// Unlike IXON and a STOP byte, it eats no data bytes and survives the host re-applying termios
// (n_tty_set_termios restarts output only for IXON stops, never for TCOOFF).
//
// Node has no tcflow, so a small perl process (perl-base is part of every Debian/Ubuntu, the
// node:*-slim images included) holds the host path open write-only (it never reads: the host's
// input stays the host's) and applies one byte per command from its stdin: 'S' shut, 'G' open.
// Its stdin is a pipe only the emulator holds, so it ends (and reopens the gate) when we do.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { PtyError } from './socat-pair';

const GATE_SCRIPT = String.raw`
use strict; use warnings;
use POSIX qw(tcflow TCOOFF TCOON);
use Fcntl qw(O_WRONLY O_NOCTTY O_NONBLOCK);
my $path = shift;
sysopen(my $tty, $path, O_WRONLY | O_NOCTTY | O_NONBLOCK) or die "cannot open $path: $!\n";
my $fd = fileno($tty);
$| = 1;
print "ready\n";
my $buf;
while (sysread(STDIN, $buf, 256)) {
  # Only the newest command counts: a burst of S/G collapses to its last byte.
  next if tcflow($fd, substr($buf, -1) eq 'S' ? TCOOFF : TCOON);
  exit 0 if $!{EIO};    # the adapter (socat) is gone: nothing left to hold back
  die "tcflow on $path: $!\n";
}
tcflow($fd, TCOON);
`;

export interface FlowGate {
  /** The host's writes block from now on (idempotent). */
  shut(): void;
  /** The host may write again (idempotent). */
  open(): void;
  readonly isShut: boolean;
  /** Gate commands sent (each is one pipe write and one ioctl). */
  readonly toggles: number;
  /** Reopens the host's output and ends the helper. */
  close(): Promise<void>;
}

export async function openFlowGate(
  hostPath: string,
  perlBinary = 'perl',
  timeoutMs = 5000,
): Promise<FlowGate> {
  const child = spawn(perlBinary, ['-e', GATE_SCRIPT, hostPath], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new PtyError(`flow gate on ${hostPath} not ready within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.stdout!.once('data', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new PtyError(
          error.code === 'ENOENT'
            ? `perl not found (the flow gate needs it): apt-get install perl-base`
            : `cannot start the flow gate: ${error.message}`,
        ),
      );
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new PtyError(`flow gate on ${hostPath} exited with code ${code}: ${log.trim()}`));
    });
  });
  try {
    await ready;
  } catch (error) {
    child.stdin!.end();
    throw error;
  }
  child.removeAllListeners('exit');
  child.stdout!.resume();
  return new PerlFlowGate(child);
}

class PerlFlowGate implements FlowGate {
  private shutNow = false;
  toggles = 0;

  constructor(private readonly child: ChildProcess) {
    // A gate that ends with the adapter (EIO) is not an error; the pipe may then be closed.
    child.stdin!.on('error', () => undefined);
  }

  get isShut(): boolean {
    return this.shutNow;
  }

  shut(): void {
    this.send(true);
  }

  open(): void {
    this.send(false);
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.stdin!.end();
    await exited;
  }

  private send(shut: boolean): void {
    if (this.shutNow === shut || !this.child.stdin!.writable) return;
    this.shutNow = shut;
    this.toggles += 1;
    this.child.stdin!.write(shut ? 'S' : 'G');
  }
}
