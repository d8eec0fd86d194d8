// The perl half of pty-relay.ts: owns the host's pseudo-terminal and holds the host back like a
// USB-serial adapter's 4 KiB write FIFO (why perl and why tcflow: see pty-relay.ts).
//
//   perl -e RELAY_SCRIPT <link> <window> <frameMs> <offsetMs> <baud>
//   stdin  frames for the host: pack('dV', due, length) + bytes, written to the master once the
//          monotonic clock (ms) reaches `due` (0 = at once)
//   stdout frames from the host: pack('dV', readAt, length) + bytes, read from the master as
//          soon as they arrive; `readAt` is the monotonic clock (ms) just after the read, -1
//          unknown
//   fd 3   the line's news, one per line: "b<baud>" the line's baud changed; "d<count>" the line
//          dropped that many of the oldest host bytes (power loss, unplug); "<count>" that many
//          host bytes left on the line (only to a relay without a clock, which cannot model it;
//          it gets its dropped bytes this way too)
//   stderr one line per fatal error
// A relay that keeps time drains its count of host bytes by the line's own model (the paced
// line's: the first byte of a read waits for the next USB frame after its stamp, then 10 bits per
// byte at the current baud, in pieces of at most 1 KiB), from the same stamps the line starts
// from, so it frees the FIFO's room exactly when the line has carried the bytes, with no credit
// from the emulator (docs/speed-work.md §19). `offsetMs` converts its clock to the emulator's
// (performance.now() minus CLOCK_MONOTONIC), so USB frame starts fall where the line puts them.
// It prints nothing until the link exists; then the byte stream starts on stdout and a single
// "ready <pts>" line goes to stderr, "ready <pts> clock" when the relay keeps time (Time::HiRes:
// in perl, not in perl-base; without it frames carry -1, `due` is ignored, and the emulator holds
// and stamps bytes itself and returns room as counts on fd 3). fd 3 at EOF (the emulator closed it
// or died): the link is removed, the gate reopened, and the relay exits.
//
// ioctl numbers are the asm-generic ones (x86, arm, riscv): TIOCSPTLCK and TIOCGPTN.
export const RELAY_SCRIPT = String.raw`
use strict; use warnings;
use POSIX qw(:termios_h tcflow TCOOFF TCOON _exit);
use Fcntl qw(O_RDWR O_NOCTTY);
my ($link, $window, $frameMs, $offsetMs, $baud) = @ARGV;
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
my ($outstanding, $shut, $ctlText) = (0, 0, '');
# The line's model of the host bytes not yet carried: [end time, bytes] per piece, oldest first.
my @pieces;
my ($busyUntil, $perByte, $PIECE) = (0, 10000 / $baud, 1024);
my $modelled = $clock && $window > 0;
sub gate { my ($s) = @_; return if $s == $shut; $shut = $s; tcflow($fd, $s ? TCOOFF : TCOON); }
sub finish { unlink $link; gate(0); kill 'TERM', $writer; exit 0; }
# Pieces the line has carried by now leave the count; the gate reopens at window / 2.
sub drain {
  my ($now) = @_;
  while (@pieces && $pieces[0][0] <= $now) { $outstanding -= $pieces[0][1]; shift @pieces; }
  gate(0) if $shut && $outstanding <= $window / 2;
}
# When the count reaches window / 2 (the end of the piece that brings it there), or undef.
sub reopenAt {
  return undef unless $shut && $modelled;
  my $left = $outstanding;
  for my $p (@pieces) { $left -= $p->[1]; return $p->[0] if $left <= $window / 2; }
  return undef;
}
sub dropOldest {
  my ($count) = @_;
  while ($count > 0 && @pieces) {
    my $take = $count < $pieces[0][1] ? $count : $pieces[0][1];
    $pieces[0][1] -= $take; $outstanding -= $take; $count -= $take;
    shift @pieces if $pieces[0][1] == 0;
  }
}
$SIG{TERM} = $SIG{INT} = \&finish;
print STDERR "ready $pts" . ($clock ? " clock" : "") . "\n";
my $buf;
while (1) {
  my $rin = '';
  vec($rin, fileno $ptm, 1) = 1;
  vec($rin, fileno $ctl, 1) = 1;
  my $at = reopenAt();
  my $timeout = defined $at ? $at - now_ms() : undef;
  $timeout = 0 if defined $timeout && $timeout < 0;
  my $ready = select(my $rout = $rin, undef, undef, defined $timeout ? $timeout / 1000 : undef);
  drain(now_ms()) if $modelled;
  next unless $ready > 0;
  # The line's news first: it was sent before the emulator could see bytes read now.
  if (vec($rout, fileno $ctl, 1)) {
    my $r = sysread($ctl, my $more, 4096);
    finish() unless $r;
    $ctlText .= $more;
    while ($ctlText =~ s/^([bd]?)(\d+)\n//) {
      if ($1 eq 'b') { $perByte = 10000 / $2; }
      elsif ($1 eq 'd') { dropOldest($2); }
      else { $outstanding -= $2; }
    }
    gate(0) if $shut && $outstanding <= $window / 2;
  }
  if (vec($rout, fileno $ptm, 1)) {
    my $r = sysread($ptm, $buf, 65536);
    finish() unless $r;
    # Shut first: every microsecond the host still may write, it fills the pty.
    $outstanding += $r;
    gate(1) if $window > 0 && $outstanding >= $window;
    # Stamped after the read: every byte in it was written by then (never a time too early).
    my $readAt = now_ms();
    if ($modelled) {
      # As the paced line does from this stamp: the next USB frame, then each piece's line time.
      my $t = $readAt + $offsetMs;
      my $reaches = ($frameMs > 0 ? POSIX::ceil($t / $frameMs) * $frameMs : $t) - $offsetMs;
      for (my $done = 0; $done < $r; $done += $PIECE) {
        my $n = $r - $done < $PIECE ? $r - $done : $PIECE;
        $busyUntil = ($reaches > $busyUntil ? $reaches : $busyUntil) + $perByte * $n;
        push @pieces, [$busyUntil, $n];
      }
    }
    my $frame = pack('dV', $readAt, $r) . $buf;
    my $sent = 0;
    while ($sent < length $frame) { my $w = syswrite(STDOUT, $frame, length($frame) - $sent, $sent); finish() unless defined $w; $sent += $w; }
  }
}
`;
