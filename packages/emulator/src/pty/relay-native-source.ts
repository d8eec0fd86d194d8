// The pty relay of pty-relay.ts in C: the same arguments, pipes, frames, gate and line model as
// the perl script in relay-script.ts (read that first: it is the reference; this one always keeps
// time, so it takes no credits). native-relay.ts compiles it once per machine with the system's C
// compiler when there is one. The perl relays spent ~260 µs of CPU per 4 KiB packet at 128 slots,
// a fifth of a 2-core machine (docs/speed-work.md §19); this one spends its system calls.
//
//   relay <link> <window> <frameMs> <offsetMs> <baud>
export const RELAY_C_SOURCE = String.raw`#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PIECE 1024
#define MAX_PIECES 65536
#define READ_SIZE 65536

static const char *link_path;
static int slave_fd = -1;
static int shut = 0;
static pid_t writer = -1;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void gate(int s) {
  if (s == shut) return;
  shut = s;
  tcflow(slave_fd, s ? TCOOFF : TCOON);
}

static void finish(void) {
  unlink(link_path);
  gate(0);
  if (writer > 0) kill(writer, SIGTERM);
  _exit(0);
}

static void on_signal(int sig) {
  (void)sig;
  finish();
}

static void die(const char *what) {
  fprintf(stderr, "%s: %s\n", what, strerror(errno));
  exit(1);
}

static int write_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t w = write(fd, buf, len);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    buf += w;
    len -= (size_t)w;
  }
  return 0;
}

// Device -> host: frames from stdin, each written to the master once its due time has come.
static void run_writer(int ptm) {
  size_t cap = READ_SIZE * 2, len = 0;
  char *buf = malloc(cap);
  if (!buf) _exit(1);
  for (;;) {
    if (cap - len < READ_SIZE) {
      cap *= 2;
      buf = realloc(buf, cap);
      if (!buf) _exit(1);
    }
    ssize_t r = read(0, buf + len, cap - len);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) _exit(0);
    len += (size_t)r;
    size_t at = 0;
    while (len - at >= 12) {
      double due;
      uint32_t n;
      memcpy(&due, buf + at, 8);
      memcpy(&n, buf + at + 8, 4);
      if (len - at < 12 + (size_t)n) break;
      if (due > 0) {
        // Never early: sleep to the absolute due time on the same clock.
        struct timespec ts = {(time_t)(due / 1000), (long)(fmod(due, 1000.0) * 1e6)};
        if (ts.tv_nsec >= 1000000000L) ts.tv_nsec = 999999999L;
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
        }
      }
      if (write_all(ptm, buf + at + 12, n) < 0) _exit(0);
      at += 12 + n;
    }
    memmove(buf, buf + at, len - at);
    len -= at;
  }
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: relay <link> <window> <frameMs> <offsetMs> <baud>\n");
    return 2;
  }
  link_path = argv[1];
  const double window = atof(argv[2]);
  const double frame_ms = atof(argv[3]);
  const double offset_ms = atof(argv[4]);
  double per_byte = 10000.0 / atof(argv[5]);

  int ptm = posix_openpt(O_RDWR | O_NOCTTY);
  if (ptm < 0) die("cannot open /dev/ptmx");
  if (unlockpt(ptm) < 0) die("cannot unlock the pty");
  const char *pts = ptsname(ptm);
  if (!pts) die("cannot name the pty");
  char pts_path[64];
  snprintf(pts_path, sizeof pts_path, "%s", pts);
  // Held open for tcflow and so the master never sees a hang-up when a host closes its port.
  slave_fd = open(pts_path, O_RDWR | O_NOCTTY);
  if (slave_fd < 0) die("cannot open the pty");
  struct termios t;
  if (tcgetattr(slave_fd, &t) < 0) die("tcgetattr");
  t.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
  t.c_oflag &= ~OPOST;
  t.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
  t.c_cflag = (t.c_cflag & ~(CSIZE | PARENB)) | CS8;
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  if (tcsetattr(slave_fd, TCSANOW, &t) < 0) die("tcsetattr");
  unlink(link_path);
  if (symlink(pts_path, link_path) < 0) die("cannot create the link");

  writer = fork();
  if (writer < 0) die("fork");
  if (writer == 0) run_writer(ptm);
  close(0);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  fprintf(stderr, "ready %s clock\n", pts_path);
  fflush(stderr);

  // The line's model of the host bytes not yet carried: a ring of pieces, oldest first.
  static double piece_end[MAX_PIECES];
  static uint32_t piece_len[MAX_PIECES];
  size_t head = 0, count = 0;
  double outstanding = 0, busy_until = 0;
  const int modelled = window > 0;
  static char frame[12 + READ_SIZE];
  char ctl[4096];
  size_t ctl_len = 0;

  for (;;) {
    double timeout_ms = -1;
    if (shut && modelled) {
      // When the count reaches window / 2: the end of the piece that brings it there.
      double left = outstanding;
      for (size_t i = 0; i < count; i++) {
        size_t k = (head + i) % MAX_PIECES;
        left -= piece_len[k];
        if (left <= window / 2) {
          double wait = piece_end[k] - now_ms();
          timeout_ms = wait <= 0 ? 0 : wait;
          break;
        }
      }
    }
    struct pollfd fds[2] = {{ptm, POLLIN, 0}, {3, POLLIN, 0}};
    struct timespec wait_ts = {(time_t)(timeout_ms / 1000), (long)(fmod(timeout_ms, 1000.0) * 1e6)};
    int ready = ppoll(fds, 2, timeout_ms < 0 ? NULL : &wait_ts, NULL);
    if (ready < 0 && errno != EINTR) finish();
    if (modelled) {
      double now = now_ms();
      while (count > 0 && piece_end[head] <= now) {
        outstanding -= piece_len[head];
        head = (head + 1) % MAX_PIECES;
        count--;
      }
      if (shut && outstanding <= window / 2) gate(0);
    }
    if (ready <= 0) continue;
    // The line's news first: it was sent before the emulator could see bytes read now.
    if (fds[1].revents) {
      ssize_t r = read(3, ctl + ctl_len, sizeof ctl - ctl_len - 1);
      if (r <= 0) finish();
      ctl_len += (size_t)r;
      ctl[ctl_len] = 0;
      char *line = ctl, *end;
      while ((end = strchr(line, '\n'))) {
        *end = 0;
        if (line[0] == 'b') {
          per_byte = 10000.0 / atof(line + 1);
        } else if (line[0] == 'd') {
          double drop = atof(line + 1);
          while (drop > 0 && count > 0) {
            double take = drop < piece_len[head] ? drop : piece_len[head];
            piece_len[head] -= (uint32_t)take;
            outstanding -= take;
            drop -= take;
            if (piece_len[head] == 0) {
              head = (head + 1) % MAX_PIECES;
              count--;
            }
          }
        }
        line = end + 1;
      }
      ctl_len = strlen(line);
      if (ctl_len == sizeof ctl - 1) ctl_len = 0; // no line is this long: not the protocol
      memmove(ctl, line, ctl_len);
      if (shut && outstanding <= window / 2) gate(0);
    }
    if (fds[0].revents) {
      ssize_t r = read(ptm, frame + 12, READ_SIZE);
      if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (r <= 0) finish();
      // Shut first: every microsecond the host still may write, it fills the pty.
      outstanding += r;
      if (window > 0 && outstanding >= window) gate(1);
      // Stamped after the read: every byte in it was written by then (never a time too early).
      double read_at = now_ms();
      if (modelled) {
        // As the paced line does from this stamp: the next USB frame, then each piece's time.
        double t = read_at + offset_ms;
        double reaches = (frame_ms > 0 ? ceil(t / frame_ms) * frame_ms : t) - offset_ms;
        for (ssize_t done = 0; done < r; done += PIECE) {
          uint32_t n = (uint32_t)(r - done < PIECE ? r - done : PIECE);
          busy_until = (reaches > busy_until ? reaches : busy_until) + per_byte * n;
          // Cannot happen while the gate holds the host to a window of a few KiB; if the ring ever
          // filled, the relay ends (the host sees its port hang up) rather than pace wrongly.
          if (count == MAX_PIECES) finish();
          size_t k = (head + count) % MAX_PIECES;
          piece_end[k] = busy_until;
          piece_len[k] = n;
          count++;
        }
      }
      uint32_t n = (uint32_t)r;
      memcpy(frame, &read_at, 8);
      memcpy(frame + 8, &n, 4);
      if (write_all(1, frame, 12 + (size_t)r) < 0) finish();
    }
  }
}
`;
