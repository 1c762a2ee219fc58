/* SPDX-License-Identifier: ISC */
/* A small LV2 UI host for the editor's tests: the real plugin (through the
   host library, tools/host) and the real UI module from the plugin's
   bundle (dlopen + lv2ui_descriptor), embedded in a window of this host on
   a private Xvfb display, driven with XTest like a user. The UI's atoms go
   into the plugin's control port and the plugin's notify atoms into the
   UI's port_event, as a real host routes them; the plugin runs, works and
   answers in this host's loop. Where things are on screen comes from the
   file the UI writes under STRATA_UI_TRACE (tests only). */
#ifndef UH_UI_HOST_H
#define UH_UI_HOST_H

#include "strata_host.h"

#include <X11/Xlib.h>

#include <stdbool.h>
#include <stdint.h>

#define UH_BLOCK 256      ///< Frames per plugin block
#define UH_MAX_SENT 4096  ///< UI messages remembered

typedef struct UhHost UhHost;

/* Starts a private Xvfb (DISPLAY set for this process and its UI). Returns
   0, or 77 when Xvfb is not installed (the test is then skipped), or 1. */
int  uh_display_start(int width, int height);
void uh_display_stop(void);

/* Loads the plugin (and `preset`, a label, when not NULL) and opens its UI
   in a `width` x `height` window. Exits the process on failure. */
UhHost* uh_open(const char* preset, int width, int height);
void    uh_close(UhHost* h);

ShHost*  uh_plugin(UhHost* h);
Display* uh_display(UhHost* h);
void*    uh_ui_handle(UhHost* h);

/* Runs `blocks` plugin blocks, each followed by the notify atoms into the
   UI and one idle() of the UI. `out_l`, `out_r` (may be NULL) take
   blocks * UH_BLOCK frames. */
void uh_run(UhHost* h, int blocks, float* out_l, float* out_r);

/* Runs `blocks` plugin blocks, each followed by the notify atoms into the
   UI, without the UI's idle(). */
void uh_run_plugin(UhHost* h, int blocks);

/* Runs until the UI's messages sent so far are all answered (and a frame
   drawn after), at most `max_blocks`. False when some stayed unanswered. */
bool uh_settle(UhHost* h, int max_blocks);

/* The UI's messages: how many were sent, and the sequence number of each. */
uint32_t uh_sent_count(const UhHost* h);
int32_t  uh_sent_seq(const UhHost* h, uint32_t i);
/* What message i was: its type and property ("Set monitor"). */
const char* uh_sent_what(const UhHost* h, uint32_t i);
/* The plugin's reply to sequence number `seq`, or NULL. */
const ShReply* uh_reply(UhHost* h, int32_t seq);

/* The plugin's patch text as its own patch:Get answers it (malloc'd). */
char* uh_get_patch(UhHost* h);

/* From the UI's last traced frame: the rectangle (x, y, w, h; a point has
   w = h = 0) of the thing `what` named `name` ("node vcf", "in vcf.in",
   "param cutoff", "macro 3", "button undo", "palette osc"), or false; and
   the rest of a line starting with `what` ("error"). */
bool uh_find(UhHost* h, const char* what, const char* name, int r[4]);
bool uh_line(UhHost* h, const char* what, char* rest, size_t size);

/* XTest: pointer moves, clicks, drags, keys and typing, each followed by
   enough plugin blocks for the UI to act on it. */
void uh_click(UhHost* h, int x, int y, unsigned button);
void uh_double_click(UhHost* h, int x, int y);
void uh_drag(UhHost* h, int x0, int y0, int x1, int y1, bool shift);
void uh_key(UhHost* h, const char* keysym_name, bool ctrl);
void uh_type(UhHost* h, const char* text);

/* One idle() of the UI, nothing else. */
void uh_idle(UhHost* h);

/* Resizes the host's window and the UI's in it, as a host's wrapper does. */
void uh_resize(UhHost* h, int width, int height);

/* Shows or hides the host's window (and so the UI in it). */
void uh_set_shown(UhHost* h, bool shown);

/* Presses at (x, y) and moves right and left by one pixel `moves` times
   (each move followed by one plugin block and one idle()), then releases. */
void uh_press_drag(UhHost* h, int x, int y, int moves);

/* CPU time spent in the UI's calls (port_event, idle) so far, seconds. */
double uh_ui_cpu_seconds(const UhHost* h);

/* The process's CPU time (user + system, seconds). */
double uh_cpu_seconds(void);

/* Saves the UI window's pixels as a PNG (cairo). */
bool uh_screenshot(UhHost* h, const char* path);

#endif
