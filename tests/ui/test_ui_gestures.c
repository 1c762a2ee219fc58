/* SPDX-License-Identifier: ISC */
/* The editor driven like a user, on Xvfb with XTest, in the test UI host:
   the real plugin and the real UI module. After each gesture: the plugin's
   own answer (an Ack for every message the gesture sent, with its sequence
   number), the patch the plugin reports (its patch:Get text) holding the
   change, and the sound changing where it should (rendered before and
   after). Skipped (77) only when Xvfb is not installed. */
#include "ui_host.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RENDER_BLOCKS 64  ///< 16384 frames, about 0.34 s at 48 kHz
#define FRAMES (RENDER_BLOCKS * UH_BLOCK)

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

typedef struct {
  double rms_l, rms_r;
  double crossings;  ///< Upward zero crossings of the left channel per second
} Sound;

static Sound
render(UhHost* h)
{
  static float l[FRAMES], r[FRAMES];
  uh_run(h, RENDER_BLOCKS, l, r);
  Sound  s  = {0, 0, 0};
  double sl = 0, sr = 0;
  for (int i = 0; i < FRAMES; ++i) {
    sl += (double)l[i] * l[i];
    sr += (double)r[i] * r[i];
    s.crossings += i > 0 && l[i - 1] <= 0.0f && l[i] > 0.0f;
  }
  s.rms_l     = sqrt(sl / FRAMES);
  s.rms_r     = sqrt(sr / FRAMES);
  s.crossings = s.crossings * 48000.0 / FRAMES;
  return s;
}

/* Every message the UI sent since `from` was answered with an Ack. */
static void
check_acks(UhHost* h, uint32_t from, const char* gesture)
{
  CHECK(uh_sent_count(h) > from, "%s: the UI sent nothing", gesture);
  for (uint32_t i = from; i < uh_sent_count(h); ++i) {
    const int32_t  seq = uh_sent_seq(h, i);
    const ShReply* r   = uh_reply(h, seq);
    CHECK(seq >= 0, "%s: message %u has no sequence number", gesture, i);
    CHECK(r && sh_reply_is_ack(uh_plugin(h), r), "%s: message %d (%s): %s", gesture, seq,
          uh_sent_what(h, i), r ? (r->message ? r->message : "not an Ack") : "no answer");
  }
}

/* The text with each run of blanks made one space (the writer aligns columns). */
static void
squeeze(char* text)
{
  char* out = text;
  for (const char* in = text; *in; ++in) {
    if (!(*in == ' ' && out > text && out[-1] == ' ')) {
      *out++ = *in;
    }
  }
  *out = '\0';
}

static void
check_patch(UhHost* h, const char* gesture, const char* must, const char* must_not)
{
  char* text = uh_get_patch(h);
  if (text) {
    squeeze(text);
  }
  CHECK(text, "%s: no patch:Get answer", gesture);
  if (text && must) {
    CHECK(strstr(text, must), "%s: the patch lacks '%s':\n%s", gesture, must, text);
  }
  if (text && must_not) {
    CHECK(!strstr(text, must_not), "%s: the patch still has '%s':\n%s", gesture, must_not,
          text);
  }
  free(text);
}

static void
center(const int r[4], int* x, int* y)
{
  *x = r[0] + r[2] / 2;
  *y = r[1] + r[3] / 2;
}

static bool
find(UhHost* h, const char* what, const char* name, int* x, int* y)
{
  int r[4];
  if (!uh_find(h, what, name, r)) {
    fprintf(stderr, "FAIL: the editor shows no %s %s\n", what, name);
    ++failures;
    return false;
  }
  center(r, x, y);
  return true;
}

/* Add an oscillator from the palette: typed, picked, placed. Not linked, so silent. */
static void
add_oscillator(UhHost* h)
{
  int      x, y;
  uint32_t from   = uh_sent_count(h);
  Sound    before = render(h);
  if (!find(h, "button", "add", &x, &y)) {
    return;
  }
  uh_click(h, x, y, 1);
  uh_type(h, "osc");
  uh_settle(h, 50);
  if (!find(h, "palette", "osc", &x, &y)) {
    return;
  }
  uh_click(h, x, y, 1);
  CHECK(uh_settle(h, 400), "add: unanswered messages");
  check_acks(h, from, "add");
  check_patch(h, "add", "node osc osc", NULL);
  Sound after = render(h);
  CHECK(after.rms_l == before.rms_l && after.rms_r == before.rms_r,
        "add: an unlinked oscillator changed the sound (%g -> %g)", before.rms_l, after.rms_l);
}

/* Drag a cable from the new oscillator to the left output: it replaces what
   was there in one edit, and the left channel now plays the oscillator. */
static void
cable_to_output(UhHost* h)
{
  int      x0, y0, x1, y1;
  uint32_t from = uh_sent_count(h);
  if (!find(h, "out", "osc.out", &x0, &y0) || !find(h, "in", "out.left", &x1, &y1)) {
    return;
  }
  uh_drag(h, x0, y0, x1, y1, false);
  CHECK(uh_settle(h, 400), "cable: unanswered messages");
  check_acks(h, from, "cable");
  check_patch(h, "cable", "link osc.out -> out.left", "link amp.out -> out.left");
  Sound s = render(h);
  CHECK(s.rms_l > 0.05, "cable: the left output is silent (rms %g)", s.rms_l);
  CHECK(s.rms_r == 0.0, "cable: the right output changed (rms %g)", s.rms_r);
  CHECK(fabs(s.crossings - 440.0) < 15.0, "cable: %g crossings a second, not 440", s.crossings);
}

/* Selects a node with a click on its box. */
static void
select_node(UhHost* h, const char* name)
{
  int x, y;
  if (find(h, "node", name, &x, &y)) {
    uh_click(h, x, y - 6, 1);
    uh_settle(h, 50);
  }
}

/* Select the oscillator and drag its freq control right: it rises. */
static void
turn_knob(UhHost* h, double* hz)
{
  int      x, y, r[4];
  uint32_t from = uh_sent_count(h);
  select_node(h, "osc");
  if (!uh_find(h, "param", "freq", r)) {
    char frame[64] = "";
    uh_line(h, "frame", frame, sizeof(frame));
    CHECK(0, "knob: the selected oscillator shows no freq control (frame %s)", frame);
    return;
  }
  center(r, &x, &y);
  uh_drag(h, x, y, x + 40, y, false);
  CHECK(uh_settle(h, 400), "knob: unanswered messages");
  check_acks(h, from, "knob");
  check_patch(h, "knob", "node osc osc freq=", "node osc osc\n");
  Sound s = render(h);
  CHECK(s.crossings > 480.0, "knob: %g crossings a second, not above 440", s.crossings);
  *hz = s.crossings;
}

/* Right-clicks the freq control and picks macro 3: the map prompt opens. */
static bool
open_map_prompt(UhHost* h)
{
  int x, y, r[4];
  if (!uh_find(h, "param", "freq", r)) {
    CHECK(0, "macro: no freq control");
    return false;
  }
  center(r, &x, &y);
  uh_click(h, x, y, 3);
  uh_settle(h, 20);
  if (!find(h, "macromenu", "3", &x, &y)) {
    return false;
  }
  uh_click(h, x, y, 1);
  uh_settle(h, 20);
  return true;
}

/* Whether an edit went out since message `from` (the editor also asks for
   level reports, "Set monitor", when it likes). */
static bool
edits_since(UhHost* h, uint32_t from)
{
  for (uint32_t i = from; i < uh_sent_count(h); ++i) {
    if (strcmp(uh_sent_what(h, i), "Set monitor")) {
      return true;
    }
  }
  return false;
}

/* Empties the prompt and types `entry` into it. */
static void
retype(UhHost* h, const char* entry)
{
  for (int k = 0; k < 40; ++k) {
    uh_key(h, "BackSpace", false);
  }
  uh_type(h, entry);
}

/* Map macro 3 onto the oscillator's freq (right-click, pick 3, type its
   range, curve and label), then move macro 3 in the strip: the pitch follows
   the macro. Escape and an entry out of range send nothing. */
static void
map_macro(UhHost* h, double knob_hz)
{
  int      r[4];
  uint32_t from = uh_sent_count(h);
  select_node(h, "osc");
  if (!open_map_prompt(h)) {
    return;
  }
  uh_key(h, "Escape", false);
  CHECK(!edits_since(h, from), "macro: Escape sent an edit");
  if (!open_map_prompt(h)) {
    return;
  }
  retype(h, "100..50000 exp \"Pitch\"");
  uh_key(h, "Return", false);
  uh_settle(h, 20);
  CHECK(!edits_since(h, from), "macro: a range beyond 20000 Hz sent an edit");
  retype(h, "100..2000 exp \"Pitch\"");
  uh_key(h, "Return", false);
  CHECK(uh_settle(h, 400), "macro: unanswered messages");
  CHECK(edits_since(h, from), "macro: the map was not sent");
  check_acks(h, from, "macro");
  check_patch(h, "macro", "macro 3 osc.freq 100..2000 exp \"Pitch\"", NULL);
  if (!uh_find(h, "macro", "3", r)) {
    CHECK(0, "macro: the strip shows no macro 3");
    return;
  }
  uh_click(h, r[0] + r[2] * 9 / 10, r[1] + r[3] / 2, 1);
  uh_settle(h, 20);
  Sound s = render(h);
  CHECK(fabs(s.crossings - knob_hz) > 100.0, "macro: moving macro 3 left the pitch at %g Hz",
        s.crossings);
}

/* Undo: the map goes, so macro 3 no longer moves the pitch. */
static void
undo(UhHost* h)
{
  int      x, y, r[4];
  uint32_t from = uh_sent_count(h);
  if (!find(h, "button", "undo", &x, &y)) {
    return;
  }
  uh_click(h, x, y, 1);
  CHECK(uh_settle(h, 400), "undo: unanswered messages");
  check_acks(h, from, "undo");
  check_patch(h, "undo", "node osc osc", "macro 3 osc.freq");
  Sound before = render(h);
  if (!uh_find(h, "macro", "3", r)) {
    CHECK(0, "undo: the strip shows no macro 3");
    return;
  }
  uh_click(h, r[0] + r[2] / 10, r[1] + r[3] / 2, 1);
  uh_settle(h, 20);
  Sound after = render(h);
  CHECK(fabs(after.crossings - before.crossings) < 0.01 * before.crossings + 5.0,
        "undo: macro 3 still moves the pitch (%g -> %g)", before.crossings, after.crossings);
}

/* Type a broken line into the text view and apply it: the error is marked
   at its line, nothing reaches the plugin, the sound does not change. */
static void
broken_text(UhHost* h)
{
  int   x, y, r[4];
  Sound before = render(h);
  if (!find(h, "button", "text", &x, &y)) {
    return;
  }
  uh_click(h, x, y, 1);
  uh_settle(h, 20);
  if (!uh_find(h, "textview", "-", r)) {
    CHECK(0, "text: no text view");
    return;
  }
  uh_click(h, r[0] + r[2] / 2, r[1] + 40, 1);
  uh_key(h, "End", true);  // ctrl+End: the end of the text
  uh_type(h, "\nnode bad nosuchtype\n");
  const uint32_t from = uh_sent_count(h);
  uh_key(h, "Return", true);  // ctrl+Return applies
  uh_settle(h, 100);
  char line[300] = "", place[64] = "";
  uh_line(h, "error", line, sizeof(line));
  uh_line(h, "errorline", place, sizeof(place));
  CHECK(strstr(line, "nosuchtype"), "text: the error shown is '%s'", line);
  CHECK(atoi(place) > 0, "text: no error line marked (%s)", place);
  for (uint32_t i = from; i < uh_sent_count(h); ++i) { // The level keep-alive may go out
    CHECK(!strcmp(uh_sent_what(h, i), "Set monitor"),
          "text: a broken patch reached the plugin (%s)", uh_sent_what(h, i));
  }
  check_patch(h, "text", "node osc osc", "nosuchtype");
  Sound after = render(h);
  // Nothing was sent: the same tone (the two windows cut a period differently).
  CHECK(fabs(after.rms_l - before.rms_l) < 1e-3 * before.rms_l &&
          fabs(after.crossings - before.crossings) < 0.01 * before.crossings + 5.0,
        "text: the sound changed (rms %g -> %g, %g -> %g crossings a second)", before.rms_l,
        after.rms_l, before.crossings, after.crossings);
}

/* Save the patch to a file (the prompt offers $HOME/patch.strata), rename
   the oscillator (F2), then load the file back: the old name returns. */
static void
files_and_rename(UhHost* h, const char* home)
{
  int  x, y;
  char path[600];
  snprintf(path, sizeof(path), "%s/patch.strata", home);
  if (!find(h, "button", "save", &x, &y)) {
    return;
  }
  uh_click(h, x, y, 1);
  uh_key(h, "Return", false);
  FILE* f          = fopen(path, "r");
  char  text[8192] = "";
  if (f) {
    text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
    fclose(f);
  }
  squeeze(text);
  CHECK(strstr(text, "node osc osc"), "save: %s does not hold the patch:\n%s", path, text);

  uint32_t from = uh_sent_count(h);
  select_node(h, "osc");
  uh_key(h, "F2", false);
  for (int k = 0; k < 3; ++k) {
    uh_key(h, "BackSpace", false);
  }
  uh_type(h, "lead");
  uh_key(h, "Return", false);
  CHECK(uh_settle(h, 400), "rename: unanswered messages");
  check_acks(h, from, "rename");
  check_patch(h, "rename", "node lead osc", "node osc osc");

  from = uh_sent_count(h);
  if (!find(h, "button", "load", &x, &y)) {
    return;
  }
  uh_click(h, x, y, 1);
  uh_key(h, "Return", false);
  CHECK(uh_settle(h, 400), "load: unanswered messages");
  check_acks(h, from, "load");
  check_patch(h, "load", "node osc osc", "node lead osc");
}

/* The host resizes the editor: it lays itself out in the new size (the
   macro strip spans the new width). */
static void
resized(UhHost* h, int scale)
{
  int  r[4];
  char frame[128] = "";
  uh_resize(h, 1000 * scale, 640 * scale);
  uh_line(h, "frame", frame, sizeof(frame));
  int n = 0, w = 0, height = 0;
  sscanf(frame, "%d %d %d", &n, &w, &height);
  CHECK(w == 1000 * scale && height == 640 * scale, "resize: the editor draws %dx%d", w,
        height);
  CHECK(uh_find(h, "macro", "16", r) && r[0] + r[2] <= 1000 * scale &&
          r[0] + r[2] > 960 * scale,
        "resize: macro 16 ends at %d, not at the new right edge", r[0] + r[2]);
  uh_resize(h, 1200 * scale, 760 * scale);
}

/* The number of the last frame the editor drew. */
static long
frames(UhHost* h)
{
  char line[128] = "";
  uh_line(h, "frame", line, sizeof(line));
  return atol(line);
}

/* Nothing changes for 3 s (the plugin playing, level reports coming, the
   editor's keep-alive of them answered): nothing is drawn. (After a second
   for the patch just loaded to settle: its first level report can differ.) */
static void
idle(UhHost* h)
{
  uh_settle(h, 100);
  for (int k = 0; k < 40; ++k) {
    uh_run(h, 1, NULL, NULL);
    struct timespec d = {0, 25000000};
    nanosleep(&d, NULL);
  }
  const long before = frames(h);
  for (int k = 0; k < 120; ++k) {
    uh_run(h, 1, NULL, NULL);
    struct timespec d = {0, 25000000};
    nanosleep(&d, NULL);
  }
  CHECK(frames(h) == before, "idle: %ld frames drawn while nothing changed",
        frames(h) - before);
}

/* Hidden (the host hides its window), the editor draws nothing, even when
   the host automates a macro; shown again, it draws the macro's new value. */
static void
hidden(UhHost* h)
{
  uh_set_shown(h, false);
  for (int k = 0; k < 60; ++k) {  // Past the editor's check that it is seen (1 s)
    uh_run(h, 1, NULL, NULL);
    struct timespec d = {0, 25000000};
    nanosleep(&d, NULL);
  }
  const long before = frames(h);
  sh_host_set_control(uh_plugin(h), 6, 0.625f);  // Host automation of macro 1
  for (int k = 0; k < 20; ++k) {
    uh_run(h, 1, NULL, NULL);
    struct timespec d = {0, 25000000};
    nanosleep(&d, NULL);
  }
  CHECK(frames(h) == before, "hidden: %ld frames drawn while hidden", frames(h) - before);
  uh_set_shown(h, true);
  uh_settle(h, 100);
  char value[64] = "";
  uh_line(h, "macrovalue 1", value, sizeof(value));
  CHECK(frames(h) > before, "hidden: nothing drawn once shown again");
  CHECK(atof(value) == 0.625, "hidden: macro 1 shows %s, not the host's 0.625", value);
}

int
main(void)
{
  // At HiDPI scale 2 (STRATA_UI_SCALE=2) the same gestures, in a window twice the size.
  const int scale = getenv("STRATA_UI_SCALE") ? atoi(getenv("STRATA_UI_SCALE")) : 1;
  int       rc    = uh_display_start(1400 * scale, 900 * scale);
  if (rc) {
    return rc;
  }
  // The prompt offers files in $HOME: a folder of this test's own.
  char home[] = "/tmp/strata-ui-home-XXXXXX";
  if (!mkdtemp(home)) {
    return 1;
  }
  setenv("HOME", home, 1);
  UhHost* h       = uh_open(NULL, 1200 * scale, 760 * scale);
  double  knob_hz = 0.0;
  add_oscillator(h);
  cable_to_output(h);
  turn_knob(h, &knob_hz);
  map_macro(h, knob_hz);
  undo(h);
  broken_text(h);
  uh_key(h, "Escape", false);  // Out of the text view
  files_and_rename(h, home);
  resized(h, scale);
  idle(h);
  hidden(h);
  uh_close(h);
  // The size is remembered for the next window (logical pixels).
  char size_path[600], size[64] = "";
  snprintf(size_path, sizeof(size_path), "%s/strata/ui-size", getenv("XDG_CONFIG_HOME"));
  FILE* f = fopen(size_path, "r");
  if (f) {
    size[fread(size, 1, sizeof(size) - 1, f)] = '\0';
    fclose(f);
  }
  CHECK(!strcmp(size, "1200 760\n"), "size: %s holds '%s', not '1200 760'", size_path, size);
  uh_display_stop();
  char path[600];
  snprintf(path, sizeof(path), "%s/patch.strata", home);
  unlink(path);
  rmdir(home);
  printf("%s: %d failures\n", failures ? "FAIL" : "ok", failures);
  return failures ? 1 : 0;
}
