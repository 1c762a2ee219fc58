/* SPDX-License-Identifier: ISC */
/* MIDI notes played into the mono-synth preset sound at the right pitch:
   the period of the output, measured by autocorrelation over ten periods,
   is within 0.3 % (about 5 cents) of 440 * 2^((note - 69) / 12). */
#include "plugin_host.h"

#include <check.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define RATE      48000
#define NOTE_LEN  (RATE / 2)
#define TOLERANCE 0.003

static float out[NOTE_LEN];

static double
autocorr(const float* x, uint32_t n, uint32_t lag)
{
  double sum = 0.0;
  for (uint32_t i = 0; i + lag < n; ++i) {
    sum += (double)x[i] * x[i + lag];
  }
  return sum / (double)(n - lag);
}

/* Lag of the autocorrelation peak near `guess` (within +-`span`), refined
   by a parabola through the peak and its neighbours. */
static double
peak_lag(const float* x, uint32_t n, double guess, double span)
{
  uint32_t best   = 0;
  double   best_v = -INFINITY;
  for (uint32_t lag = (uint32_t)fmax(2.0, guess - span); lag <= (uint32_t)(guess + span); ++lag) {
    const double v = autocorr(x, n, lag);
    if (v > best_v) {
      best_v = v;
      best   = lag;
    }
  }
  const double a = autocorr(x, n, best - 1);
  const double c = autocorr(x, n, best + 1);
  const double d = a - 2.0 * best_v + c;
  return best + (d < 0.0 ? 0.5 * (a - c) / d : 0.0);
}

static double
measure_hz(const float* x, uint32_t n, double expected)
{
  // Coarse period within +-10 % of the expected one, then ten periods.
  const double period = RATE / expected;
  const double p1     = peak_lag(x, n, period, 0.1 * period);
  const double p10    = peak_lag(x, n, 10.0 * p1, 3.0);
  return RATE / (p10 / 10.0);
}

START_TEST(test_mono_synth_pitch)
{
  static const uint8_t notes[] = {33, 45, 57, 60, 69, 76, 81};
  const PhConfig       config  = {.rate = RATE};
  PhHost*              host    = ph_new(&config);
  ck_assert_ptr_nonnull(host);
  ck_assert(ph_load_preset(host, "urn:strata:preset:mono-synth", false));
  ph_render(host, 4096, 64, NULL, NULL); // Past the crossfade.
  for (size_t k = 0; k < sizeof(notes); ++k) {
    const double expected = 440.0 * pow(2.0, (notes[k] - 69) / 12.0);
    ph_midi(host, 17, 0x90, notes[k], 100);
    ph_render(host, 2 * RATE, 100, NULL, NULL); // Until the envelopes settle.
    ph_render(host, NOTE_LEN, 512, out, NULL);
    ph_midi(host, 0, 0x80, notes[k], 0);
    ph_render(host, RATE / 2, 512, NULL, NULL); // Release.
    const double hz = measure_hz(out, NOTE_LEN, expected);
    printf("note %3u: expected %8.3f Hz, measured %8.3f Hz (%+.2f cents)\n", notes[k], expected,
           hz, 1200.0 * log2(hz / expected));
    ck_assert_msg(fabs(hz / expected - 1.0) < TOLERANCE, "note %u: %g Hz, expected %g Hz",
                  notes[k], hz, expected);
  }
  ph_free(host);
}
END_TEST

/* The measurement itself, on plain oscillators of known frequency. */
START_TEST(test_measurement)
{
  const PhConfig config = {.rate = RATE};
  PhHost*        host   = ph_new(&config);
  ph_msg_replace(host, 1, "node o osc wave=saw freq=440\nlink o.out -> out.left\n");
  ph_render(host, 4096, 64, NULL, NULL);
  ck_assert(ph_is_ack(ph_reply(host, 1)));
  ph_render(host, NOTE_LEN, 512, out, NULL);
  const double hz = measure_hz(out, NOTE_LEN, 440.0);
  printf("plain saw: expected 440 Hz, measured %8.3f Hz (%+.2f cents)\n", hz,
         1200.0 * log2(hz / 440.0));
  ck_assert(fabs(hz / 440.0 - 1.0) < 0.0005);
  ph_free(host);
}
END_TEST

static Suite*
midi_suite(void)
{
  Suite* s = suite_create("plugin_midi");
  TCase* t = tcase_create("midi");
  tcase_add_test(t, test_measurement);
  tcase_add_test(t, test_mono_synth_pitch);
  suite_add_tcase(s, t);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(midi_suite());
  srunner_set_fork_status(r, CK_NOFORK);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
