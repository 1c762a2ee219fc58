/* SPDX-License-Identifier: ISC */
/* Oscillator quality: frequency accuracy, aliasing and sine purity. */
#include "node_harness.h"
#include "node_measure.h"
#include "registry.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0f
#define SETTLE 4096  // skipped: the BLEP delay and the start of the wave
#define FFT_N 65536

enum { SINE, SAW, SQUARE, TRIANGLE };

/* n samples of an oscillator after SETTLE samples. */
static float*
render(int wave, float freq, size_t n)
{
  NodeRig* rig = rig_new(st_registry_find("osc"), RATE, NULL);
  float*   out = rig_buffer(n + SETTLE);
  rig_snap(rig, "wave", (float)wave);
  rig_snap(rig, "freq", freq);
  rig_run1(rig, NULL, out, 0, n + SETTLE);
  rig_free(rig);
  return out;
}

/* Tolerance 0.01 %: frequency from interpolated zero crossings over 1 s. */
START_TEST(test_sine_frequency)
{
  static const float freqs[] = {20, 50, 100, 440, 1000, 5000, 10000, 15000, 20000};
  double             worst   = 0.0;
  for (size_t i = 0; i < sizeof(freqs) / sizeof(freqs[0]); ++i) {
    float*       x   = render(SINE, freqs[i], (size_t)RATE);
    const double f   = nm_zero_cross_freq(x + SETTLE, (size_t)RATE, RATE);
    const double err = fabs(f - freqs[i]) / freqs[i];
    worst            = err > worst ? err : worst;
    ck_assert_msg(err < 1e-4, "%g Hz measured %.6f Hz", (double)freqs[i], f);
    free(x);
  }
  printf("MEASURE osc worst frequency error: %.2e %%\n", worst * 100.0);
}
END_TEST

/* Largest component that is not a harmonic (node_measure.h), of a render
   past its settling time. */
static double
alias_db(int wave, float f0)
{
  float*       x  = render(wave, f0, FFT_N);
  const double db = nm_alias_db(x + SETTLE, FFT_N, f0, RATE);
  free(x);
  return db;
}

/* Tolerance: every alias at least 40 dB under the fundamental. At exactly
   2000 Hz every fold lands on a harmonic (48000 / 2000 is whole), so the
   test uses nearby frequencies where the folds fall between harmonics. */
START_TEST(test_saw_alias)
{
  static const float f0s[] = {1987, 2017, 2111};
  double             worst = -500.0;
  for (size_t i = 0; i < sizeof(f0s) / sizeof(f0s[0]); ++i) {
    const double db = alias_db(SAW, f0s[i]);
    worst           = db > worst ? db : worst;
    ck_assert_msg(db < -40.0, "saw at %g Hz: alias at %.1f dB", (double)f0s[i], db);
  }
  printf("MEASURE saw alias near 2 kHz: %.1f dB\n", worst);
}
END_TEST

/* The pulse and triangle are held to the same -40 dB. */
START_TEST(test_square_triangle_alias)
{
  const double square   = alias_db(SQUARE, 2017);
  const double triangle = alias_db(TRIANGLE, 2017);
  ck_assert_msg(square < -40.0, "square alias %.1f dB", square);
  ck_assert_msg(triangle < -40.0, "triangle alias %.1f dB", triangle);
  printf("MEASURE square alias: %.1f dB, triangle alias: %.1f dB\n", square, triangle);
}
END_TEST

/* Tolerance: THD (harmonics 2..10) below -90 dB at 750 Hz, a frequency with a
   whole number of periods in the FFT. */
START_TEST(test_sine_thd)
{
  double* amp = calloc(FFT_N / 2 + 1, sizeof(double));
  float*  x   = render(SINE, 750, FFT_N);
  nm_spectrum(x + SETTLE, FFT_N, amp);
  const double bin   = RATE / FFT_N;
  const long   c     = lround(750 / bin);
  const double fund  = nm_peak(amp, FFT_N / 2 + 1, c - 2, c + 2);
  double       power = 0.0;
  for (int h = 2; h <= 10; ++h) {
    const double a = nm_peak(amp, FFT_N / 2 + 1, h * c - 2, h * c + 2);
    power += a * a;
  }
  const double thd = nm_db(sqrt(power) / fund);
  ck_assert_msg(thd < -90.0, "sine THD %.1f dB", thd);
  ck_assert(fabs(fund - 1.0) < 1e-3);
  printf("MEASURE sine THD: %.1f dB\n", thd);
  free(x);
  free(amp);
}
END_TEST

/* Largest distance of n samples from the exact sine of the phases that the
   increments of `hz` (one per sample, taken in turn) give: the oscillator
   adds round(hz * 2^32 / rate) to a 32-bit phase each sample. */
static double
sine_error(const float* x, size_t n, const float* hz, size_t kinds, size_t run)
{
  uint32_t phase = 0;
  double   worst = 0.0;
  for (size_t i = 0; i < n; ++i) {
    phase += (uint32_t)((double)hz[(i / run) % kinds] * (4294967296.0 / RATE) + 0.5);
    const double e = fabs(x[i] - sin(6.283185307179586 * (phase / 4294967296.0)));
    worst          = e > worst ? e : worst;
  }
  return worst;
}

/* Tolerance 5e-7 (-126 dB) from the exact sine of the oscillator's phase:
   settled frequencies, a constant pitch input, and a pitch input that jumps
   every 5 and every 97 samples (frames cut short, then whole ones). */
START_TEST(test_sine_accuracy)
{
  static const float freqs[] = {1, 20, 440, 1000, 5000, 12345.6f, 20000};
  const size_t       n       = (size_t)RATE;
  double             worst   = 0.0;
  for (size_t i = 0; i < sizeof(freqs) / sizeof(freqs[0]); ++i) {
    float*       x = render(SINE, freqs[i], n - SETTLE); // from the first sample
    const double e = sine_error(x, n, &freqs[i], 1, 1);
    ck_assert_msg(e < 5e-7, "%g Hz: error %.3g", (double)freqs[i], e);
    worst = e > worst ? e : worst;
    free(x);
  }
  static const size_t runs[] = {n, 5, 97};
  for (size_t r = 0; r < sizeof(runs) / sizeof(runs[0]); ++r) {
    NodeRig* rig   = rig_new(st_registry_find("osc"), RATE, NULL);
    float*   pitch = rig_buffer(n);
    float*   out   = rig_buffer(n);
    for (size_t i = 0; i < n; ++i) {
      pitch[i] = (float)((i / runs[r]) % 2 == 0); // 880 Hz, then 440 Hz
    }
    const float* in[] = {pitch, NULL, NULL};
    float*       o[]  = {out};
    rig_run(rig, in, o, n, NULL, NULL);
    static const float hz[] = {880, 440};
    const double       e    = sine_error(out, n, hz, 2, runs[r]);
    ck_assert_msg(e < 5e-7, "pitch jumping every %zu samples: error %.3g", runs[r], e);
    worst = e > worst ? e : worst;
    rig_free(rig);
    free(pitch);
    free(out);
  }
  printf("MEASURE sine error: %.2e (%.1f dB)\n", worst, nm_db(worst));
}
END_TEST

/* A sine that becomes a saw and a sine again (the phase runs on meanwhile)
   is the sine of its phase again at once, within the same 5e-7: its frame
   does not outlive the switch. */
START_TEST(test_sine_after_switch)
{
  const size_t n   = 4800;
  float*       out = rig_buffer(n);
  NodeRig*     rig = rig_new(st_registry_find("osc"), RATE, NULL);
  float*       o[] = {out};
  rig_run(rig, NULL, o, 1000, NULL, NULL);
  rig_snap(rig, "wave", SAW);
  rig_run(rig, NULL, o, 100, NULL, NULL);
  rig_snap(rig, "wave", SINE);
  rig_run(rig, NULL, o, n, NULL, NULL);
  const uint32_t inc   = (uint32_t)(440.0 * (4294967296.0 / RATE) + 0.5);
  uint32_t       phase = 1100 * inc;
  double         worst = 0.0;
  for (size_t i = 0; i < n; ++i) {
    phase += inc;
    const double e = fabs(out[i] - sin(6.283185307179586 * (phase / 4294967296.0)));
    worst          = e > worst ? e : worst;
  }
  ck_assert_msg(worst < 5e-7, "error %.3g after the switch", worst);
  rig_free(rig);
  free(out);
}
END_TEST

/* Renders `n` samples of a wave at f (and pw) with the inputs given. */
static void
render_with(int wave, float f, float pw, const float* const* in, float* out, size_t n)
{
  NodeRig* rig  = rig_new(st_registry_find("osc"), RATE, NULL);
  float*   o[]  = {out};
  rig_snap(rig, "wave", (float)wave);
  rig_snap(rig, "freq", f);
  rig_snap(rig, "pw", pw);
  rig_run(rig, in, o, n, NULL, NULL);
  rig_free(rig);
}

/* The settled saw, square and triangle (vectorised, the samples with edges
   found by division) equal the per-sample path bit for bit, from one edge
   in many blocks to several in each, pulse widths to the extremes: with
   nothing linked, and with a pitch input that holds still for stretches
   (steady blocks take the settled path) against the per-sample path, which
   a linked sync input of zeros (no edge) forces. */
START_TEST(test_wave_paths_agree)
{
  static const float freqs[] = {1, 110, 750, 2017, 12000, 21000};
  static const float pws[]   = {0.5f, 0.01f, 0.3f, 0.99f};
  const size_t       n       = 9600;
  float*             zeros   = rig_buffer(n);
  float*             steps   = rig_buffer(n);
  float*             plain   = rig_buffer(n);
  float*             each    = rig_buffer(n);
  for (size_t i = 0; i < n; ++i) {
    steps[i] = (float)((i / 100) % 3) * 0.5f - 0.5f; // octaves, new every 100 samples
  }
  for (int wave = SAW; wave <= TRIANGLE; ++wave) {
    for (size_t k = 0; k < (wave == SQUARE ? 4u : 1u); ++k) {
      for (int stepped = 0; stepped < 2; ++stepped) {
        for (size_t i = 0; i < sizeof(freqs) / sizeof(freqs[0]); ++i) {
          const float* pitch      = stepped ? steps : NULL;
          const float* settled[]  = {pitch, NULL, NULL};
          const float* per_each[] = {pitch, NULL, zeros};
          render_with(wave, freqs[i] / 2, pws[k], settled, plain, n);
          render_with(wave, freqs[i] / 2, pws[k], per_each, each, n);
          ck_assert_msg(!memcmp(plain, each, n * sizeof(float)),
                        "wave %d at %g Hz, pw %g%s: paths differ", wave, (double)freqs[i] / 2,
                        (double)pws[k], stepped ? ", stepped pitch" : "");
        }
      }
    }
  }
  free(zeros);
  free(steps);
  free(plain);
  free(each);
}
END_TEST

/* Tolerance 1e-5: the frequency for a pitch input held at each semitone
   and a few fractions from -2 to +2 octaves is 440 * 2^pitch, measured from
   zero crossings over 1 s (2^x comes from a polynomial, not exp2f). */
START_TEST(test_pitch_accuracy)
{
  const size_t n     = (size_t)RATE;
  float*       pitch = rig_buffer(n);
  float*       out   = rig_buffer(n);
  double       worst = 0.0;
  for (int k = -24; k <= 24; ++k) {
    const float p = (float)k / 12.0f + (k % 5 == 0 ? 0.0371f : 0.0f);
    for (size_t i = 0; i < n; ++i) {
      pitch[i] = p;
    }
    NodeRig*     rig  = rig_new(st_registry_find("osc"), RATE, NULL);
    const float* in[] = {pitch, NULL, NULL};
    float*       o[]  = {out};
    rig_run(rig, in, o, n, NULL, NULL);
    const double want = 440.0 * exp2((double)p);
    const double err  = fabs(nm_zero_cross_freq(out, n, RATE) - want) / want;
    ck_assert_msg(err < 1e-5, "pitch %g: %g Hz off by %.2e", (double)p, want, err);
    worst = err > worst ? err : worst;
    rig_free(rig);
  }
  printf("MEASURE osc worst pitch error: %.2e\n", worst);
  free(pitch);
  free(out);
}
END_TEST

/* A pitch of one octave doubles the frequency; fm adds fm * fm_depth Hz. */
START_TEST(test_pitch_and_fm)
{
  NodeRig*     rig   = rig_new(st_registry_find("osc"), RATE, NULL);
  const size_t n     = (size_t)RATE;
  float*       pitch = rig_buffer(n);
  float*       fm    = rig_buffer(n);
  float*       out   = rig_buffer(n);
  for (size_t i = 0; i < n; ++i) {
    pitch[i] = 1.0f;
    fm[i]    = 0.5f;
  }
  const float* in[] = {pitch, fm, NULL};
  float*       o[]  = {out};
  rig_run(rig, in, o, n, NULL, NULL);
  const double f = nm_zero_cross_freq(out + SETTLE, n - SETTLE, RATE);
  ck_assert_msg(fabs(f - 930.0) < 0.1, "expected 880 + 50 Hz, got %g", f);
  rig_free(rig);
  free(pitch);
  free(fm);
  free(out);
}
END_TEST

static Suite*
osc_suite(void)
{
  Suite* s = suite_create("node_osc");
  TCase* t = tcase_create("quality");
  tcase_add_test(t, test_sine_frequency);
  tcase_add_test(t, test_saw_alias);
  tcase_add_test(t, test_square_triangle_alias);
  tcase_add_test(t, test_sine_thd);
  tcase_add_test(t, test_sine_accuracy);
  tcase_add_test(t, test_sine_after_switch);
  tcase_add_test(t, test_wave_paths_agree);
  tcase_add_test(t, test_pitch_accuracy);
  tcase_add_test(t, test_pitch_and_fm);
  suite_add_tcase(s, t);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(osc_suite());
  srunner_set_fork_status(r, CK_NOFORK);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
