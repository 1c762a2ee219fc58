/* SPDX-License-Identifier: ISC */
/* Nodes without state bound what they write themselves (ST_NODE_BOUNDED, so
   the engine's guard skips its pass over their output): called directly,
   without the guard, their output is st_sane() of the plain arithmetic, bit
   for bit, for samples inside, at, just past and far beyond the limit,
   infinities, NaN, subnormals and a negative zero; with settled and with
   moving parameters. */
#include "node.h"
#include "registry.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0f
#define N    64

static float edge[N]; // the samples above, then a sweep through the range

static void
make_edge(void)
{
  static const float special[] = {0.5f, -0.0f, 1e6f, -1e6f, 1000000.06f, -1000000.06f,
                                  2.5e5f, -3e5f, NAN, INFINITY, -INFINITY, 1e30f, -1e30f,
                                  1e-40f, 333333.34f, -250000.02f};
  const size_t       n         = sizeof(special) / sizeof(special[0]);
  for (size_t i = 0; i < N; ++i) {
    edge[i] = i < n ? special[i] : (float)(i - n) * 37123.5f - 9.0e5f;
  }
}

/* Runs one block of `type` straight through its process(), no guard. */
static void
run_raw(const char* type, StParam* params, const float* const* in, uint32_t linked, float* out)
{
  const StNodeType* t     = st_registry_find(type);
  void*             state = calloc(1, t->state_size(NULL, RATE));
  float* const      outs[] = {out};
  const StHost      host   = {0};
  const StProcess   p      = {N, RATE, in, linked, outs, params, &host};
  ck_assert(t->flags & ST_NODE_BOUNDED);
  t->process(state, &p);
  free(state);
}

/* Parameters of `type` at their defaults (settled). */
static void
defaults(const char* type, StParam* params)
{
  const StNodeType* t = st_registry_find(type);
  for (uint32_t i = 0; i < t->n_params; ++i) {
    st_param_init(&params[i], t->params[i].def, t->params[i].smooth, RATE);
  }
}

static void
expect_bits(const float* got, const float* raw, const char* what)
{
  for (size_t i = 0; i < N; ++i) {
    const float want = st_sane(raw[i]);
    ck_assert_msg(!memcmp(&got[i], &want, sizeof(float)), "%s, sample %zu: %.9g, not %.9g", what,
                  i, (double)got[i], (double)want);
  }
}

START_TEST(test_vca_bounds)
{
  static const float zeros[N];
  float              cv[N], out[N], raw[N];
  StParam            params[1];
  for (size_t i = 0; i < N; ++i) {
    cv[i] = edge[N - 1 - i];
  }
  defaults("vca", params);
  st_param_set(&params[0], 4.0f, true);
  const float* plain[] = {edge, zeros};
  run_raw("vca", params, plain, 1u, out);
  for (size_t i = 0; i < N; ++i) {
    raw[i] = edge[i] * 4.0f;
  }
  expect_bits(out, raw, "vca, gain 4");
  const float* with_cv[] = {edge, cv};
  run_raw("vca", params, with_cv, 3u, out);
  for (size_t i = 0; i < N; ++i) {
    raw[i] = edge[i] * 4.0f * cv[i];
  }
  expect_bits(out, raw, "vca, gain 4 and cv");
  StParam moving = params[0];
  st_param_set(&params[0], 0.5f, false);
  st_param_set(&moving, 0.5f, false);
  run_raw("vca", params, with_cv, 3u, out);
  for (size_t i = 0; i < N; ++i) {
    raw[i] = edge[i] * st_param_next(&moving) * cv[i];
  }
  expect_bits(out, raw, "vca, gain moving from 4 to 0.5");
}
END_TEST

/* Sums in channel order, as the mixer takes them: eight different inputs,
   so that the order shows. */
START_TEST(test_mixer_bounds)
{
  static float ch[8][N];
  float        out[N], raw[N];
  StParam      params[9];
  for (int c = 0; c < 8; ++c) {
    for (size_t i = 0; i < N; ++i) {
      ch[c][i] = edge[(i + 5 * (size_t)c) % N] * (1.0f + 0.3f * (float)c);
    }
  }
  const float* all[] = {ch[0], ch[1], ch[2], ch[3], ch[4], ch[5], ch[6], ch[7]};
  defaults("mixer", params);
  for (int unity = 0; unity < 2; ++unity) {
    const float level = unity ? 1.0f : 4.0f;
    st_param_set(&params[8], level, true);
    run_raw("mixer", params, all, 0xffu, out);
    for (size_t i = 0; i < N; ++i) {
      float sum = 0.0f;
      for (int c = 0; c < 8; ++c) {
        sum += ch[c][i];
      }
      raw[i] = sum * level;
    }
    expect_bits(out, raw, unity ? "mixer, eight channels at unity" : "mixer, eight channels");
  }
  run_raw("mixer", params, all, 0x5u, out);
  for (size_t i = 0; i < N; ++i) {
    raw[i] = 0.0f + ch[0][i] + ch[2][i];
  }
  expect_bits(out, raw, "mixer, two channels");
}
END_TEST

START_TEST(test_math_bounds)
{
  float   b[N], out[N], raw[N];
  StParam params[3];
  for (size_t i = 0; i < N; ++i) {
    b[i] = edge[(i + 7) % N];
  }
  defaults("math", params);
  st_param_set(&params[1], 4.0f, true);   // scale
  st_param_set(&params[2], -1e5f, true);  // offset
  const float* in[] = {edge, b};
  run_raw("math", params, in, 3u, out);
  for (size_t i = 0; i < N; ++i) {
    raw[i] = (edge[i] + b[i]) * 4.0f + -1e5f;
  }
  expect_bits(out, raw, "math add");
  st_param_set(&params[0], 2.0f, true);   // multiply
  run_raw("math", params, in, 3u, out);
  for (size_t i = 0; i < N; ++i) {
    const float m = edge[i] * b[i];
    raw[i]        = (fabsf(m) < 1e-20f ? 0.0f : m) * 4.0f + -1e5f;
  }
  expect_bits(out, raw, "math multiply");
}
END_TEST

static Suite*
bounded_suite(void)
{
  Suite* s = suite_create("node_bounded");
  TCase* t = tcase_create("stateless");
  make_edge();
  tcase_add_test(t, test_vca_bounds);
  tcase_add_test(t, test_mixer_bounds);
  tcase_add_test(t, test_math_bounds);
  suite_add_tcase(s, t);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(bounded_suite());
  srunner_set_fork_status(r, CK_NOFORK);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
