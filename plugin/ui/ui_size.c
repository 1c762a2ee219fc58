/* SPDX-License-Identifier: ISC */
/* The remembered window size (ui_size.h). */
#include "ui_size.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static bool
size_path(char* path, size_t size, bool make_dir)
{
  const char* xdg  = getenv("XDG_CONFIG_HOME");
  const char* home = getenv("HOME");
  char        dir[512];
  if (xdg && *xdg) {
    snprintf(dir, sizeof(dir), "%s/strata", xdg);
  } else if (home && *home) {
    snprintf(dir, sizeof(dir), "%s/.config/strata", home);
  } else {
    return false;
  }
  if (make_dir) {
    char parent[512];
    snprintf(parent, sizeof(parent), "%.*s", (int)(sizeof(parent) - 1), dir);
    for (char* p = parent + 1; *p; ++p) {  // mkdir -p
      if (*p == '/') {
        *p = '\0';
        mkdir(parent, 0755);
        *p = '/';
      }
    }
    mkdir(parent, 0755);
  }
  return snprintf(path, size, "%s/ui-size", dir) < (int)size;
}

bool
st_ui_size_load(int* w, int* h)
{
  char path[600];
  if (!size_path(path, sizeof(path), false)) {
    return false;
  }
  FILE* f = fopen(path, "r");
  if (!f) {
    return false;
  }
  int  a = 0, b = 0;
  bool ok = fscanf(f, "%d %d", &a, &b) == 2 && a >= 320 && b >= 240 && a <= 8192 && b <= 8192;
  fclose(f);
  if (ok) {
    *w = a;
    *h = b;
  }
  return ok;
}

void
st_ui_size_save(int w, int h)
{
  char path[600];
  if (!size_path(path, sizeof(path), true)) {
    return;
  }
  FILE* f = fopen(path, "w");
  if (f) {
    fprintf(f, "%d %d\n", w, h);
    fclose(f);
  }
}
