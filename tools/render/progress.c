/* SPDX-License-Identifier: ISC */
#include "progress.h"

#include <unistd.h>

#define BAR 40 ///< Characters of the bar

void
sr_progress_begin(SrProgress* p, FILE* out, uint64_t total, bool quiet)
{
  p->out   = out;
  p->tty   = isatty(fileno(out));
  p->quiet = quiet;
  p->total = total ? total : 1;
  p->shown = -1;
}

static void
draw(SrProgress* p, uint64_t done)
{
  const int permille = (int)(done * 1000 / p->total);
  if (p->tty) {
    if (permille == p->shown) {
      return;
    }
    char      bar[BAR + 1];
    const int filled = permille * BAR / 1000;
    for (int i = 0; i < BAR; ++i) {
      bar[i] = i < filled ? '#' : '-';
    }
    bar[BAR] = '\0';
    fprintf(p->out, "\rrendering [%s] %3d.%d %%", bar, permille / 10, permille % 10);
    fflush(p->out);
    p->shown = permille;
  } else {
    const int tenth = permille / 100;
    if (tenth == p->shown) {
      return;
    }
    fprintf(p->out, "rendering: %d %%\n", tenth * 10);
    p->shown = tenth;
  }
}

void
sr_progress_update(SrProgress* p, uint64_t done)
{
  if (!p->quiet) {
    draw(p, done > p->total ? p->total : done);
  }
}

void
sr_progress_end(SrProgress* p)
{
  if (p->quiet) {
    return;
  }
  draw(p, p->total);
  if (p->tty) {
    fputc('\n', p->out);
  }
  fflush(p->out);
}
