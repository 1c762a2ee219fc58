/* SPDX-License-Identifier: ISC */
/* Inside sub-patches, driven like a user on Xvfb in the test UI host (the
   real plugin and the real UI module): a voice group and an instance are
   one box each; a double-click on the group shows its definition's body
   (its nodes, and its inlets and outlets as port nodes) under a breadcrumb,
   Return on a nested instance opens that too, the view is read-only, and
   Escape, BackSpace and a click on the breadcrumb go back out. Skipped (77)
   only when Xvfb is not installed. */
#include "ui_host.h"

#include "uris.h"

#include <lv2/atom/atom.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond, ...)                                                                       \
  do {                                                                                         \
    if (!(cond)) {                                                                             \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                     \
      fprintf(stderr, __VA_ARGS__);                                                            \
      fprintf(stderr, "\n");                                                                   \
      ++failures;                                                                              \
    }                                                                                          \
  } while (0)

static const char* const patch = "name \"Sub Pad\"\n"
                                 "subpatch tone\n"
                                 "  inlet pitch\n"
                                 "  outlet out\n"
                                 "  node o osc\n"
                                 "  link pitch -> o.pitch\n"
                                 "  link o.out -> out\n"
                                 "end\n"
                                 "subpatch voice\n"
                                 "  inlet gate pitch\n"
                                 "  outlet out\n"
                                 "  node t tone\n"
                                 "  node env adsr\n"
                                 "  node amp vca\n"
                                 "  link pitch -> t.pitch\n"
                                 "  link gate -> env.gate\n"
                                 "  link t.out -> amp.in\n"
                                 "  link env.out -> amp.cv\n"
                                 "  link amp.out -> out\n"
                                 "end\n"
                                 "voices pad voice count=8\n"
                                 "node fx voice\n"
                                 "link pad.out -> out.left\n"
                                 "link fx.out -> out.right\n"
                                 "link midi.gate -> fx.gate\n";

/* The nodes the canvas shows, each name followed by a space. */
static void
shown(UhHost* h, const char* const* names, const char* where)
{
  for (size_t i = 0; names[i]; ++i) {
    int r[4];
    CHECK(uh_find(h, "node", names[i], r), "%s: node %s is not shown", where, names[i]);
  }
}

static void
not_shown(UhHost* h, const char* const* names, const char* where)
{
  for (size_t i = 0; names[i]; ++i) {
    int r[4];
    CHECK(!uh_find(h, "node", names[i], r), "%s: node %s is shown", where, names[i]);
  }
}

static void
check_inside(UhHost* h, const char* want, const char* where)
{
  char line[256] = "";
  uh_line(h, "inside", line, sizeof(line));
  CHECK(!strcmp(line, want), "%s: the breadcrumb reads '%s', not '%s'", where, line, want);
}

static const char* const top_nodes[]   = {"pad", "fx", "out", NULL};
static const char* const voice_nodes[] = {"t", "env", "amp", "gate", "pitch", NULL};
static const char* const tone_nodes[]  = {"o", "pitch", "out", NULL};

static bool
title_of(UhHost* h, const char* node, int* x, int* y)
{
  int r[4];
  if (!uh_find(h, "node", node, r)) {
    fprintf(stderr, "FAIL: the editor shows no node %s\n", node);
    ++failures;
    return false;
  }
  *x = r[0] + r[2] / 3;
  *y = r[1] + 6;
  return true;
}

static void
open_group(UhHost* h)
{
  int x, y;
  shown(h, top_nodes, "top");
  not_shown(h, (const char* const[]){"env", "t", NULL}, "top");
  check_inside(h, "Sub Pad", "top");
  if (!title_of(h, "pad", &x, &y)) {
    return;
  }
  uh_double_click(h, x, y);
  uh_settle(h, 50);
  shown(h, voice_nodes, "inside pad");
  not_shown(h, (const char* const[]){"pad", "fx", "o", NULL}, "inside pad");
  check_inside(h, "Sub Pad > pad (voice \xc3\x97" "8)", "inside pad");
  int r[4];
  CHECK(uh_find(h, "crumb", "0", r) && uh_find(h, "crumb", "1", r),
        "inside pad: no breadcrumbs");
  // The inlet's port node is left of the node it feeds, the outlet's right of its source.
  int in[4], env[4], out[4], amp[4];
  if (uh_find(h, "node", "gate", in) && uh_find(h, "node", "env", env) &&
      uh_find(h, "node", "out", out) && uh_find(h, "node", "amp", amp)) {
    CHECK(in[0] + in[2] <= env[0], "inside pad: inlet gate is not left of env");
    CHECK(out[0] >= amp[0] + amp[2], "inside pad: outlet out is not right of amp");
  }
}

/* Read-only: moving a node inside sends nothing and says why. */
static void
read_only(UhHost* h)
{
  int            x, y;
  const uint32_t sent = uh_sent_count(h);
  if (!title_of(h, "env", &x, &y)) {
    return;
  }
  uh_click(h, x, y, 1);
  uh_key(h, "Left", false);  // A nudge would move the selection
  uh_settle(h, 20);
  char error[256] = "";
  uh_line(h, "error", error, sizeof(error));
  CHECK(!strcmp(error, "a sub-patch is shown read-only: go back up (Escape) to edit"),
        "read-only: the error reads '%s'", error);
  for (uint32_t i = sent; i < uh_sent_count(h); ++i) {
    CHECK(strstr(uh_sent_what(h, i), "monitor") || strstr(uh_sent_what(h, i), "Get"),
          "read-only: the editor sent %s", uh_sent_what(h, i));
  }
}

static void
nested_and_back(UhHost* h)
{
  int x, y;
  if (title_of(h, "t", &x, &y)) {
    uh_click(h, x, y, 1);
    uh_key(h, "Return", false);
    uh_settle(h, 50);
  }
  shown(h, tone_nodes, "inside pad/t");
  not_shown(h, (const char* const[]){"env", "amp", NULL}, "inside pad/t");
  check_inside(h, "Sub Pad > pad (voice \xc3\x97" "8) > t (tone)", "inside pad/t");
  uh_key(h, "BackSpace", false);
  uh_settle(h, 20);
  shown(h, voice_nodes, "back in pad");
  check_inside(h, "Sub Pad > pad (voice \xc3\x97" "8)", "back in pad");
  uh_key(h, "Escape", false);
  uh_settle(h, 20);
  shown(h, top_nodes, "back at the top");
  check_inside(h, "Sub Pad", "back at the top");
  // The instance opens the same way; its breadcrumb says so; a click on the patch's goes back.
  if (title_of(h, "fx", &x, &y)) {
    uh_double_click(h, x, y);
    uh_settle(h, 50);
  }
  shown(h, voice_nodes, "inside fx");
  check_inside(h, "Sub Pad > fx (voice)", "inside fx");
  int r[4];
  if (uh_find(h, "crumb", "0", r)) {
    uh_click(h, r[0] + r[2] / 2, r[1] + r[3] / 2, 1);
    uh_settle(h, 20);
  }
  shown(h, top_nodes, "after the breadcrumb");
  check_inside(h, "Sub Pad", "after the breadcrumb");
}

int
main(void)
{
  int rc = uh_display_start(1400, 900);
  if (rc) {
    return rc;
  }
  UhHost* h = uh_open(NULL, 1200, 760);
  uh_settle(h, 400);
  CHECK(sh_host_patch_set_string(uh_plugin(h), 0, -1, STRATA__patch, LV2_ATOM__String, patch),
        "the patch was not sent");
  uh_run(h, 200, NULL, NULL);
  uh_settle(h, 200);
  open_group(h);
  read_only(h);
  nested_and_back(h);
  uh_close(h);
  uh_display_stop();
  printf("%s: %d failures\n", failures ? "FAIL" : "ok", failures);
  return failures ? 1 : 0;
}
