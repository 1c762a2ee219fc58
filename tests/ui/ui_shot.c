/* SPDX-License-Identifier: ISC */
/* Opens the editor on presets in the test UI host and saves screenshots:
   ui_shot [-s WIDTHxHEIGHT] [-n NODE|-] [-t 0|1] [-o NODE|-] PRESET OUT.png [...]:
   each option holds for the shots after it (-n: that node selected, its
   controls shown; -t 1: the text view open; -o: that sub-patch opened with
   a double-click, its body shown). Makes the
   documentation's pictures (ninja editor-screenshots); a complaint shown
   while the preset was loading is dismissed first (Escape). Exit 77
   without Xvfb. */
#include "ui_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char** argv)
{
  if (argc < 3) {
    fprintf(stderr,
            "usage: ui_shot [-s WIDTHxHEIGHT] [-n NODE|-] [-t 0|1] [-o NODE|-] PRESET OUT.png "
            "[...]\n");
    return 2;
  }
  int rc = uh_display_start(1600, 1600);
  if (rc) {
    return rc;
  }
  int         w = 1280, h = 760;
  bool        text   = false;
  const char* select = NULL;
  const char* open   = NULL;
  for (int i = 1; i + 1 < argc && !rc; i += 2) {
    if (!strcmp(argv[i], "-s")) {  // A size for the shots that follow
      sscanf(argv[i + 1], "%dx%d", &w, &h);
      continue;
    }
    if (!strcmp(argv[i], "-n")) {  // A node to select (its controls shown), "-" for none
      select = strcmp(argv[i + 1], "-") ? argv[i + 1] : NULL;
      continue;
    }
    if (!strcmp(argv[i], "-o")) {  // A sub-patch to open, "-" for none
      open = strcmp(argv[i + 1], "-") ? argv[i + 1] : NULL;
      continue;
    }
    if (!strcmp(argv[i], "-t")) {  // The text view open (-t 1) or not (-t 0) in those
      text = atoi(argv[i + 1]) != 0;
      continue;
    }
    UhHost* host = uh_open(argv[i], w, h);
    int     r[4];
    uh_settle(host, 400);
    if (uh_find(host, "button", "fit", r)) {
      uh_click(host, r[0] + r[2] / 2, r[1] + r[3] / 2, 1);  // Focus, and fit
      uh_key(host, "Escape", false);
      uh_settle(host, 50);
    }
    if (open && uh_find(host, "node", open, r)) {
      uh_double_click(host, r[0] + r[2] / 3, r[1] + 6);
      uh_settle(host, 50);
    }
    if (select && uh_find(host, "node", select, r)) {
      uh_click(host, r[0] + r[2] / 2, r[1] + 6, 1);
      uh_settle(host, 50);
    }
    if (text && uh_find(host, "button", "text", r)) {
      uh_click(host, r[0] + r[2] / 2, r[1] + r[3] / 2, 1);
      uh_settle(host, 50);
    }
    if (!uh_screenshot(host, argv[i + 1])) {
      fprintf(stderr, "ui_shot: cannot write %s\n", argv[i + 1]);
      rc = 1;
    }
    uh_close(host);
  }
  uh_display_stop();
  return rc;
}
