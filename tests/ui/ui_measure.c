/* SPDX-License-Identifier: ISC */
/* Measures the editor in the test UI host (not a test: figures for the
   documentation, ninja editor-measure):
   - idle CPU: 10 s with nothing changing, the plugin run in real time and
     the UI's idle() called 60 times a second, shown and then hidden: the
     CPU time of the UI's own calls, the whole host's, and frames drawn;
   - edits per second: a parameter dragged by XTest motion events as fast
     as the editor takes them, each move one patch:Set the plugin answers,
     counted over 2000 moves (plugin, worker and UI in this one thread). */
#include "ui_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The number of the last frame the UI drew. */
static long
frames(UhHost* h)
{
  char line[128] = "";
  uh_line(h, "frame", line, sizeof(line));
  return atol(line);
}

/* `seconds` of a host's life with nothing changing: the plugin run in
   real time (one 256-frame block every 5.3 ms, its notify to the UI) and
   the UI's idle() 60 times a second. The CPU of the UI's calls alone and
   of the whole process (plugin included), and the frames drawn. */
static void
idle_for(UhHost* h, double seconds, const char* what)
{
  const long   f0 = frames(h);
  const double u0 = uh_ui_cpu_seconds(h), c0 = uh_cpu_seconds(), t0 = now();
  double       next_idle = t0;
  for (long block = 0; now() - t0 < seconds; ++block) {
    const double due = t0 + (double)block * UH_BLOCK / 48000.0;
    while (now() < due) {
      struct timespec d = {0, 500000};
      nanosleep(&d, NULL);
    }
    uh_run_plugin(h, 1);
    if (now() >= next_idle) {
      uh_idle(h);
      next_idle += 1.0 / 60.0;
    }
  }
  const double wall = now() - t0;
  printf("%s: UI %.4f s CPU in %.1f s (%.3f%%), whole host %.2f%%, %ld frames drawn\n", what,
         uh_ui_cpu_seconds(h) - u0, wall, 100.0 * (uh_ui_cpu_seconds(h) - u0) / wall,
         100.0 * (uh_cpu_seconds() - c0) / wall, frames(h) - f0);
}

int
main(void)
{
  int rc = uh_display_start(1400, 900);
  if (rc) {
    return rc;
  }
  UhHost* h = uh_open("Mono Synth", 1200, 760);
  uh_settle(h, 200);
  idle_for(h, 10.0, "idle, shown");
  uh_set_shown(h, false);
  idle_for(h, 10.0, "idle, hidden");
  uh_set_shown(h, true);
  uh_settle(h, 100);

  // Drag osc1's freq control back and forth.
  int r[4];
  if (!uh_find(h, "node", "osc1", r)) {
    fprintf(stderr, "no osc1\n");
    return 1;
  }
  uh_click(h, r[0] + r[2] / 2, r[1] + 6, 1);
  uh_settle(h, 50);
  if (!uh_find(h, "param", "freq", r)) {
    fprintf(stderr, "no freq control\n");
    return 1;
  }
  const uint32_t sent0 = uh_sent_count(h);
  const double   t0    = now();
  const int      moves = 2000;
  uh_press_drag(h, r[0] + r[2] / 2, r[1] + r[3] / 2, moves);
  uint32_t acked = 0;
  for (int b = 0; b < 4000; ++b) {  // Until the plugin has answered every edit
    acked = 0;
    for (uint32_t i = sent0; i < uh_sent_count(h); ++i) {
      const ShReply* reply = uh_reply(h, uh_sent_seq(h, i));
      acked += reply && sh_reply_is_ack(uh_plugin(h), reply);
    }
    if (acked == uh_sent_count(h) - sent0) {
      break;
    }
    uh_run(h, 1, NULL, NULL);
  }
  const double dt = now() - t0;
  printf("edits: %u sent, %u acknowledged in %.2f s: %.0f edits per second\n",
         uh_sent_count(h) - sent0, acked, dt, acked / dt);
  uh_close(h);
  uh_display_stop();
  return 0;
}
