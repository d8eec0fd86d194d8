// The pty relay of pty-relay.ts in C, for many slots in one process: a "hub" that owns every
// slot's pseudo-terminal, gate and line model (the perl script in relay-script.ts is the
// reference for one slot; read that first). native-relay.ts compiles it once per machine with
// the system's C compiler when there is one; relay-hub.ts drives it.
//
// Why one process for many slots (docs/speed-work.md §27): a relay process per slot (and its
// writer child) cost two processes and their wake-ups per slot, ≈ 0.6 of a 2-core machine at 128
// slots. Here one epoll loop serves every slot of a jig: one wake-up handles whatever is ready,
// its frames go out in one pipe write, and the writes due to hosts wait on one timer.
//
//   hub <offsetMs> [<jig folder>]   (the folder only names the hub in `ps`: whose slots it serves)
//   stdin  messages: u8 kind, u32 slot, u32 length, payload (little-endian)
//          'O' open: f64 window, f64 frameMs, f64 baud, then the link's path
//          'W' write to the host: f64 due (monotonic ms, 0 = at once), then the bytes; a slot's
//              writes go out in order, each no earlier than its due time
//          'B' the line's baud changed: f64 baud
//          'D' the line dropped its oldest host bytes: f64 count
//          'K' the line dropped at f64 time (monotonic ms): writes due after it are discarded
//          'C' close: remove the link, hang up the host
//   stdout messages, same header:
//          'F' bytes from the host: f64 readAt (monotonic ms just after the read), then the bytes
//          'R' open done: the pty's path      'E' open failed: why
//          'X' the slot is gone (closed, or its pty failed: why, or nothing)
//   stdin at EOF (the emulator closed it or died): every link is removed and the hub exits.
export const RELAY_HUB_C_SOURCE = String.raw`#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PIECE 1024
#define READ_SIZE 65536
#define HEADER 9
#define MAX_EVENTS 128

typedef struct {
  double end;
  uint32_t len;
} piece_t;

typedef struct slot {
  uint32_t id;
  char *link;
  int ptm, slave;
  int shut, waiting_out, dead;
  double window, frame_ms, per_byte;
  // The line's model of the host bytes not yet carried: a ring of pieces, oldest first.
  piece_t *pieces;
  size_t head, count, cap;
  double outstanding, busy_until;
  // Bytes for the host: records of f64 due, u32 length, bytes; out_at = the first unwritten byte.
  char *out;
  size_t out_len, out_cap, out_at, head_done;
  struct slot *next;
} slot_t;

static slot_t *slots = NULL;
// Slots dropped in this turn of the loop: freed after it, as its events may still name them.
static slot_t *graveyard = NULL;
static double offset_ms;
static int ep, timer_fd;
static char *sout;
static size_t sout_len, sout_cap;
static double armed = -1;
static int stdin_tag, timer_tag;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void *grow(void *p, size_t *cap, size_t need, size_t unit) {
  if (need <= *cap) return p;
  size_t c = *cap ? *cap : 16;
  while (c < need) c *= 2;
  p = realloc(p, c * unit);
  if (!p) _exit(1);
  *cap = c;
  return p;
}

static void flush_stdout(void) {
  size_t at = 0;
  while (at < sout_len) {
    ssize_t w = write(1, sout + at, sout_len - at);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) _exit(0);
    at += (size_t)w;
  }
  sout_len = 0;
}

// Appends a message header to stdout's buffer and returns where its payload goes.
static char *emit(char kind, uint32_t id, uint32_t len) {
  sout = grow(sout, &sout_cap, sout_len + HEADER + len, 1);
  char *at = sout + sout_len;
  at[0] = kind;
  memcpy(at + 1, &id, 4);
  memcpy(at + 5, &len, 4);
  sout_len += HEADER + len;
  return at + HEADER;
}

static void emit_text(char kind, uint32_t id, const char *text) {
  memcpy(emit(kind, id, (uint32_t)strlen(text)), text, strlen(text));
}

static void gate(slot_t *s, int shut) {
  if (s->shut == shut) return;
  s->shut = shut;
  tcflow(s->slave, shut ? TCOOFF : TCOON);
}

static slot_t *find(uint32_t id) {
  for (slot_t *s = slots; s; s = s->next)
    if (s->id == id) return s;
  return NULL;
}

// The host's port hangs up (as when an adapter is pulled): link gone, gate open, pty closed.
static void drop_slot(slot_t *s, const char *why) {
  slot_t **p = &slots;
  while (*p != s) p = &(*p)->next;
  *p = s->next;
  unlink(s->link);
  gate(s, 0);
  close(s->slave);
  close(s->ptm);
  emit_text('X', s->id, why);
  s->dead = 1;
  s->next = graveyard;
  graveyard = s;
}

static void bury(void) {
  while (graveyard) {
    slot_t *s = graveyard;
    graveyard = s->next;
    free(s->link);
    free(s->pieces);
    free(s->out);
    free(s);
  }
}

static void finish(void) {
  for (slot_t *s = slots; s; s = s->next) {
    unlink(s->link);
    gate(s, 0);
  }
  _exit(0);
}

static void on_signal(int sig) {
  (void)sig;
  finish();
}

static void open_slot(uint32_t id, const char *payload, uint32_t len) {
  char why[256];
  if (len < 25 || find(id)) {
    emit_text('E', id, find(id) ? "slot is open already" : "bad open message");
    return;
  }
  slot_t *s = calloc(1, sizeof *s);
  if (!s) _exit(1);
  s->id = id;
  double baud;
  memcpy(&s->window, payload, 8);
  memcpy(&s->frame_ms, payload + 8, 8);
  memcpy(&baud, payload + 16, 8);
  s->per_byte = 10000.0 / baud;
  s->link = strndup(payload + 24, len - 24);
  s->ptm = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  s->slave = -1;
  const char *pts = NULL;
  struct termios t;
  if (s->ptm < 0) {
    snprintf(why, sizeof why, "cannot open /dev/ptmx: %s", strerror(errno));
  } else if (unlockpt(s->ptm) < 0 || !(pts = ptsname(s->ptm))) {
    snprintf(why, sizeof why, "cannot unlock or name the pty: %s", strerror(errno));
  } else if ((s->slave = open(pts, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
    // Held open for tcflow and so the master never sees a hang-up when a host closes its port.
    snprintf(why, sizeof why, "cannot open the pty: %s", strerror(errno));
  } else if (tcgetattr(s->slave, &t) < 0) {
    snprintf(why, sizeof why, "tcgetattr: %s", strerror(errno));
  } else {
    t.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t.c_oflag &= ~OPOST;
    t.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t.c_cflag = (t.c_cflag & ~(CSIZE | PARENB)) | CS8;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    unlink(s->link);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = s};
    if (tcsetattr(s->slave, TCSANOW, &t) < 0) {
      snprintf(why, sizeof why, "tcsetattr: %s", strerror(errno));
    } else if (symlink(pts, s->link) < 0) {
      snprintf(why, sizeof why, "cannot create %s: %s", s->link, strerror(errno));
    } else if (epoll_ctl(ep, EPOLL_CTL_ADD, s->ptm, &ev) < 0) {
      unlink(s->link);
      snprintf(why, sizeof why, "epoll: %s", strerror(errno));
    } else {
      s->next = slots;
      slots = s;
      emit_text('R', id, pts);
      return;
    }
  }
  if (s->slave >= 0) close(s->slave);
  if (s->ptm >= 0) close(s->ptm);
  emit_text('E', id, why);
  free(s->link);
  free(s);
}

static void drain_model(slot_t *s, double now) {
  while (s->count > 0 && s->pieces[s->head].end <= now) {
    s->outstanding -= s->pieces[s->head].len;
    s->head = (s->head + 1) % s->cap;
    s->count--;
  }
}

static void add_piece(slot_t *s, double end, uint32_t len) {
  if (s->count == s->cap) {
    // Grow the ring, keeping its order (oldest first at 0).
    size_t cap = s->cap ? s->cap * 2 : 64;
    piece_t *p = malloc(cap * sizeof *p);
    if (!p) _exit(1);
    for (size_t i = 0; i < s->count; i++) p[i] = s->pieces[(s->head + i) % s->cap];
    free(s->pieces);
    s->pieces = p;
    s->cap = cap;
    s->head = 0;
  }
  s->pieces[(s->head + s->count) % s->cap] = (piece_t){end, len};
  s->count++;
  s->outstanding += len;
}

// Host -> emulator: one read, the gate shut first, stamped, modelled, framed.
static void read_host(slot_t *s) {
  sout = grow(sout, &sout_cap, sout_len + HEADER + 8 + READ_SIZE, 1);
  char *frame = sout + sout_len;
  ssize_t r = read(s->ptm, frame + HEADER + 8, READ_SIZE);
  if (r < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (r <= 0) {
    char why[128];
    snprintf(why, sizeof why, "the pty failed: %s", r == 0 ? "end of file" : strerror(errno));
    drop_slot(s, why);
    return;
  }
  // Shut first: every microsecond the host still may write, it fills the pty.
  if (s->window > 0 && s->outstanding + r >= s->window) gate(s, 1);
  // Stamped after the read: every byte in it was written by then (never a time too early).
  double read_at = now_ms();
  if (s->window > 0) {
    drain_model(s, read_at);
    // As the paced line does from this stamp: the next USB frame, then each piece's time.
    double t = read_at + offset_ms;
    double reaches = (s->frame_ms > 0 ? ceil(t / s->frame_ms) * s->frame_ms : t) - offset_ms;
    for (ssize_t done = 0; done < r; done += PIECE) {
      uint32_t n = (uint32_t)(r - done < PIECE ? r - done : PIECE);
      s->busy_until = (reaches > s->busy_until ? reaches : s->busy_until) + s->per_byte * n;
      add_piece(s, s->busy_until, n);
    }
  }
  uint32_t len = 8 + (uint32_t)r;
  frame[0] = 'F';
  memcpy(frame + 1, &s->id, 4);
  memcpy(frame + 5, &len, 4);
  memcpy(frame + HEADER, &read_at, 8);
  sout_len += HEADER + len;
}

// Emulator -> host: every record whose due time has come, in order, as far as the pty takes it.
static void write_host(slot_t *s, double now) {
  while (s->out_at < s->out_len) {
    double due;
    uint32_t n;
    memcpy(&due, s->out + s->out_at, 8);
    memcpy(&n, s->out + s->out_at + 8, 4);
    if (due > now) return;
    char *bytes = s->out + s->out_at + 12;
    ssize_t w = n > s->head_done ? write(s->ptm, bytes + s->head_done, n - s->head_done) : 0;
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno == EAGAIN) {
      // The host does not read: wait for room, this slot's reads going on meanwhile.
      struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = s};
      epoll_ctl(ep, EPOLL_CTL_MOD, s->ptm, &ev);
      s->waiting_out = 1;
      return;
    }
    if (w < 0) {
      // The pty failed (its read reports why): what waits for it is dropped, not retried in a
      // loop that the past due time would make busy.
      s->out_at = s->out_len = s->head_done = 0;
      return;
    }
    s->head_done += (size_t)w;
    if (s->head_done < n) continue;
    s->out_at += 12 + n;
    s->head_done = 0;
  }
  s->out_at = s->out_len = 0;
}

static void on_message(char kind, uint32_t id, const char *p, uint32_t len) {
  if (kind == 'O') {
    open_slot(id, p, len);
    return;
  }
  slot_t *s = find(id);
  if (!s) return; // gone already: its news no longer matters
  if (kind == 'W' && len >= 8) {
    uint32_t n = len - 8;
    s->out = grow(s->out, &s->out_cap, s->out_len + 12 + n, 1);
    memcpy(s->out + s->out_len, p, 8);
    memcpy(s->out + s->out_len + 8, &n, 4);
    memcpy(s->out + s->out_len + 12, p + 8, n);
    s->out_len += 12 + n;
  } else if (kind == 'B' && len >= 8) {
    double baud;
    memcpy(&baud, p, 8);
    s->per_byte = 10000.0 / baud;
  } else if (kind == 'D' && len >= 8) {
    double drop;
    memcpy(&drop, p, 8);
    while (drop > 0 && s->count > 0) {
      piece_t *h = &s->pieces[s->head];
      double take = drop < h->len ? drop : h->len;
      h->len -= (uint32_t)take;
      s->outstanding -= take;
      drop -= take;
      if (h->len == 0) {
        s->head = (s->head + 1) % s->cap;
        s->count--;
      }
    }
  } else if (kind == 'K' && len >= 8) {
    // Power loss: what the module sent that was not yet on the wire never reaches the host. A
    // record the pty has taken part of stays whole; writes are in due order, so cut at the first.
    double after;
    memcpy(&after, p, 8);
    for (size_t at = s->out_at; at < s->out_len;) {
      double due;
      uint32_t n;
      memcpy(&due, s->out + at, 8);
      memcpy(&n, s->out + at + 8, 4);
      if (due > after && !(at == s->out_at && s->head_done > 0)) {
        s->out_len = at;
        break;
      }
      at += 12 + n;
    }
  } else if (kind == 'C') {
    drop_slot(s, "");
  }
}

static char *in;
static size_t in_len, in_cap;

static void read_stdin(void) {
  in = grow(in, &in_cap, in_len + READ_SIZE, 1);
  ssize_t r = read(0, in + in_len, READ_SIZE);
  if (r < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (r <= 0) {
    flush_stdout();
    finish();
  }
  in_len += (size_t)r;
  size_t at = 0;
  while (in_len - at >= HEADER) {
    uint32_t id, len;
    memcpy(&id, in + at + 1, 4);
    memcpy(&len, in + at + 5, 4);
    if (in_len - at < HEADER + (size_t)len) break;
    on_message(in[at], id, in + at + HEADER, len);
    at += HEADER + len;
  }
  memmove(in, in + at, in_len - at);
  in_len -= at;
}

// The earliest time the loop must wake with nothing to read: a write falls due, or a shut gate's
// count reaches window / 2 (the end of the piece that brings it there). -1 = none.
static double next_wake(void) {
  double next = -1;
  for (slot_t *s = slots; s; s = s->next) {
    if (!s->waiting_out && s->out_at < s->out_len) {
      double due;
      memcpy(&due, s->out + s->out_at, 8);
      if (next < 0 || due < next) next = due;
    }
    if (s->shut) {
      double left = s->outstanding;
      for (size_t i = 0; i < s->count; i++) {
        piece_t *p = &s->pieces[(s->head + i) % s->cap];
        left -= p->len;
        if (left <= s->window / 2) {
          if (next < 0 || p->end < next) next = p->end;
          break;
        }
      }
    }
  }
  return next;
}

static void arm(double at) {
  if (at == armed) return;
  armed = at;
  struct itimerspec its = {{0, 0}, {0, 0}};
  if (at >= 0) {
    // 0 would disarm: a time already past is one nanosecond after the epoch of the clock.
    its.it_value.tv_sec = (time_t)(at / 1000);
    its.it_value.tv_nsec = (long)(fmod(at, 1000.0) * 1e6);
    if (its.it_value.tv_nsec >= 1000000000L) its.it_value.tv_nsec = 999999999L;
    if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0) its.it_value.tv_nsec = 1;
  }
  timerfd_settime(timer_fd, TFD_TIMER_ABSTIME, &its, NULL);
}

int main(int argc, char **argv) {
  if (argc != 2 && argc != 3) {
    fprintf(stderr, "usage: hub <offsetMs> [<jig folder>]\n");
    return 2;
  }
  offset_ms = atof(argv[1]);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  // Many slots share this pipe: room for a burst of frames (the kernel caps it; best effort).
  fcntl(1, F_SETPIPE_SZ, 1 << 20);
  ep = epoll_create1(EPOLL_CLOEXEC);
  timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (ep < 0 || timer_fd < 0) {
    fprintf(stderr, "epoll or timerfd: %s\n", strerror(errno));
    return 1;
  }
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &stdin_tag};
  epoll_ctl(ep, EPOLL_CTL_ADD, 0, &ev);
  ev.data.ptr = &timer_tag;
  epoll_ctl(ep, EPOLL_CTL_ADD, timer_fd, &ev);
  fprintf(stderr, "ready hub\n");
  fflush(stderr);

  struct epoll_event events[MAX_EVENTS];
  for (;;) {
    flush_stdout();
    arm(next_wake());
    int n = epoll_wait(ep, events, MAX_EVENTS, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      finish();
    }
    // The line's news first: it was sent before the emulator could see bytes read now.
    for (int i = 0; i < n; i++)
      if (events[i].data.ptr == &stdin_tag) read_stdin();
    for (int i = 0; i < n; i++) {
      void *tag = events[i].data.ptr;
      if (tag == &stdin_tag) continue;
      if (tag == &timer_tag) {
        uint64_t expirations;
        if (read(timer_fd, &expirations, sizeof expirations) < 0) {
        }
        armed = -1;
        continue;
      }
      slot_t *s = tag;
      if (s->dead) continue;
      if (events[i].events & EPOLLOUT && s->waiting_out) {
        s->waiting_out = 0;
        struct epoll_event in_only = {.events = EPOLLIN, .data.ptr = s};
        epoll_ctl(ep, EPOLL_CTL_MOD, s->ptm, &in_only);
      }
      if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) read_host(s);
    }
    double now = now_ms();
    for (slot_t *s = slots; s; s = s->next) {
      if (!s->waiting_out) write_host(s, now);
      if (s->shut) {
        drain_model(s, now);
        if (s->outstanding <= s->window / 2) gate(s, 0);
      }
    }
    bury();
  }
}
`;
