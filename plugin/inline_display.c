/* SPDX-License-Identifier: ISC */
#include "inline_display.h"

#include "display_font.h"
#include "graph.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(ST_DISPLAY_NAME == ST_PATCH_NAME_MAX, "the display shows the whole patch name");

#define BACKGROUND 0xff1c1d22u
#define TEXT 0xffe6e6e6u
#define METER_BACK 0xff34363eu
#define METER_LOW 0xff42b85au   ///< Below -12 dBFS
#define METER_MID 0xffd8c040u   ///< -12..-3 dBFS
#define METER_HIGH 0xffe04838u  ///< Above -3 dBFS

bool
st_display_init(StDisplay* d, const StInlineQueue* queue)
{
  memset(d, 0, sizeof(*d));
  d->queue      = queue && queue->queue_draw ? queue : NULL;
  d->pixels     = calloc((size_t)ST_DISPLAY_MAX_W * ST_DISPLAY_MAX_H, sizeof(uint32_t));
  d->drawn_step = INT32_MIN;
  return d->pixels != NULL;
}

void
st_display_free(StDisplay* d)
{
  free(d->pixels);
}

/* --- Audio thread --- */

static float
as_float(unsigned bits)
{
  float f;
  memcpy(&f, &bits, sizeof(f));
  return f;
}

static unsigned
as_bits(float f)
{
  unsigned bits;
  memcpy(&bits, &f, sizeof(bits));
  return bits;
}

/* Raises the peak render() will take, unless render() took a larger one meanwhile. */
static void
raise_peak(StDisplay* d, float peak)
{
  unsigned old = atomic_load_explicit(&d->peak_bits, memory_order_relaxed);
  while (as_float(old) < peak &&
         !atomic_compare_exchange_weak_explicit(&d->peak_bits, &old, as_bits(peak),
                                                memory_order_relaxed, memory_order_relaxed)) {
  }
}

/* The meter in half-dB steps, so that redraws follow what the eye can see. */
static int32_t
meter_step(float peak)
{
  const float db = peak > 0.0f ? 20.0f * log10f(peak) : ST_DISPLAY_FLOOR_DB;
  return (int32_t)lrintf(2.0f * fmaxf(db, ST_DISPLAY_FLOOR_DB));
}

void
st_display_run(StDisplay* d, const float* const out[2], uint32_t frames, float rate)
{
  if (!d->queue && !atomic_load_explicit(&d->rendered, memory_order_relaxed)) {
    return;  // Nobody draws it: measure nothing.
  }
  float peak = 0.0f;
  for (uint32_t c = 0; c < 2; ++c) {
    for (uint32_t i = 0; out[c] && i < frames; ++i) {
      const float a = fabsf(out[c][i]);
      peak          = a > peak ? a : peak;
    }
  }
  raise_peak(d, peak);
  d->period_peak = peak > d->period_peak ? peak : d->period_peak;
  if (d->wait > frames) {
    d->wait -= frames;
    return;
  }
  d->wait            = (uint64_t)(rate / ST_DISPLAY_PER_SECOND) + 1;
  const int32_t step = meter_step(d->period_peak);
  d->period_peak     = 0.0f;
  const bool renamed = atomic_exchange_explicit(&d->name_changed, false, memory_order_relaxed);
  if (d->queue && (step != d->drawn_step || renamed)) {
    d->drawn_step = step;
    d->queue->queue_draw(d->queue->handle);
  }
}

/* --- Drawing (GUI thread) --- */

static void
fill(StDisplay* d, uint32_t x, uint32_t y, uint32_t w, uint32_t h, uint32_t color)
{
  const uint32_t width = (uint32_t)d->surface.width, height = (uint32_t)d->surface.height;
  for (uint32_t r = y; r < y + h && r < height; ++r) {
    uint32_t* row = d->pixels + (size_t)r * width;
    for (uint32_t c = x; c < x + w && c < width; ++c) {
      row[c] = color;
    }
  }
}

/* Text from (x, y), each font pixel `scale` pixels square; clipped at the right. */
static void
draw_text(StDisplay* d, const char* text, uint32_t x, uint32_t y, uint32_t scale,
          uint32_t right)
{
  for (const unsigned char* c = (const unsigned char*)text; *c; ++c) {
    if (x + ST_FONT_W * scale > right) {
      return;
    }
    const uint8_t* rows = st_font_glyph(*c);
    for (uint32_t r = 0; r < ST_FONT_H; ++r) {
      for (uint32_t b = 0; b < ST_FONT_W; ++b) {
        if (rows[r] & (0x10u >> b)) {
          fill(d, x + b * scale, y + r * scale, scale, scale, TEXT);
        }
      }
    }
    x += (ST_FONT_W + 1) * scale;
  }
}

uint32_t
st_display_meter_width(float peak, uint32_t width)
{
  const float db = peak > 0.0f ? 20.0f * log10f(peak) : ST_DISPLAY_FLOOR_DB;
  const float t  = (db - ST_DISPLAY_FLOOR_DB) / (ST_DISPLAY_TOP_DB - ST_DISPLAY_FLOOR_DB);
  return (uint32_t)lrintf((t < 0.0f ? 0.0f : t > 1.0f ? 1.0f : t) * (float)width);
}

/* The bar, coloured by the level each pixel stands for. */
static void
draw_meter(StDisplay* d, uint32_t x, uint32_t y, uint32_t w, uint32_t h)
{
  const uint32_t filled = st_display_meter_width(d->meter, w);
  const uint32_t mid    = st_display_meter_width(powf(10.0f, -12.0f / 20.0f), w);
  const uint32_t high   = st_display_meter_width(powf(10.0f, -3.0f / 20.0f), w);
  fill(d, x, y, w, h, METER_BACK);
  fill(d, x, y, filled < mid ? filled : mid, h, METER_LOW);
  if (filled > mid) {
    fill(d, x + mid, y, (filled < high ? filled : high) - mid, h, METER_MID);
  }
  if (filled > high) {
    fill(d, x + high, y, filled - high, h, METER_HIGH);
  }
}

StInlineSurface*
st_display_render(StDisplay* d, const char* name, uint32_t width, uint32_t max_height)
{
  atomic_store_explicit(&d->rendered, true, memory_order_relaxed);
  if (name) {
    memcpy(d->name, name, sizeof(d->name));
    d->name[sizeof(d->name) - 1] = '\0';
  }
  const float peak =
    as_float(atomic_exchange_explicit(&d->peak_bits, 0u, memory_order_relaxed));
  d->meter = fmaxf(peak, d->meter * 0.7f);  // Falls back over a few redraws.
  // The name in 5x7 glyphs, doubled when the strip is wide and tall enough.
  const uint32_t w      = width < ST_DISPLAY_MAX_W ? (width ? width : 1) : ST_DISPLAY_MAX_W;
  const uint32_t limit  = max_height < ST_DISPLAY_MAX_H ? max_height : ST_DISPLAY_MAX_H;
  const uint32_t scale  = w >= 120 && limit >= 2 * ST_FONT_H + 14 ? 2 : 1;
  const uint32_t margin = 2 * scale;
  const uint32_t bar    = 3 * scale;
  const uint32_t want   = margin + ST_FONT_H * scale + margin + bar + margin;
  const uint32_t h      = want < limit ? want : (limit ? limit : 1);
  d->surface =
    (StInlineSurface){(unsigned char*)d->pixels, (int)w, (int)h, (int)(w * sizeof(uint32_t))};
  fill(d, 0, 0, w, h, BACKGROUND);
  draw_text(d, d->name[0] ? d->name : "Strata", margin, margin, scale, w - margin);
  const uint32_t bar_y = margin + ST_FONT_H * scale + margin;
  if (bar_y < h && w > 2 * margin) {
    draw_meter(d, margin, bar_y, w - 2 * margin, bar < h - bar_y ? bar : h - bar_y);
  }
  return &d->surface;
}
