/* SPDX-License-Identifier: ISC */
/* Ardour's inline display (http://harrisonconsoles.com/lv2/inlinedisplay):
   a small picture the host shows in its mixer strip, here the patch name
   and a meter of the plugin's output. The host calls render() from its GUI
   thread; run() measures the output and asks for a redraw (queue_draw, which
   the extension lets the audio thread call) at most ST_DISPLAY_PER_SECOND
   times a second, when the meter moved or the name changed. The picture is
   drawn pixel by pixel into a buffer allocated at instantiate: the plugin
   needs no cairo and no X11.

   The extension's header is not packaged in Debian: its types are declared
   here with the same layout, as its specification gives them. */
#ifndef ST_INLINE_DISPLAY_H
#define ST_INLINE_DISPLAY_H

#include <lv2/core/lv2.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define ST_INLINEDISPLAY_URI "http://harrisonconsoles.com/lv2/inlinedisplay"
#define ST_INLINEDISPLAY__interface ST_INLINEDISPLAY_URI "#interface"
#define ST_INLINEDISPLAY__queue_draw ST_INLINEDISPLAY_URI "#queue_draw"

/* LV2_Inline_Display_Image_Surface: ARGB32, premultiplied, native endian. */
typedef struct {
  unsigned char* data;    ///< Pixels, `stride` bytes a row
  int            width;   ///< Pixels
  int            height;  ///< Pixels
  int            stride;  ///< Bytes of a row
} StInlineSurface;

/* LV2_Inline_Display_Interface, the plugin's extension data. */
typedef struct {
  StInlineSurface* (*render)(LV2_Handle instance, uint32_t width, uint32_t max_height);
} StInlineInterface;

/* LV2_Inline_Display, the host's queue_draw feature. */
typedef struct {
  void* handle;
  void (*queue_draw)(void* handle);
} StInlineQueue;

#define ST_DISPLAY_MAX_W 640          ///< Widest picture drawn; wider requests get this
#define ST_DISPLAY_MAX_H 64           ///< Tallest picture drawn
#define ST_DISPLAY_PER_SECOND 15      ///< Most redraws run() asks for a second
#define ST_DISPLAY_FLOOR_DB (-60.0f)  ///< The meter's empty end
#define ST_DISPLAY_TOP_DB 6.0f        ///< The meter's full end
#define ST_DISPLAY_NAME 64            ///< Bytes of the name shown (ST_PATCH_NAME_MAX)

typedef struct {
  const StInlineQueue* queue;  ///< The host's queue_draw, or NULL
  uint32_t*       pixels;   ///< ST_DISPLAY_MAX_W * ST_DISPLAY_MAX_H, allocated at instantiate
  StInlineSurface surface;  ///< What render() returns

  // Between run() and render().
  atomic_uint peak_bits;     ///< Output peak since render() last took it (float bits)
  atomic_bool rendered;      ///< A host renders: run() measures even without queue_draw
  atomic_bool name_changed;  ///< The patch name may have changed: redraw

  // render() (GUI thread).
  float meter;                  ///< Level shown, falling back between renders
  char  name[ST_DISPLAY_NAME];  ///< The patch name last read

  // run() (audio thread).
  uint64_t wait;         ///< Frames until a redraw may be asked again
  float    period_peak;  ///< Output peak since the last redraw was considered
  int32_t  drawn_step;   ///< Meter step (half dB) at the last redraw asked
} StDisplay;

/* Allocates the picture; `queue` is the host's feature or NULL. */
bool st_display_init(StDisplay* d, const StInlineQueue* queue);
void st_display_free(StDisplay* d);

/* Audio thread, after rendering `frames` into `out` (channels may be NULL). */
void st_display_run(StDisplay* d, const float* const out[2], uint32_t frames, float rate);

/* Draws the picture for a host `width` wide and at most `max_height` tall,
   with the patch name `name` (NULL: keep the last one). GUI thread. */
StInlineSurface* st_display_render(StDisplay* d, const char* name, uint32_t width,
                                   uint32_t max_height);

/* The meter's filled width in pixels for `peak` over a bar `width` wide. */
uint32_t st_display_meter_width(float peak, uint32_t width);

#endif
