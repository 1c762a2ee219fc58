/* SPDX-License-Identifier: ISC */
/* Dynamics and waveshaping nodes: the limiter's ceiling, the compressor's
   static curve, the wavetable's aliasing and morphing, and the exact
   transfer and smooth parameter sweeps of wavefolder, crusher and ringmod. */
#include "node_harness.h"
#include "node_measure.h"
#include "registry.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0f
#define PI 3.14159265358979323846
#define FFT_N 65536

static double
db_to_gain(double db)
{
  return pow(10.0, db / 20.0);
}

static float*
sine(size_t n, double freq, double amp)
{
  float* x = rig_buffer(n);
  for (size_t i = 0; i < n; ++i) {
    x[i] = (float)(amp * sin(2.0 * PI * freq * (double)i / RATE));
  }
  return x;
}

/* Runs a dynamics node (limiter, compressor): `x` in, `side` on its
   sidechain (NULL: unlinked), the signal into `out` and the gain into `gain`. */
static void
run_dynamics(NodeRig* rig, const float* x, const float* side, float* out, float* gain, size_t n)
{
  const float* in[] = {x, side};
  float*       o[]  = {out, gain};
  rig_run(rig, in, o, n, NULL, NULL);
}

/* --- limiter --- */

#define LIMIT_N 48000

enum { NOISE, CLICKS, CLICKS_ON_SINE, SINE_LOW, SINE_MID, SINE_HIGH, N_SIGNALS };

static const char* const signal_names[] = {"noise",      "clicks",     "clicks on a sine",
                                           "50 Hz sine", "1 kHz sine", "10 kHz sine"};

/* A test signal at peak `db` dBFS. Clicks are single samples of alternating
   sign at irregular gaps (1 to 1200 samples), the worst case for a gain that
   must fall in time. */
static float*
limiter_signal(int kind, double db)
{
  const double amp  = db_to_gain(db);
  float*       x    = rig_buffer(LIMIT_N);
  uint32_t     seed = 12345u;
  size_t       next = 100;
  float        sign = 1.0f;
  for (size_t i = 0; i < LIMIT_N; ++i) {
    nm_xorshift(&seed);
    const double t = (double)i / RATE;
    switch (kind) {
    case NOISE:
      x[i] = (float)(amp * ((double)seed / 2147483648.0 - 1.0));
      break;
    case CLICKS:
    case CLICKS_ON_SINE:
      x[i] = kind == CLICKS ? 0.0f : (float)(0.25 * amp * sin(2.0 * PI * 220.0 * t));
      if (i == next) {
        x[i] = sign * (float)amp;
        sign = -sign;
        next += 1 + seed % 1200;
      }
      break;
    case SINE_LOW:
      x[i] = (float)(amp * sin(2.0 * PI * 50.0 * t));
      break;
    case SINE_MID:
      x[i] = (float)(amp * sin(2.0 * PI * 1000.0 * t));
      break;
    default:
      x[i] = (float)(amp * sin(2.0 * PI * 10000.0 * t));
      break;
    }
  }
  return x;
}

static NodeRig*
limiter_rig(float ceiling, float lookahead, float release, float drive)
{
  const StNodeType* t         = st_registry_find("limiter");
  const float       values[4] = {ceiling, drive, release, lookahead};
  return rig_new(t, RATE, values);
}

/* Tolerance 0: no output sample above the ceiling, for full-scale noise,
   clicks and sines from 0 to +24 dB, at four ceilings (down to the lowest),
   the shortest and the default look-ahead, a fast and a slow release, with
   no drive and the most (+24 dB more). The gain also never
   steps: it moves at most 1/look-ahead per sample (a straight ramp over the
   look-ahead is the fastest it may fall). */
START_TEST(test_limiter_ceiling)
{
  static const float  ceilings[]   = {-0.3f, -6.0f, -18.0f, -24.0f};
  static const float  lookaheads[] = {0.0005f, 0.005f};
  static const float  releases[]   = {0.001f, 0.2f};
  static const double levels[]     = {0.0, 6.0, 12.0, 24.0};
  float*              out          = rig_buffer(LIMIT_N);
  float*              gain         = rig_buffer(LIMIT_N);
  double              worst        = -1e9;  // highest output peak relative to the ceiling, dB
  double              fastest      = 0.0;   // largest gain step times the look-ahead
  for (int k = 0; k < N_SIGNALS; ++k) {
    for (size_t l = 0; l < sizeof(levels) / sizeof(levels[0]); ++l) {
      float* x = limiter_signal(k, levels[l]);
      for (size_t c = 0; c < sizeof(ceilings) / sizeof(ceilings[0]); ++c) {
        for (size_t a = 0; a < 2; ++a) {
          for (size_t r = 0; r < 4; ++r) {
            const float drive = r < 2 ? 0.0f : 24.0f;
            NodeRig*    rig   = limiter_rig(ceilings[c], lookaheads[a], releases[r % 2], drive);
            run_dynamics(rig, x, NULL, out, gain, LIMIT_N);
            rig_free(rig);
            const double ceiling = db_to_gain(ceilings[c]);
            const double delay   = ceil(lookaheads[a] * RATE);
            float        peak    = 0.0f;
            for (size_t i = 0; i < LIMIT_N; ++i) {
              peak = fabsf(out[i]) > peak ? fabsf(out[i]) : peak;
              if (i > 0) {
                const double step = fabs((double)gain[i] - gain[i - 1]) * delay;
                fastest           = step > fastest ? step : fastest;
              }
            }
            const double over = nm_db(peak / ceiling);
            worst             = over > worst ? over : worst;
            ck_assert_msg(peak <= ceiling,
                          "%s at %+g dB, drive %g dB, ceiling %g dB, look-ahead %g s, "
                          "release %g s: peak %.9f above the ceiling %.9f",
                          signal_names[k], levels[l], (double)drive, (double)ceilings[c],
                          (double)lookaheads[a], (double)releases[r % 2], (double)peak,
                          ceiling);
          }
        }
      }
      free(x);
    }
  }
  ck_assert_msg(fastest <= 1.0 + 1e-4, "the gain stepped by %g / look-ahead", fastest);
  printf("MEASURE limiter highest peak: %.6f dB re ceiling (target <= 0); fastest gain "
         "change %.4f of the full range per look-ahead (bound 1)\n",
         worst, fastest);
  free(out);
  free(gain);
}
END_TEST

/* Below the ceiling the limiter is a pure delay of the look-ahead, bit for
   bit; after a loud burst the gain comes back to exactly 1. */
START_TEST(test_limiter_transparent)
{
  NodeRig*     rig   = limiter_rig(-0.3f, 0.005f, 0.01f, 0.0f);
  float*       x     = sine(LIMIT_N, 440.0, 0.5);
  float*       out   = rig_buffer(LIMIT_N);
  float*       gain  = rig_buffer(LIMIT_N);
  const size_t delay = 240;
  for (size_t i = 10000; i < 10100; ++i) {
    x[i] *= 8.0f;  // a burst over the ceiling
  }
  run_dynamics(rig, x, NULL, out, gain, LIMIT_N);
  for (size_t i = delay; i < 9000; ++i) {
    ck_assert_msg(out[i] == x[i - delay], "frame %zu: %g, not %g", i, (double)out[i],
                  (double)x[i - delay]);
  }
  float least = 1.0f;
  for (size_t i = 10000; i < 10400; ++i) {
    least = gain[i] < least ? gain[i] : least;
  }
  ck_assert_msg(least < 0.25f, "least gain %g", (double)least);  // 4.0 peaks under 0.966
  for (size_t i = 30000; i < LIMIT_N; ++i) {
    ck_assert_msg(out[i] == x[i - delay], "frame %zu after the burst: %g, not %g (gain %.9g)",
                  i, (double)out[i], (double)x[i - delay], (double)gain[i]);
  }
  rig_free(rig);
  free(x);
  free(out);
  free(gain);
}
END_TEST

/* A linked sidechain's peaks lower the gain of a quiet input; the output
   stays under the ceiling for the input's own peaks too. */
START_TEST(test_limiter_sidechain)
{
  NodeRig* rig  = limiter_rig(-6.0f, 0.005f, 0.05f, 0.0f);
  float*   x    = sine(LIMIT_N, 440.0, 0.25);    // -12 dB: under the ceiling
  float*   side = limiter_signal(CLICKS, 12.0);  // +12 dB clicks
  float*   out  = rig_buffer(LIMIT_N);
  float*   gain = rig_buffer(LIMIT_N);
  run_dynamics(rig, x, side, out, gain, LIMIT_N);
  float least = 1.0f;
  for (size_t i = 0; i < LIMIT_N; ++i) {
    least = gain[i] < least ? gain[i] : least;
    ck_assert(fabsf(out[i]) <= db_to_gain(-6.0));
  }
  // A +12 dB click under a -6 dB ceiling needs -18 dB of gain.
  ck_assert_msg(fabs(nm_db(least) + 18.0) < 0.01, "least gain %g dB", nm_db(least));
  rig_free(rig);
  free(x);
  free(side);
  free(out);
  free(gain);
}
END_TEST

/* --- compressor --- */

/* The static curve as the documentation states it, in double precision. */
static double
static_reduction(double level, double threshold, double ratio, double knee)
{
  const double over  = level - threshold;
  const double slope = 1.0 - 1.0 / ratio;
  if (2.0 * over <= -knee) {
    return 0.0;
  }
  if (2.0 * over < knee) {
    return slope * (over + knee / 2.0) * (over + knee / 2.0) / (2.0 * knee);
  }
  return slope * over;
}

/* Gain in dB the compressor gives a steady sine at `level` dBFS, from the
   fundamental's amplitude over the last second of two. */
static double
compressor_gain(float threshold, float ratio, float knee, float makeup, double freq,
                double level)
{
  const StNodeType* t         = st_registry_find("compressor");
  const float       values[6] = {threshold, ratio, knee, 0.005f, 0.15f, makeup};
  NodeRig*          rig       = rig_new(t, RATE, values);
  const size_t      n         = 2 * (size_t)RATE;
  const double      amp       = db_to_gain(level);
  float*            x         = sine(n, freq, amp);
  float*            out       = rig_buffer(n);
  rig_run1(rig, x, out, 0, n);
  const double a = nm_tone_amp(out + n / 2, n / 2, freq, RATE);
  rig_free(rig);
  free(x);
  free(out);
  return nm_db(a / amp);
}

/* Tolerance 0.5 dB: the measured gain of steady sines (100 Hz and 1 kHz,
   levels from -40 to 0 dBFS) against the static curve, for hard and soft
   knees, three ratios and two thresholds, with and without makeup. */
START_TEST(test_compressor_static_curve)
{
  static const float  ratios[]     = {2.0f, 4.0f, 10.0f};
  static const float  thresholds[] = {-30.0f, -12.0f};
  static const float  knees[]      = {0.0f, 6.0f};
  static const double levels[]     = {-40.0, -30.0, -24.0, -14.0, -12.0, -9.0, -3.0, 0.0};
  static const double freqs[]      = {100.0, 1000.0};
  double              worst        = 0.0;
  for (size_t r = 0; r < 3; ++r) {
    for (size_t th = 0; th < 2; ++th) {
      for (size_t k = 0; k < 2; ++k) {
        for (size_t l = 0; l < sizeof(levels) / sizeof(levels[0]); ++l) {
          for (size_t f = 0; f < 2; ++f) {
            const float  makeup = (r == 1) ? 6.0f : 0.0f;
            const double got =
              compressor_gain(thresholds[th], ratios[r], knees[k], makeup, freqs[f], levels[l]);
            const double want =
              makeup - static_reduction(levels[l], thresholds[th], ratios[r], knees[k]);
            const double err = fabs(got - want);
            worst            = err > worst ? err : worst;
            ck_assert_msg(err < 0.5,
                          "ratio %g threshold %g knee %g, %g Hz at %g dB: gain %.3f dB, "
                          "curve %.3f dB",
                          (double)ratios[r], (double)thresholds[th], (double)knees[k], freqs[f],
                          levels[l], got, want);
          }
        }
      }
    }
  }
  printf("MEASURE compressor gain vs static curve: worst %.3f dB (target 0.5 dB)\n", worst);
}
END_TEST

/* Timing: on a step from silence to 0 dBFS (DC, so the detector sees the
   level at once) the reduction (15 dB at threshold -20, ratio 4, hard knee)
   covers 63 % of its way in `attack`; on a step back down to -40 dBFS the
   detector's level falls 8.69 dB per `release`, so the reduction falls from
   15 to 7.5 dB (the level from 0 to -10 dB) in 1.151 release times.
   Tolerance 2 %, for attacks and releases across their ranges. */
START_TEST(test_compressor_timing)
{
  static const float attacks[]  = {0.001f, 0.01f, 0.1f};
  static const float releases[] = {0.02f, 0.15f, 1.0f};
  const size_t       n          = 4 * (size_t)RATE;
  float*             x          = rig_buffer(n);
  float*             out        = rig_buffer(n);
  float*             gain       = rig_buffer(n);
  const size_t       up = 4800, down = 2 * (size_t)RATE;
  for (size_t i = 0; i < n; ++i) {
    x[i] = i < up ? 0.0f : (i < down ? 1.0f : 0.01f);
  }
  double worst = 0.0;
  for (size_t k = 0; k < 3; ++k) {
    const float values[6] = {-20.0f, 4.0f, 0.0f, attacks[k], releases[k], 0.0f};
    NodeRig*    rig       = rig_new(st_registry_find("compressor"), RATE, values);
    run_dynamics(rig, x, NULL, out, gain, n);
    rig_free(rig);
    size_t a = up;
    while (a < down && -nm_db(gain[a]) < 0.632 * 15.0) {
      ++a;
    }
    size_t r = down;
    while (r < n && -nm_db(gain[r]) > 7.5) {
      ++r;
    }
    const double attack  = (double)(a - up + 1) / RATE;
    const double release = (double)(r - down) / RATE / 1.1513;
    const double ea      = fabs(attack / attacks[k] - 1.0);
    const double er      = fabs(release / releases[k] - 1.0);
    worst                = fmax(worst, fmax(ea, er));
    ck_assert_msg(ea < 0.02, "attack %g s measured %g s", (double)attacks[k], attack);
    ck_assert_msg(er < 0.02, "release %g s measured %g s", (double)releases[k], release);
  }
  printf("MEASURE compressor attack and release times: worst error %.2f %% (target 2 %%)\n",
         100.0 * worst);
  free(x);
  free(out);
  free(gain);
}
END_TEST

/* With `side` linked, its level sets the gain: a quiet input under a loud
   sidechain is turned down by the curve at the sidechain's level. */
START_TEST(test_compressor_sidechain)
{
  const StNodeType* t         = st_registry_find("compressor");
  const float       values[6] = {-20.0f, 4.0f, 0.0f, 0.005f, 0.15f, 0.0f};
  NodeRig*          rig       = rig_new(t, RATE, values);
  const size_t      n         = (size_t)RATE;
  float*            x         = sine(n, 440.0, 0.05);  // -26 dB: no reduction of its own
  float*            side      = sine(n, 1000.0, 1.0);  // 0 dB: 15 dB of reduction
  float*            out       = rig_buffer(n);
  float*            gain      = rig_buffer(n);
  run_dynamics(rig, x, side, out, gain, n);
  const double got = nm_db(nm_tone_amp(out + n / 2, n / 2, 440.0, RATE) / 0.05);
  ck_assert_msg(fabs(got + 15.0) < 0.5, "gain %.3f dB, want -15", got);
  ck_assert_msg(fabs(nm_db(gain[n - 1]) + 15.0) < 0.5, "gain output %g", (double)gain[n - 1]);
  rig_free(rig);
  free(x);
  free(side);
  free(out);
  free(gain);
}
END_TEST

/* --- wavetable --- */

#define SETTLE 4096

static float*
wavetable_render(float freq, float position, size_t n)
{
  const float values[2] = {freq, position};
  NodeRig*    rig       = rig_new(st_registry_find("wavetable"), RATE, values);
  float*      out       = rig_buffer(n);
  rig_run1(rig, NULL, out, 0, n);
  rig_free(rig);
  return out;
}

static const char* const table_names[] = {"sine", "saw", "square", "vocal", "bell"};

/* Tolerance -60 dB: every table, and the mixes half way between, at 5 kHz
   (the note) and at notes across the range, at 48 kHz. */
START_TEST(test_wavetable_alias)
{
  static const float freqs[] = {5000, 61.7f, 440, 1234.5f, 2987, 9876, 15000};
  double             worst   = -500.0;
  double             at5k    = -500.0;
  for (size_t f = 0; f < sizeof(freqs) / sizeof(freqs[0]); ++f) {
    for (int k = 0; k <= 8; ++k) {
      const float  position = (float)k / 8.0f;
      float*       x        = wavetable_render(freqs[f], position, FFT_N + SETTLE);
      const double db       = nm_alias_db(x + SETTLE, FFT_N, freqs[f], RATE);
      free(x);
      worst = db > worst ? db : worst;
      at5k  = (f == 0 && db > at5k) ? db : at5k;
      ck_assert_msg(db <= -60.0, "%s%s at %g Hz: alias at %.1f dB",
                    k % 2 ? "half way after " : "", table_names[k / 2], (double)freqs[f], db);
    }
  }
  printf("MEASURE wavetable alias: %.1f dB at 5 kHz, %.1f dB worst over 62 Hz..15 kHz "
         "(target -60 dB)\n",
         at5k, worst);
}
END_TEST

/* Between two tables the output is their crossfade: at position 1/8 (half
   way from sine to saw) it is the mean of the two within float rounding. */
START_TEST(test_wavetable_crossfade)
{
  const size_t n    = 4800;
  float*       a    = wavetable_render(220.0f, 0.0f, n);
  float*       b    = wavetable_render(220.0f, 0.25f, n);
  float*       half = wavetable_render(220.0f, 0.125f, n);
  for (size_t i = 0; i < n; ++i) {
    ck_assert_msg(fabsf(half[i] - 0.5f * (a[i] + b[i])) < 1e-6f, "frame %zu", i);
  }
  free(a);
  free(b);
  free(half);
}
END_TEST

#define ZIPPER_TAU 0.005  // the fastest one-pole a parameter sweep may follow, in seconds

/* The most a one-pole of ZIPPER_TAU moves in one sample for a jump of `span`. */
static double
sweep_step(double span)
{
  return fabs(span) * (1.0 - exp(-1.0 / (ZIPPER_TAU * RATE)));
}

/* Morphing is click-free. The tables played steadily at the same pitch
   start in the same phase, so at every sample the morph may step by no more
   than the largest step any table takes at that sample, plus what the
   position's own step adds (|difference of two tables| <= 2, 4 tables per
   unit of position), first while the position parameter jumps from one end
   to the other (sine to bell through every table, smoothed), then while an
   audio-rate ramp on the position input sweeps it in 0.1 s; along the ramp
   the output is also the crossfade of the two neighbouring tables' steady
   outputs within float rounding. A morph that switched tables anywhere
   (even where their levels are close) would break both. */
START_TEST(test_wavetable_morph)
{
  const float  freq = 220.0f;
  const size_t n    = 24000;
  const size_t jump = 4800;
  float*       steady[5];
  for (int k = 0; k < 5; ++k) {
    steady[k] = wavetable_render(freq, (float)k / 4.0f, n);
  }
  const StNodeType* t         = st_registry_find("wavetable");
  const float       values[2] = {freq, 0.0f};
  NodeRig*          rig       = rig_new(t, RATE, values);
  float*            jumped    = rig_buffer(n);
  rig_run1(rig, NULL, jumped, 0, jump);
  rig_set(rig, "position", 1.0f);
  rig_run1(rig, NULL, jumped + jump, 0, n - jump);
  rig_free(rig);

  rig          = rig_new(t, RATE, values);
  float* ramp  = rig_buffer(n);
  float* swept = rig_buffer(n);
  for (size_t i = 0; i < n; ++i) {
    ramp[i] = i < jump ? 0.0f : fminf(1.0f, (float)(i - jump) / 4800.0f);
  }
  const float* in[] = {NULL, ramp};
  float*       o[]  = {swept};
  rig_run(rig, in, o, n, NULL, NULL);
  rig_free(rig);

  double worst_jump = 0.0, worst_ramp = 0.0, worst_fade = 0.0, excess = -1.0;
  for (size_t i = 1; i < n; ++i) {
    double local = 0.0;  // the largest step of any table at this sample
    for (int k = 0; k < 5; ++k) {
      local = fmax(local, fabs((double)steady[k][i] - steady[k][i - 1]));
    }
    const double dj = fabs((double)jumped[i] - jumped[i - 1]);
    const double dr = fabs((double)swept[i] - swept[i - 1]);
    worst_jump      = fmax(worst_jump, dj);
    worst_ramp      = fmax(worst_ramp, dr);
    excess          = fmax(excess, fmax(dj - (local + 8.0 * sweep_step(1.0)),
                                        dr - (local + 8.0 * (ramp[i] - ramp[i - 1]))));
    ck_assert_msg(dj <= local + 8.0 * sweep_step(1.0),
                  "position jump, frame %zu: step %g, "
                  "tables step at most %g",
                  i, dj, local);
    ck_assert_msg(dr <= local + 8.0 * (ramp[i] - ramp[i - 1]) + 1e-6,
                  "position ramp, frame %zu: step %g, tables step at most %g", i, dr, local);
    const float x    = ramp[i] * 4.0f;
    const int   a    = x < 4.0f ? (int)x : 3;
    const float m    = x - (float)a;
    const float fade = steady[a][i] + m * (steady[a + 1][i] - steady[a][i]);
    worst_fade       = fmax(worst_fade, fabs((double)swept[i] - fade));
    ck_assert_msg(fabsf(swept[i] - fade) < 1e-5f, "position ramp, frame %zu: %g, crossfade %g",
                  i, (double)swept[i], (double)fade);
  }
  printf("MEASURE wavetable morph largest step: %.5f on a position jump, %.5f on a 0.1 s ramp; "
         "largest excess over the steady tables' step at that sample plus the position's "
         "share: %.2g (bound 0); ramp vs ideal crossfade: %.2g (bound 1e-5)\n",
         worst_jump, worst_ramp, excess, worst_fade);
  for (int k = 0; k < 5; ++k) {
    free(steady[k]);
  }
  free(jumped);
  free(ramp);
  free(swept);
}
END_TEST

/* --- wavefolder, crusher, ringmod: exact transfer --- */

/* The output for constant inputs (one per port, NAN: unlinked), after the
   parameters given in `names`/`values` are snapped. */
static float
transfer(const char* type, const char* const* names, const float* values, size_t n_params,
         const float* inputs, size_t n_inputs)
{
  NodeRig* rig = rig_new(st_registry_find(type), RATE, NULL);
  for (size_t k = 0; k < n_params; ++k) {
    rig_snap(rig, names[k], values[k]);
  }
  float        buf[2][8];
  const float* in[2] = {NULL, NULL};
  for (size_t p = 0; p < n_inputs; ++p) {
    for (int i = 0; i < 8; ++i) {
      buf[p][i] = inputs[p];
    }
    in[p] = isnan(inputs[p]) ? NULL : buf[p];
  }
  float  out[8];
  float* o[] = {out};
  rig_run(rig, in, o, 8, NULL, NULL);
  rig_free(rig);
  return out[7];
}

/* Exact: drive * in + bias reflected at +-1. */
START_TEST(test_wavefolder_transfer)
{
  static const struct {
    float drive, bias, in, out;
  } cases[] = {
    {1, 0, 0, 0},
    {1, 0, 0.5f, 0.5f},
    {1, 0, -0.75f, -0.75f},
    {1, 0, 1, 1},
    {1, 0, 1.5f, 0.5f},
    {1, 0, 2.5f, -0.5f},
    {1, 0, 3, -1},
    {1, 0, -1.25f, -0.75f},
    {2, 0, 0.75f, 0.5f},
    {4, 0, 0.5f, 0},
    {4, 0, 1.0f, 0},
    {8, 0, 0.375f, -1},
    {1, 0.5f, 0.75f, 0.75f},
    {2, -0.5f, -0.5f, -0.5f},
    {1, 0, 5.25f, 0.75f},
    {1, 0, -5.5f, -0.5f},
  };
  static const char* const names[] = {"drive", "bias", "mix"};
  for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); ++k) {
    const float v[] = {cases[k].drive, cases[k].bias, 1.0f};
    const float y   = transfer("wavefolder", names, v, 3, &cases[k].in, 1);
    ck_assert_msg(y == cases[k].out, "drive %g bias %g in %g: %g, want %g",
                  (double)cases[k].drive, (double)cases[k].bias, (double)cases[k].in, (double)y,
                  (double)cases[k].out);
  }
  const float v[] = {3.0f, 0.0f, 0.0f};  // dry: the input itself
  const float x   = 0.8125f;
  ck_assert(transfer("wavefolder", names, v, 3, &x, 1) == x);
}
END_TEST

/* Exact: rounding to multiples of 2^(1 - bits), halves up. */
START_TEST(test_crusher_bits)
{
  static const struct {
    float bits, in, out;
  } cases[] = {
    {3, 0.3f, 0.25f},
    {3, -0.6f, -0.5f},
    {3, 0.125f, 0.25f},
    {3, -0.125f, 0},
    {3, 0.9f, 1.0f},
    {1, 0.4f, 0},
    {1, 0.5f, 1.0f},
    {1, -0.75f, -1.0f},
    {8, 0.3f, 0.296875f},
    {16, 0.5f, 0.5f},
    {24, 0.1f, 838861.0f / 8388608.0f},
  };
  static const char* const names[] = {"bits", "rate", "mix"};
  for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); ++k) {
    const float v[] = {cases[k].bits, RATE, 1.0f};
    const float y   = transfer("crusher", names, v, 3, &cases[k].in, 1);
    ck_assert_msg(y == cases[k].out, "bits %g in %g: %g, want %g", (double)cases[k].bits,
                  (double)cases[k].in, (double)y, (double)cases[k].out);
  }
}
END_TEST

/* Exact: at a quarter of the sample rate each sample taken is held for 4;
   at a third (not a whole division) the holds are 3 samples long. */
START_TEST(test_crusher_rate)
{
  static const float divisors[] = {4.0f, 3.0f, 1.0f};
  for (size_t d = 0; d < 3; ++d) {
    NodeRig* rig = rig_new(st_registry_find("crusher"), RATE, NULL);
    rig_snap(rig, "bits", 24.0f);
    rig_snap(rig, "rate", RATE / divisors[d]);
    float in[96], out[96];
    for (int i = 0; i < 96; ++i) {
      in[i] = (float)i / 128.0f;
    }
    rig_run1(rig, in, out, 0, 96);
    const int hold = (int)divisors[d];
    for (int i = 0; i < 96; ++i) {
      ck_assert_msg(out[i] == in[i - i % hold], "1/%d rate, frame %d: %g", hold, i,
                    (double)out[i]);
    }
    rig_free(rig);
  }
}
END_TEST

/* Exact: in * (carrier + offset) with the carrier input linked; with it
   unlinked, a constant input gives the built-in sine at `freq`, amplitude 1. */
START_TEST(test_ringmod_transfer)
{
  static const char* const names[] = {"offset", "mix"};
  uint32_t                 seed    = 99u;
  for (int k = 0; k < 100; ++k) {
    float v[2];
    for (int j = 0; j < 2; ++j) {
      nm_xorshift(&seed);
      v[j] = (float)((double)seed / 2147483648.0 - 1.0);
    }
    const float ring[] = {0.0f, 1.0f};
    const float am[]   = {1.0f, 1.0f};
    ck_assert(transfer("ringmod", names, ring, 2, v, 2) == v[0] * v[1]);
    ck_assert(transfer("ringmod", names, am, 2, v, 2) == v[0] * (v[1] + 1.0f));
  }
  NodeRig*     rig = rig_new(st_registry_find("ringmod"), RATE, NULL);
  const size_t n   = (size_t)RATE;
  float*       one = rig_buffer(n);
  float*       out = rig_buffer(n);
  for (size_t i = 0; i < n; ++i) {
    one[i] = 1.0f;
  }
  rig_snap(rig, "freq", 750.0f);
  rig_run1(rig, one, out, 0, n);
  ck_assert(fabs(nm_zero_cross_freq(out, n, RATE) - 750.0) < 1e-3);
  ck_assert(fabs(nm_tone_amp(out, n, 750.0, RATE) - 1.0) < 1e-4);
  rig_free(rig);
  free(one);
  free(out);
}
END_TEST

/* Anti-aliasing: a 1031 Hz sine of amplitude 0.9 folded at drive 2, 4 and 8
   has its aliases (every component off the harmonics of 1031 Hz) at least
   ALIAS_GAIN dB lower than the plain fold of the same samples gives
   (measured: 4.8 to 7.8 dB lower). */
#define ALIAS_GAIN 4.0

static double
naive_fold(double u)
{
  const double t = 0.25 * (u + 1.0);
  return 1.0 - fabs(4.0 * (t - floor(t)) - 2.0);
}

START_TEST(test_wavefolder_alias)
{
  static const float drives[] = {2.0f, 4.0f, 8.0f};
  const double       f0       = 1031.0;
  const size_t       n        = FFT_N + SETTLE;
  float*             in       = sine(n, f0, 0.9);
  float*             out      = rig_buffer(n);
  float*             plain    = rig_buffer(n);
  for (size_t d = 0; d < 3; ++d) {
    const float values[3] = {drives[d], 0.0f, 1.0f};
    NodeRig*    rig       = rig_new(st_registry_find("wavefolder"), RATE, values);
    rig_run1(rig, in, out, 0, n);
    rig_free(rig);
    for (size_t i = 0; i < n; ++i) {
      plain[i] = (float)naive_fold((double)drives[d] * in[i]);
    }
    const double got  = nm_alias_db(out + SETTLE, FFT_N, f0, RATE);
    const double base = nm_alias_db(plain + SETTLE, FFT_N, f0, RATE);
    ck_assert_msg(got <= base - ALIAS_GAIN, "drive %g: aliases at %.1f dB, plain fold %.1f dB",
                  (double)drives[d], got, base);
    printf("MEASURE wavefolder alias, 1031 Hz at drive %g: %.1f dB (plain fold %.1f dB)\n",
           (double)drives[d], got, base);
  }
  free(in);
  free(out);
  free(plain);
}
END_TEST

/* The limiter's memory is sized in 64 bits: the largest look-ahead at the
   highest engine rate is small, and a rate no engine accepts gets a size no
   budget accepts instead of a wrapped one. */
START_TEST(test_limiter_memory)
{
  const StNodeType* t         = st_registry_find("limiter");
  const float       values[4] = {-1.0f, 0.0f, 0.05f, 0.02f};
  const size_t      most      = t->state_size(values, 768000.0f);
  ck_assert_uint_lt(most, 300 * 1024);  // 15360 samples in rings of 16384 x 16 bytes
  ck_assert_uint_gt(most, 16384 * 16);
  ck_assert_uint_eq(t->state_size(values, 1e12f), SIZE_MAX);
  ck_assert_uint_eq(t->state_size(values, INFINITY), SIZE_MAX);
  ck_assert_uint_eq(t->state_size(values, NAN), SIZE_MAX);
}
END_TEST

/* --- no zipper noise --- */

/* How a sweep's steps are bounded at each sample i:
   LINEAR: the output is linear in the parameter (a mix, an offset), so it
     steps by at most the larger step of the two steady outputs at i (the
     parameter at either end of the sweep), plus `sensitivity` (the most the
     output moves per unit of the parameter) times the parameter's step;
   FOLD: the fold is 1-Lipschitz, so it steps by at most
     drive * |step of the input| + |input| * drive's step + bias's step;
   HOLD: the crusher (8 bits) holds a sample for at most 48000 / 2000 = 24
     samples, so it steps by at most 24 input steps and one grid step;
   CARRIER: the ring modulator's output in * carrier steps by at most
     |input step| + |input| * the carrier's step at 5 kHz (the phase runs on
     continuously, whatever the frequency does). */
enum { LINEAR, FOLD, HOLD, CARRIER };

typedef struct {
  const char* type;
  const char* param;
  float       from, to;
  int         bound;
  double      sensitivity;
} Sweep;

/* A node created with the sweep's parameter at `value`, the others at their
   defaults. */
static NodeRig*
sweep_rig(const Sweep* s, float value)
{
  const StNodeType* t = st_registry_find(s->type);
  float             values[ST_MAX_PARAMS];
  for (uint32_t k = 0; k < t->n_params; ++k) {
    values[k] = t->params[k].def;
  }
  values[st_node_param_index(t, s->param)] = value;
  return rig_new(t, RATE, values);
}

static float*
steady_render(const Sweep* s, const float* in, size_t n, float value)
{
  NodeRig* rig = sweep_rig(s, value);
  float*   out = rig_buffer(n);
  rig_run1(rig, in, out, 0, n);
  rig_free(rig);
  return out;
}

/* A parameter jump on a 110 Hz sine of amplitude 0.5, at one of its peaks
   (where a parameter that scales the input shows most), followed by the
   parameter's smoother: the steps must stay within the bound above, with the
   parameter moving no faster than a one-pole of ZIPPER_TAU would (so a
   parameter that jumped, or followed a faster smoother, fails). */
START_TEST(test_sweeps_without_zipper)
{
  static const Sweep sweeps[] = {
    {"wavefolder", "drive", 1, 20, FOLD, 0.0},   {"wavefolder", "bias", -1, 1, FOLD, 0.0},
    {"wavefolder", "mix", 0, 1, LINEAR, 1.5},    {"crusher", "mix", 0, 1, LINEAR, 0.05},
    {"crusher", "rate", 48000, 2000, HOLD, 0.0}, {"ringmod", "freq", 100, 5000, CARRIER, 0.0},
    {"ringmod", "offset", 0, 1, LINEAR, 0.5},    {"ringmod", "mix", 0, 1, LINEAR, 1.0},
  };
  const size_t n       = 24000;
  const size_t jumps[] = {4909, 5018};  // 11.25 periods: a peak; 11.5: a falling zero crossing
  float*       in      = sine(n, 110.0, 0.5);
  float*       out     = rig_buffer(n);
  for (size_t k = 0; k < 2 * sizeof(sweeps) / sizeof(sweeps[0]); ++k) {
    const Sweep* s    = &sweeps[k / 2];
    const size_t jump = jumps[k % 2];
    NodeRig*     rig  = sweep_rig(s, s->from);
    rig_run1(rig, in, out, 0, jump);
    rig_set(rig, s->param, s->to);
    rig_run1(rig, in + jump, out + jump, 0, n - jump);
    rig_free(rig);
    float*       a      = steady_render(s, in, n, s->from);
    float*       b      = steady_render(s, in, n, s->to);
    const double pstep  = sweep_step(s->to - s->from);
    const double dx_max = nm_largest_step(in, 1, n);
    double       got = 0.0, margin = 1e9;
    for (size_t i = 1; i < n; ++i) {
      const double d  = fabs((double)out[i] - out[i - 1]);
      const double dx = fabs((double)in[i] - in[i - 1]);
      double       bound;
      if (s->bound == LINEAR) {
        bound = fmax(fabs((double)a[i] - a[i - 1]), fabs((double)b[i] - b[i - 1])) +
                s->sensitivity * pstep;
      } else if (s->bound == FOLD) {
        bound = !strcmp(s->param, "drive") ? 20.0 * dx + fabs(in[i]) * pstep
                                           : 2.0 * dx + pstep;  // default drive 2
      } else if (s->bound == HOLD) {
        bound = 24.0 * dx_max + 1.0 / 128.0;
      } else {
        bound = dx + fabs(in[i]) * 2.0 * sin(PI * 5000.0 / RATE);
      }
      bound += 1e-6;  // float rounding
      got    = fmax(got, d);
      margin = fmin(margin, bound - d);
      ck_assert_msg(d <= bound, "%s.%s %g -> %g at %zu, frame %zu: step %g, bound %g", s->type,
                    s->param, (double)s->from, (double)s->to, jump, i, d, bound);
    }
    printf("MEASURE %s.%s sweep %g -> %g at frame %zu: largest step %.5f, smallest margin "
           "under the bound %.2g\n",
           s->type, s->param, (double)s->from, (double)s->to, jump, got, margin);
    free(a);
    free(b);
  }
  free(in);
  free(out);
}
END_TEST

/* Crusher resolution sweep from 12 to 4 bits: the grid moves, but no step
   exceeds one step of the coarsest grid plus the input's own step. */
START_TEST(test_crusher_bits_sweep)
{
  const size_t n    = 24000;
  const size_t jump = 4800;
  float*       in   = sine(n, 110.0, 0.5);
  float*       out  = rig_buffer(n);
  NodeRig*     rig  = rig_new(st_registry_find("crusher"), RATE, NULL);
  rig_snap(rig, "rate", RATE);
  rig_snap(rig, "bits", 12.0f);
  rig_run1(rig, in, out, 0, jump);
  rig_set(rig, "bits", 4.0f);
  rig_run1(rig, in + jump, out + jump, 0, n - jump);
  rig_free(rig);
  const double bound = 1.0 / 8.0 + nm_largest_step(in, 1, n);
  const double got   = nm_largest_step(out, 1, n);
  ck_assert_msg(got <= bound, "step %g, bound %g", got, bound);
  printf("MEASURE crusher.bits sweep 12 -> 4: largest step %.5f (bound %.5f)\n", got, bound);
  free(in);
  free(out);
}
END_TEST

int
main(void)
{
  Suite* s = suite_create("node_dynamics");
  TCase* l = tcase_create("limiter");
  tcase_add_test(l, test_limiter_ceiling);
  tcase_add_test(l, test_limiter_transparent);
  tcase_add_test(l, test_limiter_sidechain);
  tcase_add_test(l, test_limiter_memory);
  suite_add_tcase(s, l);
  TCase* c = tcase_create("compressor");
  tcase_add_test(c, test_compressor_static_curve);
  tcase_add_test(c, test_compressor_timing);
  tcase_add_test(c, test_compressor_sidechain);
  suite_add_tcase(s, c);
  TCase* w = tcase_create("wavetable");
  tcase_add_test(w, test_wavetable_alias);
  tcase_add_test(w, test_wavetable_crossfade);
  tcase_add_test(w, test_wavetable_morph);
  suite_add_tcase(s, w);
  TCase* x = tcase_create("shapers");
  tcase_add_test(x, test_wavefolder_transfer);
  tcase_add_test(x, test_wavefolder_alias);
  tcase_add_test(x, test_crusher_bits);
  tcase_add_test(x, test_crusher_rate);
  tcase_add_test(x, test_ringmod_transfer);
  tcase_add_test(x, test_sweeps_without_zipper);
  tcase_add_test(x, test_crusher_bits_sweep);
  suite_add_tcase(s, x);
  SRunner* r = srunner_create(s);
  srunner_set_fork_status(r, CK_NOFORK);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
