/* SPDX-License-Identifier: ISC */
/* Ardour's inline display through lilv: the plugin's extension data, the
   picture it renders (the patch name drawn, a meter that grows with a
   louder patch, to the pixel), and the redraws run() asks for (only when
   the picture changes, at most 15 a second). */
#include "plugin_host.h"

#include "inline_display.h"

#include <check.h>
#include <lv2/patch/patch.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 64
#define RATE 48000

#define BACKGROUND 0xff1c1d22u
#define TEXT 0xffe6e6e6u
#define METER_BACK 0xff34363eu

static uint32_t draws;

static void
queue_draw(void* handle)
{
  (void)handle;
  ++draws;
}

static StInlineQueue     queue   = {NULL, queue_draw};
static const LV2_Feature feature = {ST_INLINEDISPLAY__queue_draw, &queue};

static PhHost*
playing(const char* patch, bool with_queue)
{
  const PhConfig config = {.extra_feature = with_queue ? &feature : NULL};
  PhHost*        host   = ph_new(&config);
  ck_assert_ptr_nonnull(host);
  ph_msg_replace(host, 1, patch);
  ph_render(host, 4096, BLOCK, NULL, NULL);
  ck_assert(ph_is_ack(ph_reply(host, 1)));
  ph_clear_replies(host);
  return host;
}

static StInlineSurface*
render(PhHost* host, uint32_t w, uint32_t max_h)
{
  const StInlineInterface* iface = ph_extension(host, ST_INLINEDISPLAY__interface);
  ck_assert_ptr_nonnull(iface);
  StInlineSurface* s = iface->render(ph_handle(host), w, max_h);
  ck_assert_ptr_nonnull(s);
  return s;
}

static uint32_t
pixel(const StInlineSurface* s, int x, int y)
{
  uint32_t p;
  memcpy(&p, s->data + (size_t)y * (size_t)s->stride + (size_t)x * 4, sizeof(p));
  return p;
}

/* Pixels of `color` in rows [y0, y1). */
static uint32_t
count(const StInlineSurface* s, uint32_t color, int y0, int y1)
{
  uint32_t n = 0;
  for (int y = y0; y < y1 && y < s->height; ++y) {
    for (int x = 0; x < s->width; ++x) {
      n += pixel(s, x, y) == color;
    }
  }
  return n;
}

/* The meter's lit pixels on its first row (neither its back nor the background). */
static uint32_t
meter_lit(const StInlineSurface* s)
{
  const int y = s->height - 1 - 2 * 2 - 1;  // Scale 2: a 2-pixel margin below a 6-pixel bar
  uint32_t  n = 0;
  for (int x = 0; x < s->width; ++x) {
    const uint32_t p = pixel(s, x, y);
    n += p != BACKGROUND && p != METER_BACK && p != TEXT;
  }
  return n;
}

static void
set_name(PhHost* host, const char* name)
{
  LV2_Atom_Forge*      f = ph_build(host);
  LV2_Atom_Forge_Frame frame;
  lv2_atom_forge_object(f, &frame, 0, ph_urid(LV2_PATCH__Set));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__sequenceNumber));
  lv2_atom_forge_int(f, 50);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(f, ph_urid(STRATA__name));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__value));
  lv2_atom_forge_string(f, name, (uint32_t)strlen(name));
  lv2_atom_forge_pop(f, &frame);
  ph_send_built(host, 0);
  ph_render(host, 4 * BLOCK, BLOCK, NULL, NULL);
  ck_assert(ph_is_ack(ph_reply(host, 50)));
  ph_clear_replies(host);
}

START_TEST(test_surface)
{
  PhHost*          host = playing("node c const value=0.5\nlink c.out -> out.left\n", false);
  StInlineSurface* s    = render(host, 200, 100);
  ck_assert_int_eq(s->width, 200);
  ck_assert_int_eq(s->stride, 800);
  ck_assert_int_le(s->height, 100);
  ck_assert_int_eq(s->height, 4 + 14 + 4 + 6 + 4);
  ck_assert_uint_eq(pixel(s, 0, 0), BACKGROUND);
  // A narrow, short strip gets the small font; a huge one is clamped.
  s = render(host, 80, 20);
  ck_assert_int_eq(s->width, 80);
  ck_assert_int_le(s->height, 20);
  s = render(host, 5000, 5000);
  ck_assert_int_eq(s->width, ST_DISPLAY_MAX_W);
  ck_assert_int_le(s->height, ST_DISPLAY_MAX_H);
  ph_free(host);
}
END_TEST

/* The name is drawn in the text rows: more glyph pixels for a wider name. */
START_TEST(test_name_drawn)
{
  PhHost* host = playing("node c const value=0.5\nlink c.out -> out.left\n", false);
  set_name(host, "I");
  const uint32_t narrow = count(render(host, 200, 100), TEXT, 0, 18);
  set_name(host, "Poly Pad");
  StInlineSurface* s    = render(host, 200, 100);
  const uint32_t   wide = count(s, TEXT, 0, 18);
  ck_assert_uint_gt(narrow, 0);
  ck_assert_uint_gt(wide, narrow);
  // "I" is 3 + 1 + 1 + 1 + 1 + 1 + 3 font pixels, each 2 x 2 at this size.
  ck_assert_uint_eq(narrow, 11 * 4);
  ck_assert_uint_eq(count(s, TEXT, 18, s->height), 0);  // Nothing below the text rows.
  ph_free(host);
}
END_TEST

/* The bar grows with a louder patch, to the pixel of its dB scale. */
START_TEST(test_meter_grows)
{
  const float levels[] = {0.01f, 0.1f, 0.8f};
  uint32_t    lit[3];
  for (int k = 0; k < 3; ++k) {
    char patch[128];
    snprintf(patch, sizeof(patch), "node c const value=%g\nlink c.out -> out.left\n",
             (double)levels[k]);
    PhHost* host = playing(patch, false);
    render(host, 200, 100);  // A host that draws: from now on run() measures.
    ph_render(host, 4096, BLOCK, NULL, NULL);
    lit[k] = meter_lit(render(host, 200, 100));
    // -60..+6 dBFS over the bar's 192 pixels (200 less two 4-pixel margins).
    const float    db     = 20.0f * log10f(levels[k]);
    const uint32_t expect = (uint32_t)lrintf(
      (db - ST_DISPLAY_FLOOR_DB) / (ST_DISPLAY_TOP_DB - ST_DISPLAY_FLOOR_DB) * 192.0f);
    ck_assert_msg(lit[k] == expect, "level %g: %u pixels lit, expected %u", (double)levels[k],
                  lit[k], expect);
    ph_free(host);
  }
  ck_assert_uint_lt(lit[0], lit[1]);
  ck_assert_uint_lt(lit[1], lit[2]);
}
END_TEST

/* Redraws are asked when the meter moves, at most 15 a second; a steady
   level asks none, and a new name asks one. */
START_TEST(test_queue_draw)
{
  PhHost* host = playing("node l lfo rate=3\nlink l.out -> out.left\n", true);
  draws        = 0;
  ph_render(host, 2 * RATE, BLOCK, NULL, NULL);
  printf("a moving level: %u redraws asked in 2 s\n", draws);
  ck_assert_uint_le(draws, 2 * ST_DISPLAY_PER_SECOND + 1);
  ck_assert_uint_ge(draws,
                    ST_DISPLAY_PER_SECOND);  // The peak of a period repeats near the crests.
  ph_free(host);

  host = playing("node c const value=0.25\nlink c.out -> out.left\n", true);
  ph_render(host, RATE / 2, BLOCK, NULL, NULL);
  draws = 0;
  ph_render(host, RATE, BLOCK, NULL, NULL);
  ck_assert_uint_eq(draws, 0);
  set_name(host, "Renamed");
  ph_render(host, RATE / 5, BLOCK, NULL, NULL);
  ck_assert_uint_eq(draws, 1);
  ph_free(host);
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("plugin inline display");
  TCase* t = tcase_create("display");
  tcase_add_test(t, test_surface);
  tcase_add_test(t, test_name_drawn);
  tcase_add_test(t, test_meter_grows);
  tcase_add_test(t, test_queue_draw);
  suite_add_tcase(s, t);
  SRunner* runner = srunner_create(s);
  srunner_run_all(runner, CK_NORMAL);
  const int failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
