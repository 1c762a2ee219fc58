/* SPDX-License-Identifier: ISC */
/* Filter quality: SVF cutoff accuracy and stability under audio-rate
   modulation, biquads against the RBJ cookbook. */
#include "node_harness.h"
#include "node_measure.h"
#include "registry.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define RATE 48000.0
#define PI 3.14159265358979323846
#define SETTLE 4800       // 0.1 s: every tested filter has settled
#define WINDOW 48000      // 1 s: a whole number of periods of any integer Hz
#define BUTTERWORTH 0.29289322f  // res = 1 - 1/sqrt(2): k = sqrt(2), Q = 0.7071

/* Gain of a node's output `port` for a sine of `freq` Hz (integer). */
static double
gain_at(NodeRig* rig, uint32_t port, double freq)
{
  const size_t n  = SETTLE + WINDOW;
  float*       in = rig_buffer(n);
  float*       y  = rig_buffer(n);
  for (size_t i = 0; i < n; ++i) {
    in[i] = (float)(0.5 * sin(2.0 * PI * fmod(freq * (double)i / RATE, 1.0)));
  }
  rig_run1(rig, in, y, port, n);
  const double g = nm_tone_amp(y + SETTLE, WINDOW, freq, RATE) / 0.5;
  free(in);
  free(y);
  return g;
}

/* Tolerance: the Butterworth low-pass is -3.01 dB at its cutoff within 0.2 dB. */
START_TEST(test_svf_cutoff)
{
  static const float cutoffs[] = {100, 1000, 10000};
  for (size_t i = 0; i < 3; ++i) {
    NodeRig* rig = rig_new(st_registry_find("svf"), RATE, NULL);
    rig_snap(rig, "cutoff", cutoffs[i]);
    rig_snap(rig, "res", BUTTERWORTH);
    const double db  = nm_db(gain_at(rig, 0, cutoffs[i]));
    const double err = db - nm_db(sqrt(0.5));
    printf("MEASURE svf lp at %g Hz: %.4f dB (error %.4f dB)\n", (double)cutoffs[i], db, err);
    ck_assert_msg(fabs(err) < 0.2, "svf at %g Hz: %.3f dB", (double)cutoffs[i], db);
    rig_free(rig);
  }
}
END_TEST

/* Tolerance: with resonance at its maximum (Q 50) and the cutoff swept over
   +-4 octaves around 1 kHz at 500 Hz for 10 s, full-scale noise in, every
   output stays finite and within +-100 (twice the resonant peak gain Q). */
START_TEST(test_svf_sweep)
{
  const StNodeType* type = st_registry_find("svf");
  NodeRig*          rig  = rig_new(type, RATE, NULL);
  rig_snap(rig, "res", type->params[st_node_param_index(type, "res")].max);
  const size_t n    = 10 * (size_t)RATE;
  float*       in   = rig_buffer(n);
  float*       cv   = rig_buffer(n);
  uint32_t     seed = 1;
  for (size_t i = 0; i < n; ++i) {
    nm_xorshift(&seed);
    in[i] = (float)((double)seed / 2147483648.0 - 1.0);
    cv[i] = (float)(4.0 * sin(2.0 * PI * fmod(500.0 * (double)i / RATE, 1.0)));
  }
  float* outs[4];
  for (int o = 0; o < 4; ++o) {
    outs[o] = rig_buffer(n);
  }
  const float* ins[] = {in, cv};
  rig_run(rig, ins, outs, n, NULL, NULL);
  double peak = 0.0;
  for (int o = 0; o < 4; ++o) {
    for (size_t i = 0; i < n; ++i) {
      // A NaN fails the bound below, an infinity raises the peak above it.
      peak = (isnan(outs[o][i]) || fabs(outs[o][i]) > peak) ? fabs(outs[o][i]) : peak;
    }
    free(outs[o]);
  }
  printf("MEASURE svf sweep max |out|: %.2f\n", peak);
  ck_assert_msg(peak < 100.0, "sweep peak %g", peak);  // false for NaN too
  free(in);
  free(cv);
  rig_free(rig);
}
END_TEST

/* Magnitude of the RBJ cookbook biquad, computed from the cookbook formulas. */
static double
rbj_magnitude(int mode, double f0, double q, double gain_db, double f)
{
  const double A = pow(10.0, gain_db / 40.0), w0 = 2 * PI * f0 / RATE;
  const double cw = cos(w0), al = sin(w0) / (2 * q), sa = 2 * sqrt(A) * al;
  double       b[3], a[3];
  switch (mode) {
  case 0: b[0] = (1 - cw) / 2; b[1] = 1 - cw; b[2] = b[0]; break;
  case 1: b[0] = (1 + cw) / 2; b[1] = -(1 + cw); b[2] = b[0]; break;
  case 2: b[0] = al; b[1] = 0; b[2] = -al; break;
  case 3: b[0] = 1; b[1] = -2 * cw; b[2] = 1; break;
  case 4: b[0] = 1 + al * A; b[1] = -2 * cw; b[2] = 1 - al * A; break;
  case 5:
    b[0] = A * ((A + 1) - (A - 1) * cw + sa);
    b[1] = 2 * A * ((A - 1) - (A + 1) * cw);
    b[2] = A * ((A + 1) - (A - 1) * cw - sa);
    a[0] = (A + 1) + (A - 1) * cw + sa;
    a[1] = -2 * ((A - 1) + (A + 1) * cw);
    a[2] = (A + 1) + (A - 1) * cw - sa;
    break;
  default:
    b[0] = A * ((A + 1) + (A - 1) * cw + sa);
    b[1] = -2 * A * ((A - 1) + (A + 1) * cw);
    b[2] = A * ((A + 1) + (A - 1) * cw - sa);
    a[0] = (A + 1) - (A - 1) * cw + sa;
    a[1] = 2 * ((A - 1) - (A + 1) * cw);
    a[2] = (A + 1) - (A - 1) * cw - sa;
    break;
  }
  if (mode <= 4) {
    a[0] = 1 + (mode == 4 ? al / A : al);
    a[1] = -2 * cw;
    a[2] = 1 - (mode == 4 ? al / A : al);
  }
  const double w = 2 * PI * f / RATE;
  const double nr = b[0] + b[1] * cos(w) + b[2] * cos(2 * w);
  const double ni = -b[1] * sin(w) - b[2] * sin(2 * w);
  const double dr = a[0] + a[1] * cos(w) + a[2] * cos(2 * w);
  const double di = -a[1] * sin(w) - a[2] * sin(2 * w);
  return hypot(nr, ni) / hypot(dr, di);
}

/* Tolerance: within 0.1 dB of the cookbook at 20 log-spaced frequencies
   (integer Hz, 20 Hz..20 kHz) for every mode; where the cookbook response is
   below -60 dB (the notch centre) the measured gain must be below -50 dB. */
START_TEST(test_biquad_cookbook)
{
  const StNodeType* type  = st_registry_find("biquad");
  double            worst = 0.0;
  for (int mode = 0; mode < 7; ++mode) {
    for (int k = 0; k < 20; ++k) {
      const double f   = round(20.0 * pow(1000.0, k / 19.0));
      NodeRig*     rig = rig_new(type, RATE, NULL);
      rig_snap(rig, "mode", (float)mode);
      rig_snap(rig, "freq", 1200.0f);
      rig_snap(rig, "q", 2.0f);
      rig_snap(rig, "gain", 9.0f);
      const double want = nm_db(rbj_magnitude(mode, 1200.0, 2.0, 9.0, f));
      const double got  = nm_db(gain_at(rig, 0, f));
      if (want < -60.0) {
        ck_assert_msg(got < -50.0, "mode %d at %g Hz: %.2f dB", mode, f, got);
      } else {
        worst = fabs(got - want) > worst ? fabs(got - want) : worst;
        ck_assert_msg(fabs(got - want) < 0.1, "mode %d at %g Hz: %.3f dB, cookbook %.3f dB",
                      mode, f, got, want);
      }
      rig_free(rig);
    }
  }
  printf("MEASURE biquad max error vs cookbook: %.5f dB\n", worst);
}
END_TEST

static Suite*
filter_suite(void)
{
  Suite* s = suite_create("node_filter");
  TCase* t = tcase_create("quality");
  tcase_add_test(t, test_svf_cutoff);
  tcase_add_test(t, test_svf_sweep);
  tcase_add_test(t, test_biquad_cookbook);
  suite_add_tcase(s, t);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(filter_suite());
  srunner_set_fork_status(r, CK_NOFORK);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
