/* Opens the editor on a preset in the test UI host and saves a screenshot:
   ui_shot PRESET OUT.png [WIDTH HEIGHT]. Used to make the documentation's
   pictures (ninja editor-screenshots) and by the test that the editor shows
   a preset's patch. */
#include "ui_host.h"

#include <stdio.h>
#include <stdlib.h>

int
main(int argc, char** argv)
{
  if (argc < 3) {
    fprintf(stderr, "usage: ui_shot PRESET OUT.png [WIDTH HEIGHT]\n");
    return 2;
  }
  const int w  = argc > 4 ? atoi(argv[3]) : 1100;
  const int h  = argc > 4 ? atoi(argv[4]) : 680;
  int       rc = uh_display_start(w + 100, h + 100);
  if (rc) {
    return rc;
  }
  UhHost* host = uh_open(argv[1], w, h);
  uh_settle(host, 400);
  int r[4];
  rc = uh_find(host, "button", "fit", r) && uh_screenshot(host, argv[2]) ? 0 : 1;
  uh_close(host);
  uh_display_stop();
  return rc;
}
