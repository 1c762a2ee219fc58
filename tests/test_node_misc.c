/* SPDX-License-Identifier: ISC */
/* Behaviour of the simpler nodes: delay timing, envelope stages, panning
   law, arithmetic. */
#include "node_harness.h"
#include "node_measure.h"
#include "registry.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0f

/* An impulse through a dry-less delay comes out `time` later: exactly on a
   sample for whole delays, split by the Hermite curve for fractional ones. */
START_TEST(test_delay_time)
{
  const StNodeType* t   = st_registry_find("delay");
  float             v[] = {0.015625f, 0.0f, 1.0f, 0.1f, 0.0f, 0.0f};  // 750 samples, dry-less, free
  NodeRig*          rig = rig_new(t, RATE, v);
  float*            in  = rig_buffer(2048);
  float*            out = rig_buffer(2048);
  in[100]             = 1.0f;
  rig_run1(rig, in, out, 0, 2048);
  ck_assert_float_eq_tol(out[850], 1.0f, 1e-6f);
  ck_assert_float_eq_tol(out[849], 0.0f, 1e-6f);
  ck_assert_float_eq_tol(out[851], 0.0f, 1e-6f);
  rig_free(rig);
  v[0] = 750.5f / RATE;
  rig  = rig_new(t, RATE, v);
  rig_run1(rig, in, out, 0, 2048);
  ck_assert_float_eq_tol(out[850], 0.5625f, 1e-4f);  // Hermite half-way weights
  ck_assert_float_eq_tol(out[851], 0.5625f, 1e-4f);
  ck_assert_float_eq_tol(out[849], -0.0625f, 1e-4f);
  rig_free(rig);
  free(in);
  free(out);
}
END_TEST

/* The attack reaches 1 in about `a`, the decay settles on `s`, the release
   falls to exactly 0 in about `r`. */
START_TEST(test_adsr_stages)
{
  const StNodeType* t    = st_registry_find("adsr");
  float             v[]  = {0.01f, 0.05f, 0.5f, 0.1f, 0.0f};
  NodeRig*          rig  = rig_new(t, RATE, v);
  const size_t      n    = 24000;
  float*            gate = rig_buffer(n);
  float*            out  = rig_buffer(n);
  for (size_t i = 0; i < 9600; ++i) {
    gate[i] = 1.0f;
  }
  rig_run1(rig, gate, out, 0, n);
  size_t top = 0;
  while (top < n && out[top] < 1.0f) {
    ++top;
  }
  ck_assert_msg(fabs((double)top - 480.0) < 10.0, "attack took %zu samples", top);
  ck_assert_float_eq_tol(out[9599], 0.5f, 1e-6f);
  size_t end = 9600;
  while (end < n && out[end] > 0.0f) {
    ++end;
  }
  ck_assert_msg(end - 9600 > 4000 && end - 9600 < 6000, "release took %zu samples", end - 9600);
  ck_assert_float_eq(out[n - 1], 0.0f);
  rig_free(rig);
  free(gate);
  free(out);
}
END_TEST

/* shape=linear: straight ramps, 0 to 1 in a, 1 to s in d, level to 0 in r,
   as the P3 benchmark envelope (bench/peers/spec.py) needs. */
START_TEST(test_adsr_linear)
{
  const StNodeType* t    = st_registry_find("adsr");
  float             v[]  = {0.01f, 0.1f, 0.5f, 0.15f, 1.0f};
  NodeRig*          rig  = rig_new(t, RATE, v);
  const size_t      n    = 24000;
  float*            gate = rig_buffer(n);
  float*            out  = rig_buffer(n);
  for (size_t i = 0; i < 14400; ++i) {
    gate[i] = 1.0f;
  }
  rig_run1(rig, gate, out, 0, n);
  ck_assert_float_eq_tol(out[239], 0.5f, 1e-4f);   // half way up after 5 ms
  ck_assert_float_eq(out[479], 1.0f);              // top after 10 ms
  ck_assert_float_eq_tol(out[479 + 2400], 0.75f, 1e-3f); // half way down the decay
  ck_assert_float_eq(out[479 + 4800 + 1], 0.5f);   // sustain after 100 ms more
  ck_assert_float_eq(out[14399], 0.5f);
  ck_assert_float_eq_tol(out[14399 + 3600], 0.25f, 1e-3f); // release: half way in 75 ms
  ck_assert_float_eq(out[14399 + 7200 + 1], 0.0f);          // 0 after 150 ms
  rig_free(rig);
  free(gate);
  free(out);
}
END_TEST

static uint32_t
split_1(void* ctx)
{
  (void)ctx;
  return 1;
}

static uint32_t
split_17(void* ctx)
{
  (void)ctx;
  return 17;
}

static float shape; // of the envelopes render_linear() makes: 1 linear, 0 analog

/* Renders an envelope with times a, d, r in blocks of `split`; s glides
   from 0.5 to 0.8 at the start (the per-sample path, until it settles at a
   frame that falls inside a block or not, depending on the split). */
static void
render_linear(const float* gate, const float* retrig, float* out, size_t n, RigSplit split,
              float times)
{
  float        v[]    = {times, times, 0.5f, times, shape};
  NodeRig*     rig    = rig_new(st_registry_find("adsr"), RATE, v);
  rig_set(rig, "s", 0.8f);
  const float* ins[]  = {gate, retrig};
  float*       outs[] = {out};
  rig_run(rig, ins, outs, n, split, NULL);
  rig_free(rig);
}

/* The envelope, linear and analog, is sample-accurate: blocks of 64 (each
   stage a ramp or fill between gate events) and of 17 give the same bits as
   blocks of one sample, with gate and retrig edges from every few samples to
   every few hundred, stages short enough to end inside blocks, and a moving
   sustain level. */
START_TEST(test_adsr_blocks)
{
  shape = (float)_i;
  const size_t n      = 24000;
  float*       gate   = rig_buffer(n);
  float*       retrig = rig_buffer(n);
  float*       one    = rig_buffer(n);
  float*       out    = rig_buffer(n);
  uint32_t     seed   = 77;
  for (size_t i = 0; i < n; ++i) {
    nm_xorshift(&seed);
    const size_t run = i < 8000 ? 3 + seed % 5 : 40 + seed % 400;
    gate[i]          = (i / run) % 3 != 0 ? 1.0f : 0.0f;
    retrig[i]        = ((i + seed % 7) / 5) % 2 ? 0.9f : 0.0f;
  }
  static const float times[] = {0.0005f, 0.002f, 0.01f};
  for (size_t t = 0; t < sizeof(times) / sizeof(times[0]); ++t) {
    render_linear(gate, retrig, one, n, split_1, times[t]);
    render_linear(gate, retrig, out, n, NULL, times[t]);
    ck_assert_msg(!memcmp(one, out, n * sizeof(float)),
                  "shape %d: blocks of 64 differ (times %g)", _i, (double)times[t]);
    render_linear(gate, retrig, out, n, split_17, times[t]);
    ck_assert_msg(!memcmp(one, out, n * sizeof(float)),
                  "shape %d: blocks of 17 differ (times %g)", _i, (double)times[t]);
    render_linear(gate, NULL, one, n, split_1, times[t]);
    render_linear(gate, NULL, out, n, NULL, times[t]);
    ck_assert_msg(!memcmp(one, out, n * sizeof(float)),
                  "shape %d, no retrig: blocks of 64 differ (times %g)", _i, (double)times[t]);
  }
  free(gate);
  free(retrig);
  free(one);
  free(out);
}
END_TEST

/* A linear decay toward a moving sustain level: each sample falls by
   (1 - s) / (d rate) for that sample's s, within float rounding (the ramp
   starts afresh whenever its slope changes), until it meets s. */
START_TEST(test_adsr_linear_moving_sustain)
{
  float        v[]  = {0.001f, 0.1f, 0.2f, 0.3f, 1.0f};
  NodeRig*     rig  = rig_new(st_registry_find("adsr"), RATE, v);
  const size_t n    = 9600;
  float*       gate = rig_buffer(n);
  float*       out  = rig_buffer(n);
  for (size_t i = 0; i < n; ++i) {
    gate[i] = 1.0f;
  }
  rig_set(rig, "s", 0.6f);
  rig_run1(rig, gate, out, 0, n);
  StParam sustain; // the sustain level as the node sees it, sample by sample
  st_param_init(&sustain, 0.2f, st_registry_find("adsr")->params[2].smooth, RATE);
  st_param_set(&sustain, 0.6f, false);
  const float rise = 1.0f / (0.1f * RATE);
  size_t      i    = 0;
  float       s    = st_param_next(&sustain);
  while (out[i] < 1.0f) {
    s = st_param_next(&sustain);
    ++i;
  }
  size_t checked = 0;
  for (++i; i < n; ++i) {
    s = st_param_next(&sustain);
    if (out[i] <= s) {
      break;
    }
    const double want = -(1.0 - s) * rise;
    ck_assert_msg(fabs((out[i] - out[i - 1]) - want) < 1e-6, "sample %zu fell by %g, not %g", i,
                  (double)(out[i - 1] - out[i]), -want);
    ++checked;
  }
  ck_assert_msg(checked > 1000 && out[i] == s, "decay of %zu samples ends at %g", checked,
                (double)out[i]);
  rig_free(rig);
  free(gate);
  free(out);
}
END_TEST

/* left^2 + right^2 = in^2 everywhere; the centre is -3 dB on each side. */
START_TEST(test_pan_equal_power)
{
  for (int k = 0; k <= 8; ++k) {
    NodeRig*    rig = rig_new(st_registry_find("pan"), RATE, NULL);
    const float pos = -1.0f + 0.25f * (float)k;
    float       in[4] = {1, 1, 1, 1}, l[4], r[4];
    rig_snap(rig, "pan", pos);
    const float* ins[]  = {in, NULL};
    float*       outs[] = {l, r};
    rig_run(rig, ins, outs, 4, NULL, NULL);
    ck_assert_float_eq_tol(l[3] * l[3] + r[3] * r[3], 1.0f, 1e-6f);
    if (k == 4) {
      ck_assert_float_eq_tol(l[3], sqrtf(0.5f), 1e-6f);
    }
    rig_free(rig);
  }
}
END_TEST

START_TEST(test_math_ops)
{
  static const float want[] = {5.0f, -1.0f, 6.0f, 2.0f, 2.0f, 3.0f};  // a = 2, b = 3
  for (int op = 0; op < 6; ++op) {
    NodeRig* rig = rig_new(st_registry_find("math"), RATE, NULL);
    float    a[1] = {2}, b[1] = {3}, y[1];
    rig_snap(rig, "op", (float)op);
    rig_snap(rig, "scale", 0.5f);
    rig_snap(rig, "offset", 1.0f);
    const float* ins[]  = {a, b};
    float*       outs[] = {y};
    rig_run(rig, ins, outs, 1, NULL, NULL);
    ck_assert_float_eq_tol(y[0], want[op] * 0.5f + 1.0f, 1e-6f);
    rig_free(rig);
  }
}
END_TEST

/* Sample and hold, sample-accurate: each rising edge of trig through zero
   takes that sample of in (NaN as 0, beyond the limit clamped), checked bit
   for bit against a sample-by-sample model, with edges from one every sample
   to one in hundreds, NaN among the triggers, and blocks of 64 and of 17. */
START_TEST(test_sh_edges)
{
  const size_t n    = 4096;
  float*       in   = rig_buffer(n);
  float*       trig = rig_buffer(n);
  float*       out  = rig_buffer(n);
  uint32_t     seed = 2024;
  for (size_t i = 0; i < n; ++i) {
    nm_xorshift(&seed);
    in[i] = (i % 97 == 5) ? NAN : (i % 89 == 3 ? 1e30f : (float)i - 2000.0f);
    const size_t run = i < 1024 ? 1 : (i < 2048 ? 7 : 300); // samples per half period
    trig[i]          = ((i / run) & 1) ? 0.5f : -0.25f;
    trig[i]          = (seed % 53 == 0) ? NAN : trig[i];
  }
  for (int split = 0; split < 2; ++split) {
    NodeRig*     rig  = rig_new(st_registry_find("sh"), RATE, NULL);
    const float* ins[] = {in, trig};
    float*       outs[] = {out};
    rig_run(rig, ins, outs, n, split ? split_17 : NULL, NULL);
    float prev = 0.0f, held = 0.0f;
    for (size_t i = 0; i < n; ++i) {
      if (!(prev > 0.0f) && trig[i] > 0.0f) {
        held = st_sane(in[i]);
      }
      prev = trig[i];
      ck_assert_msg(!memcmp(&out[i], &held, sizeof(float)), "sample %zu: %g, not %g", i,
                    (double)out[i], (double)held);
    }
    rig_free(rig);
  }
  free(in);
  free(trig);
  free(out);
}
END_TEST

static Suite*
misc_suite(void)
{
  Suite* s = suite_create("node_misc");
  TCase* t = tcase_create("behaviour");
  tcase_add_test(t, test_delay_time);
  tcase_add_test(t, test_adsr_stages);
  tcase_add_test(t, test_adsr_linear);
  tcase_add_loop_test(t, test_adsr_blocks, 0, 2);
  tcase_add_test(t, test_adsr_linear_moving_sustain);
  tcase_add_test(t, test_pan_equal_power);
  tcase_add_test(t, test_math_ops);
  tcase_add_test(t, test_sh_edges);
  suite_add_tcase(s, t);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(misc_suite());
  srunner_set_fork_status(r, CK_NOFORK);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
