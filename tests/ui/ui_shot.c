/* Opens the editor on presets in the test UI host and saves screenshots:
   ui_shot [-s WIDTHxHEIGHT] PRESET OUT.png [PRESET OUT.png...]. Makes the
   documentation's pictures (ninja editor-screenshots). Exit 77 without Xvfb. */
#include "ui_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char** argv)
{
  int w = 1280, h = 760, first = 1;
  if (argc > 2 && !strcmp(argv[1], "-s")) {
    sscanf(argv[2], "%dx%d", &w, &h);
    first = 3;
  }
  if (argc < first + 2 || (argc - first) % 2) {
    fprintf(stderr, "usage: ui_shot [-s WIDTHxHEIGHT] PRESET OUT.png [PRESET OUT.png...]\n");
    return 2;
  }
  int rc = uh_display_start(w + 100, h + 100);
  if (rc) {
    return rc;
  }
  for (int i = first; i + 1 < argc && !rc; i += 2) {
    UhHost* host = uh_open(argv[i], w, h);
    uh_settle(host, 400);
    if (!uh_screenshot(host, argv[i + 1])) {
      fprintf(stderr, "ui_shot: cannot write %s\n", argv[i + 1]);
      rc = 1;
    }
    uh_close(host);
  }
  uh_display_stop();
  return rc;
}
