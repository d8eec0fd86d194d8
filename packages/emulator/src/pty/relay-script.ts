// The perl half of pty-relay.ts: owns the host's pseudo-terminal and holds the host back like a
// USB-serial adapter's 4 KiB write FIFO (why perl and why tcflow: see pty-relay.ts).
//
//   perl -e RELAY_SCRIPT <link> <window>
//   stdin  frames for the host: pack('dV', due, length) + bytes, written to the master once the
//          monotonic clock (ms) reaches `due` (0 = at once)
//   stdout frames from the host: pack('dV', readAt, length | shut << 31) + bytes, read from the
//          master as soon as they arrive; `readAt` is the monotonic clock (ms) just after the
//          read, -1 unknown; `shut`: the gate is shut after this read (the emulator then knows a
//          credit is needed to reopen it, and sends none while the gate is open)
//   fd 3   credits: decimal byte counts, one per line, for host bytes that left on the line; a
//          count followed by "!" ("2048!") says the gate shut only on credits not yet sent: it
//          reopens as soon as fewer than `window` bytes are outstanding (a real FIFO has room),
//          not only at window / 2
//   stderr one line per fatal error
// It prints nothing until the link exists; then the byte stream starts on stdout and a single
// "ready <pts>" line goes to stderr, "ready <pts> clock" when the relay
// keeps time (Time::HiRes: in perl, not in perl-base; without it frames carry -1 and `due` is
// ignored, so the emulator holds and stamps bytes itself). fd 3 at EOF (the emulator closed it or died): the link is
// removed, the gate reopened, and the relay exits.
//
// ioctl numbers are the asm-generic ones (x86, arm, riscv): TIOCSPTLCK and TIOCGPTN.
export const RELAY_SCRIPT = String.raw`
use strict; use warnings;
use POSIX qw(:termios_h tcflow TCOOFF TCOON _exit);
use Fcntl qw(O_RDWR O_NOCTTY);
my ($link, $window) = @ARGV;
sysopen(my $ptm, '/dev/ptmx', O_RDWR | O_NOCTTY) or die "cannot open /dev/ptmx: $!\n";
my $unlock = pack('i', 0);
ioctl($ptm, 0x40045431, $unlock) or die "cannot unlock the pty: $!\n";
my $n = pack('I', 0);
ioctl($ptm, 0x80045430, $n) or die "cannot name the pty: $!\n";
my $pts = '/dev/pts/' . unpack('I', $n);
# Held open for tcflow and so the master never sees a hang-up when a host closes its port.
sysopen(my $slave, $pts, O_RDWR | O_NOCTTY) or die "cannot open $pts: $!\n";
my $t = POSIX::Termios->new;
$t->getattr(fileno $slave) or die "tcgetattr $pts: $!\n";
$t->setiflag($t->getiflag & ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON));
$t->setoflag($t->getoflag & ~OPOST);
$t->setlflag($t->getlflag & ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN));
$t->setcflag(($t->getcflag & ~(CSIZE | PARENB)) | CS8);
$t->setcc(VMIN, 1);
$t->setcc(VTIME, 0);
$t->setattr(fileno $slave, TCSANOW) or die "tcsetattr $pts: $!\n";
unlink $link;
symlink($pts, $link) or die "cannot create $link: $!\n";
open(my $ctl, '<&=', 3) or die "no credit pipe on fd 3: $!\n";
binmode STDOUT; binmode STDIN;
# Stamping reads and releasing writes here, next to the pty, keeps the emulator's event loop and
# the pipe hop out of the line's timing (docs/speed-work.md §12).
my $clock = eval { require Time::HiRes; 1 };
sub now_ms { $clock ? Time::HiRes::clock_gettime(Time::HiRes::CLOCK_MONOTONIC()) * 1000 : -1 }

# Device -> host in a child: a blocking write to the master stalls only this direction.
my $writer = fork() // die "fork: $!\n";
if ($writer == 0) {
  my ($buf, $more) = ('', '');
  while (sysread(STDIN, $more, 65536)) {
    $buf .= $more;
    while (length $buf >= 12) {
      my ($due, $len) = unpack('dV', $buf);
      last if length $buf < 12 + $len;
      # Never early: sleep until due (select may return a few microseconds short).
      while ($clock && $due > 0) { my $wait = $due - now_ms(); last if $wait <= 0; select(undef, undef, undef, $wait / 1000); }
      my $at = 12;
      while ($at < 12 + $len) {
        my $w = syswrite($ptm, $buf, 12 + $len - $at, $at);
        _exit(0) unless defined $w;
        $at += $w;
      }
      substr($buf, 0, 12 + $len) = '';
    }
  }
  _exit(0);
}
close STDIN;

my $fd = fileno $slave;
my ($outstanding, $shut, $creditText) = (0, 0, '');
sub gate { my ($s) = @_; return if $s == $shut; $shut = $s; tcflow($fd, $s ? TCOOFF : TCOON); }
sub finish { unlink $link; gate(0); kill 'TERM', $writer; exit 0; }
$SIG{TERM} = $SIG{INT} = \&finish;
print STDERR "ready $pts" . ($clock ? " clock" : "") . "\n";
my $buf;
while (1) {
  my $rin = '';
  vec($rin, fileno $ptm, 1) = 1;
  vec($rin, fileno $ctl, 1) = 1;
  next unless select(my $rout = $rin, undef, undef, undef) > 0;
  if (vec($rout, fileno $ptm, 1)) {
    my $r = sysread($ptm, $buf, 65536);
    finish() unless $r;
    # Shut first: every microsecond the host still may write, it fills the pty.
    $outstanding += $r;
    gate(1) if $window > 0 && $outstanding >= $window;
    # Stamped after the read: every byte in it was written by then (never a time too early).
    my $frame = pack('dV', now_ms(), $shut ? $r | 0x80000000 : $r) . $buf;
    my $at = 0;
    while ($at < length $frame) { my $w = syswrite(STDOUT, $frame, length($frame) - $at, $at); finish() unless defined $w; $at += $w; }
  }
  if (vec($rout, fileno $ctl, 1)) {
    my $r = sysread($ctl, my $more, 4096);
    finish() unless $r;
    $creditText .= $more;
    my $room = 0;
    while ($creditText =~ s/^(\d+)(!?)\n//) { $outstanding -= $1; $room = 1 if $2; }
    gate(0) if $shut && ($outstanding <= $window / 2 || ($room && $outstanding < $window));
  }
}
`;
