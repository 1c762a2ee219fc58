/* SPDX-License-Identifier: ISC */
/* Space effects: the reverb's decay time (Schroeder integration), echo
   density, tail periodicity, smooth decay to exact silence and stereo
   decorrelation; chorus, flanger and phaser swept at audio rate without
   zipper noise; comb and allpass impulse responses, sample for sample. */
#include "division.h"
#include "node_harness.h"
#include "node_measure.h"
#include "registry.h"
#include "sweep.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0
#define PI 3.14159265358979323846

/* --- Reverb --- */

typedef struct {
  float* left;
  float* right;
  size_t n;
  double rate;
} Stereo;

/* The reverb's response at `rate` to a unit impulse on the left input only
   (the right unlinked reads the left: a mono input), wet only, no pre-delay. */
static Stereo
reverb_ir_at(double rate, float decay, float damping, float mod, float size, size_t n)
{
  const StNodeType* t   = st_registry_find("reverb");
  NodeRig*          rig = rig_new(t, (float)rate, NULL);
  rig_snap(rig, "decay", decay);
  rig_snap(rig, "damping", damping);
  rig_snap(rig, "mod", mod);
  rig_snap(rig, "size", size);
  rig_snap(rig, "predelay", 0.0f);
  rig_snap(rig, "mix", 1.0f);
  Stereo s            = {rig_buffer(n), rig_buffer(n), n, rate};
  float* in           = rig_buffer(n);
  in[0]               = 1.0f;
  const float* ins[]  = {in, NULL};
  float*       outs[] = {s.left, s.right};
  rig_run(rig, ins, outs, n, NULL, NULL);
  rig_free(rig);
  free(in);
  return s;
}

static Stereo
reverb_ir(float decay, float damping, float mod, float size, size_t n)
{
  return reverb_ir_at(RATE, decay, damping, mod, size, n);
}

static void
stereo_free(Stereo s)
{
  free(s.left);
  free(s.right);
}

/* Schroeder's energy decay curve of both channels, in dB re its start. */
static double*
decay_curve(Stereo s)
{
  double* edc = calloc(s.n, sizeof(double));
  double  sum = 0.0;
  for (size_t i = s.n; i-- > 0;) {
    sum += (double)s.left[i] * s.left[i] + (double)s.right[i] * s.right[i];
    edc[i] = sum;
  }
  for (size_t i = 0; i < s.n; ++i) {
    edc[i] = 10.0 * log10(edc[i] / sum + 1e-300);
  }
  return edc;
}

/* RT60 from the least-squares slope of the curve between -5 and -35 dB (T30),
   and the largest distance of the curve from that line there, in dB. */
static double
rt60(const double* edc, size_t n, double rate, double* wobble)
{
  double sx = 0, sy = 0, sxx = 0, sxy = 0, m = 0;
  size_t a = 0, b = 0;
  while (a < n && edc[a] > -5.0) {
    ++a;
  }
  for (b = a; b < n && edc[b] > -35.0; ++b) {
    const double x = (double)b / rate;
    sx += x;
    sy += edc[b];
    sxx += x * x;
    sxy += x * edc[b];
    ++m;
  }
  const double slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
  const double icept = (sy - slope * sx) / m;
  *wobble            = 0.0;
  for (size_t i = a; i < b; ++i) {
    const double d = fabs(edc[i] - (icept + slope * (double)i / rate));
    *wobble        = d > *wobble ? d : *wobble;
  }
  return -60.0 / slope;
}

/* Tolerance: the 10 %. Decay settings from 0.3 s to 10 s at 48 kHz,
   damping 0 (the setting is then the decay of every frequency), with and
   without the modulation, and two of them at 44.1 and 96 kHz; the energy
   decay curve also stays within 1 dB of a straight line (a smooth,
   single-slope decay). */
START_TEST(test_reverb_rt60)
{
  static const float decays[] = {0.3f, 0.6f, 1.0f, 2.0f, 4.0f, 10.0f};
  static const float mods[]   = {0.0f, 1.0f};
  double             worst    = 0.0;
  for (size_t m = 0; m < 2; ++m) {
    for (size_t k = 0; k < sizeof(decays) / sizeof(decays[0]); ++k) {
      const size_t n   = (size_t)((decays[k] * 0.8 + 0.3) * RATE);
      Stereo       ir  = reverb_ir(decays[k], 0.0f, mods[m], 1.0f, n);
      double*      edc = decay_curve(ir);
      double       wobble;
      const double t   = rt60(edc, n, RATE, &wobble);
      const double err = (t - decays[k]) / decays[k];
      printf("MEASURE reverb decay %5.2f s mod %.0f: RT60 %.4f s (error %+.2f %%, "
             "curve within %.2f dB of a line)\n",
             (double)decays[k], (double)mods[m], t, 100.0 * err, wobble);
      worst = fabs(err) > worst ? fabs(err) : worst;
      ck_assert_msg(fabs(err) < 0.10, "decay %g: RT60 %g s", (double)decays[k], t);
      ck_assert_msg(wobble < 1.0, "decay %g: curve %g dB off its line", (double)decays[k],
                    wobble);
      free(edc);
      stereo_free(ir);
    }
  }
  static const double rates[] = {44100.0, 96000.0};
  for (size_t r = 0; r < 2; ++r) {
    for (size_t k = 1; k < 5; k += 3) {
      const size_t n   = (size_t)((decays[k] * 0.8 + 0.3) * rates[r]);
      Stereo       ir  = reverb_ir_at(rates[r], decays[k], 0.0f, 0.3f, 1.0f, n);
      double*      edc = decay_curve(ir);
      double       wobble;
      const double t   = rt60(edc, n, rates[r], &wobble);
      const double err = (t - decays[k]) / decays[k];
      printf("MEASURE reverb decay %5.2f s at %.1f kHz: RT60 %.4f s (error %+.2f %%)\n",
             (double)decays[k], rates[r] / 1000.0, t, 100.0 * err);
      worst = fabs(err) > worst ? fabs(err) : worst;
      ck_assert_msg(fabs(err) < 0.10 && wobble < 1.0, "decay %g at %g Hz: RT60 %g s",
                    (double)decays[k], rates[r], t);
      free(edc);
      stereo_free(ir);
    }
  }
  printf("MEASURE reverb worst RT60 error: %.2f %% (target 10 %%)\n", 100.0 * worst);
}
END_TEST

/* The decay time at `freq` of every line of the reverb, from its absorption
   filter: gain g (1 - p) / |1 - p e^-jw| per trip of d samples. */
static double
expected_rt60(double decay, double damping, double freq)
{
  const double d  = 2179.0;  // a middle line at size 1 (the filters of all give the same)
  const double lo = pow(10.0, -3.0 * d / (decay * RATE));
  const double hi = pow(10.0, -3.0 * d / (decay * (1.0 - damping) * RATE));
  const double p  = (lo - hi) / (lo + hi);
  const double w  = 2.0 * PI * freq / RATE;
  const double g  = lo * (1.0 - p) / sqrt(1.0 - 2.0 * p * cos(w) + p * p);
  return -3.0 * d / (RATE * log10(g));
}

/* The response through a band of one octave (half power) around `freq`:
   the spectrum weighted by cos^2 of the distance in octaves (zero an octave
   away). The smooth edges keep the band's kernel short, so the loud start
   of the response does not leak into the tail. */
static Stereo
octave_band(Stereo s, double freq)
{
  size_t n = 1;
  while (n < s.n) {
    n *= 2;
  }
  Stereo  b  = {rig_buffer(n), rig_buffer(n), n, s.rate};
  double* re = calloc(n, sizeof(double));
  double* im = calloc(n, sizeof(double));
  for (int c = 0; c < 2; ++c) {
    const float* x = c ? s.right : s.left;
    float*       y = c ? b.right : b.left;
    for (size_t i = 0; i < n; ++i) {
      re[i] = i < s.n ? x[i] : 0.0;
      im[i] = 0.0;
    }
    nm_fft(re, im, n);
    for (size_t k = 0; k < n; ++k) {
      const double f   = (double)(k <= n / 2 ? k : n - k) * RATE / (double)n;
      const double oct = f > 0.0 ? log2(f / freq) : -2.0;
      const double w   = fabs(oct) < 1.0 ? pow(cos(0.5 * PI * oct), 2.0) : 0.0;
      re[k]            = w * re[k];
      im[k]            = -w * im[k];  // conjugate: the forward FFT then inverts
    }
    nm_fft(re, im, n);
    for (size_t i = 0; i < n; ++i) {
      y[i] = (float)(re[i] / (double)n);
    }
  }
  free(re);
  free(im);
  return b;
}

/* Tolerance: 10 %, as for the broadband decay. With damping the treble
   dies first: decay 2 s, damping 0.6 (RT60 at Nyquist 0.8 s); the RT60
   measured in octaves around 500 Hz, 2 kHz, 8 kHz and 16 kHz matches the
   absorption filters' design at that frequency. */
START_TEST(test_reverb_damping)
{
  static const double bands[] = {500, 2000, 8000, 16000};
  const size_t        n       = (size_t)(2.0 * RATE);
  Stereo              ir      = reverb_ir(2.0f, 0.6f, 0.3f, 1.0f, n);
  for (size_t k = 0; k < 4; ++k) {
    Stereo band      = octave_band(ir, bands[k]);
    band.n           = n;
    double*      edc = decay_curve(band);
    double       wobble;
    const double t    = rt60(edc, n, RATE, &wobble);
    const double want = expected_rt60(2.0, 0.6, bands[k]);
    printf("MEASURE reverb damping 0.6, octave at %5.0f Hz: RT60 %.3f s, designed %.3f s "
           "(error %+.2f %%)\n",
           bands[k], t, want, 100.0 * (t - want) / want);
    ck_assert_msg(fabs(t - want) < 0.1 * want, "%g Hz: RT60 %g s, want %g s", bands[k], t,
                  want);
    free(edc);
    stereo_free(band);
  }
  stereo_free(ir);
}
END_TEST

/* Normalized echo density (Abel and Huang): in a 20 ms window the share of
   samples further than one standard deviation from zero, over the Gaussian
   share erfc(1/sqrt 2); 1 means as dense as noise. */
static double
echo_density(const float* x, size_t at, size_t window)
{
  double e = 0.0;
  for (size_t i = at; i < at + window; ++i) {
    e += (double)x[i] * x[i];
  }
  const double sd    = sqrt(e / (double)window);
  size_t       count = 0;
  for (size_t i = at; i < at + window; ++i) {
    count += fabs(x[i]) > sd;
  }
  return ((double)count / (double)window) / erfc(1.0 / sqrt(2.0));
}

/* Tolerance: the echo density of the left channel reaches 0.9 within
   150 ms and stays at 0.9 or more (mean of 20 ms windows from there to
   1 s at least 0.95): the tail is as dense as noise, with no audible
   discrete echoes. Default settings, decay 2 s. */
START_TEST(test_reverb_echo_density)
{
  const size_t window = (size_t)(0.02 * RATE);
  const size_t n      = (size_t)(1.1 * RATE);
  Stereo       ir     = reverb_ir(2.0f, 0.5f, 0.3f, 1.0f, n);
  size_t       first  = 0;
  double       low = 1e9, sum = 0.0;
  size_t       count = 0;
  for (size_t at = 0; at + window <= (size_t)RATE; at += window / 4) {
    const double d = echo_density(ir.left, at, window);
    if (!first && d >= 0.9) {
      first = at + window / 2;
    }
    if (first && at + window / 2 > first) {
      low = d < low ? d : low;
      sum += d;
      ++count;
    }
  }
  printf("MEASURE reverb echo density: 0.9 reached at %.1f ms; after that mean %.3f, lowest "
         "%.3f\n",
         1000.0 * first / RATE, sum / count, low);
  ck_assert_msg(first && first < (size_t)(0.15 * RATE), "density 0.9 at %zu", first);
  ck_assert_msg(sum / count >= 0.95, "mean density %g", sum / count);
  stereo_free(ir);
}
END_TEST

/* The tail made stationary (multiplied by the inverse of its decay), one
   channel, from `from` to `to` seconds; its normalized autocorrelation at
   lags 1 ms..300 ms. Returns the largest |r| and its lag in ms. */
static double
tail_periodicity(const float* x, double decay, double from, double to, double* lag_ms)
{
  const size_t a = (size_t)(from * RATE), len = (size_t)((to - from) * RATE);
  size_t       n = 1;
  while (n < 2 * len) {
    n *= 2;
  }
  double* re = calloc(n, sizeof(double));
  double* im = calloc(n, sizeof(double));
  for (size_t i = 0; i < len; ++i) {
    re[i] = x[a + i] * pow(10.0, 3.0 * (double)(a + i) / RATE / decay);
  }
  nm_fft(re, im, n);
  for (size_t i = 0; i < n; ++i) {
    re[i] = re[i] * re[i] + im[i] * im[i];
    im[i] = 0.0;
  }
  nm_fft(re, im, n);  // the power spectrum's transform: the autocorrelation (times n)
  double best = 0.0;
  for (size_t lag = (size_t)(0.001 * RATE); lag < (size_t)(0.3 * RATE); ++lag) {
    // Unbiased: each lag's sum over its overlap.
    const double r = re[lag] / re[0] * (double)len / (double)(len - lag);
    if (fabs(r) > best) {
      best    = fabs(r);
      *lag_ms = 1000.0 * (double)lag / RATE;
    }
  }
  free(re);
  free(im);
  return best;
}

/* Tolerance: at the default settings no lag from 1 to 300 ms correlates
   above 0.1 in the tail (0.2..1.2 s, 48000 samples, where chance alone
   gives |r| up to about 4.5/sqrt(48000) = 0.02 over the lags tried): no
   audible repetition, none at the line lengths (21..94 ms) or their sums.
   Without modulation each line's return to itself through the matrix
   shows at its own length (up to 0.12): printed, not asserted. */
START_TEST(test_reverb_tail_not_periodic)
{
  double       lag_l = 0, lag_r = 0;
  Stereo       still = reverb_ir(2.0f, 0.0f, 0.0f, 1.0f, (size_t)(1.3 * RATE));
  const double s     = tail_periodicity(still.left, 2.0, 0.2, 1.2, &lag_l);
  printf("MEASURE reverb tail autocorrelation peak without modulation: %.4f at %.1f ms\n", s,
         lag_l);
  stereo_free(still);
  const StNodeType* t   = st_registry_find("reverb");
  const float       mod = t->params[st_node_param_index(t, "mod")].def;
  Stereo            ir  = reverb_ir(2.0f, 0.0f, mod, 1.0f, (size_t)(1.3 * RATE));
  const double      l   = tail_periodicity(ir.left, 2.0, 0.2, 1.2, &lag_l);
  const double      r   = tail_periodicity(ir.right, 2.0, 0.2, 1.2, &lag_r);
  printf(
    "MEASURE reverb tail autocorrelation peak (mod %.1f): left %.4f at %.1f ms, right %.4f "
    "at %.1f ms (bound 0.1)\n",
    (double)mod, l, lag_l, r, lag_r);
  ck_assert_msg(l < 0.1 && r < 0.1, "autocorrelation %g / %g", l, r);
  stereo_free(ir);
}
END_TEST

/* Correlation of left and right over a stretch, each made stationary. */
static double
correlation(Stereo s, double decay, double from, double to)
{
  double lr = 0, ll = 0, rr = 0;
  for (size_t i = (size_t)(from * RATE); i < (size_t)(to * RATE); ++i) {
    const double g = pow(10.0, 3.0 * (double)i / RATE / decay);
    const double l = s.left[i] * g, r = s.right[i] * g;
    lr += l * r;
    ll += l * l;
    rr += r * r;
  }
  return lr / sqrt(ll * rr);
}

/* Tolerance: a mono impulse gives left and right tails whose correlation
   (50 ms..1 s) is within +-0.1 at the default settings and at the
   extremes of damping and modulation. Two independent noises over 45600
   samples correlate within +-0.005 (1 sigma); a bandwidth narrowed by
   damping leaves fewer independent samples, hence the margin, and 0.1 is
   far below the 0.3..0.5 where a stereo image starts to collapse. */
START_TEST(test_reverb_mono_in_stereo_out)
{
  static const float settings[][2] = {{0.5f, 0.3f}, {0.0f, 0.0f}, {0.95f, 1.0f}};
  for (size_t k = 0; k < 3; ++k) {
    Stereo ir = reverb_ir(2.0f, settings[k][0], settings[k][1], 1.0f, (size_t)(1.1 * RATE));
    const double c = correlation(ir, 2.0, 0.05, 1.0);
    printf("MEASURE reverb mono-in tail L/R correlation (damping %.2f, mod %.1f): %+.4f (bound "
           "0.1)\n",
           (double)settings[k][0], (double)settings[k][1], c);
    ck_assert_msg(fabs(c) < 0.1, "correlation %g", c);
    stereo_free(ir);
  }
}
END_TEST

/* Tolerance: no subnormal ever (the test runs without flush-to-zero), and
   exactly 0 at the end: a 1 s reverb's response to a full-scale impulse is
   silent (every state flushed) after 10 s. */
START_TEST(test_reverb_decays_to_silence)
{
  const size_t n         = (size_t)(12 * RATE);
  Stereo       ir        = reverb_ir(1.0f, 0.5f, 0.3f, 1.0f, n);
  size_t       subnormal = 0, last = 0;
  for (size_t i = 0; i < n; ++i) {
    subnormal += fpclassify(ir.left[i]) == FP_SUBNORMAL ||
                 fpclassify(ir.right[i]) == FP_SUBNORMAL;
    last = (ir.left[i] != 0.0f || ir.right[i] != 0.0f) ? i : last;
  }
  printf("MEASURE reverb (1 s) silent from %.2f s on, %zu subnormal samples\n", last / RATE,
         subnormal);
  ck_assert_uint_eq(subnormal, 0);
  ck_assert_msg(last < (size_t)(10 * RATE), "still sounding at %g s", last / RATE);
  stereo_free(ir);
}
END_TEST

/* --- Chorus, flanger, phaser: sweeping every parameter --- */

#define SWEEP_N (1u << 18)  // 5.5 s
#define SWEEP_HZ 220.0

typedef struct {
  NodeRig* rig;
  uint32_t seed;
  size_t   frame;
} Sweeper;

static uint32_t
next_random(uint32_t* s)
{
  *s ^= *s << 13;
  *s ^= *s >> 17;
  *s ^= *s << 5;
  return *s;
}

/* Before each sub-block (1..64 frames, at random): every parameter not fixed
   at creation gets a new random target in its range (choices too), and the
   host's transport, rolling at 120 BPM, moves on. */
static uint32_t
sweep_split(void* ctx)
{
  Sweeper*          s = ctx;
  const StNodeType* t = s->rig->type;
  for (uint32_t k = 0; k < t->n_params; ++k) {
    const StParamSpec* spec = &t->params[k];
    if (spec->flags & ST_PARAM_FIXED) {
      continue;
    }
    const float u = (float)(next_random(&s->seed) % 65536u) / 65535.0f;
    float       v = spec->min + u * (spec->max - spec->min);
    if (spec->flags & (ST_PARAM_CHOICE | ST_PARAM_INT)) {
      v = roundf(v);
    }
    st_param_set(&s->rig->params[k], v, false);
  }
  StTransport* tr       = &s->rig->host.transport;
  tr->bpm               = 120.0f;
  tr->beat_unit         = 4.0f;
  tr->beats_per_bar     = 4.0f;
  tr->playing           = 1;
  tr->from_host         = 1;
  tr->beat              = (double)s->frame * 2.0 / RATE;
  const uint32_t frames = 1 + next_random(&s->seed) % 64u;
  s->frame += frames;
  return frames;
}

/* A type like `t` whose parameters are not smoothed: the zipper the test
   must be able to see. */
static StNodeType
unsmoothed(const StNodeType* t, StParamSpec* specs)
{
  StNodeType u = *t;
  memcpy(specs, t->params, t->n_params * sizeof(StParamSpec));
  for (uint32_t k = 0; k < t->n_params; ++k) {
    specs[k].smooth = 0.0f;
  }
  u.params = specs;
  return u;
}

typedef struct {
  double hf_db;     ///< Energy above 4 kHz re the whole output, dB
  double max_step;  ///< Largest |y[n] - y[n-1]| on either side
} Zipper;

/* Sweeps a node's parameters at audio rate with a 220 Hz sine (amplitude
   0.5) on its left input; everything the node makes of the sine lies below
   about 2 kHz (Doppler shifts and sidebands at the sweep rates), so energy
   above 4 kHz is the zipper noise of stepped settings. */
static Zipper
sweep(const StNodeType* t)
{
  float* in     = rig_buffer(SWEEP_N);
  float* out[2] = {rig_buffer(SWEEP_N), rig_buffer(SWEEP_N)};
  for (size_t i = 0; i < SWEEP_N; ++i) {
    in[i] = (float)(0.5 * sin(2.0 * PI * fmod(SWEEP_HZ * (double)i / RATE, 1.0)));
  }
  NodeRig*     rig   = rig_new(t, (float)RATE, NULL);
  Sweeper      s     = {rig, 12345u, 0};
  const float* ins[] = {in, NULL};
  rig_run(rig, ins, out, SWEEP_N, sweep_split, &s);
  Zipper  z     = {0.0, 0.0};
  double  total = 0.0, high = 0.0;
  double* amp = calloc(SWEEP_N / 2 + 1, sizeof(double));
  for (int c = 0; c < 2; ++c) {
    nm_spectrum(out[c], SWEEP_N, amp);
    for (size_t b = 0; b <= SWEEP_N / 2; ++b) {
      total += amp[b] * amp[b];
      high += (b * RATE / SWEEP_N > 4000.0) ? amp[b] * amp[b] : 0.0;
    }
    z.max_step = fmax(z.max_step, nm_largest_step(out[c], 1, SWEEP_N));
  }
  z.hf_db = 10.0 * log10(high / total + 1e-30);
  rig_free(rig);
  free(amp);
  free(in);
  free(out[0]);
  free(out[1]);
  return z;
}

/* Tolerance: swept, the energy above 4 kHz stays below -90 dB of the
   output (measured -105..-114 dB; without any smoothing, random settings
   every 1..64 samples give -15..-18 dB). The same sweep with the parameters'
   own smoothing taken away (only the nodes' 5 ms glides left) must measure
   at least 20 dB worse, so the measure does see zipper noise. The sine
   alone steps by at most 2 pi 220 / 48000 * 0.5 = 0.0144 a sample: the
   largest steps are printed beside it. */
START_TEST(test_sweep_without_zipper)
{
  static const char* const names[] = {"chorus", "flanger", "phaser"};
  const StNodeType*        t       = st_registry_find(names[_i]);
  StParamSpec              specs[ST_MAX_PARAMS];
  const StNodeType         raw    = unsmoothed(t, specs);
  const Zipper             smooth = sweep(t);
  const Zipper             zipped = sweep(&raw);
  printf("MEASURE %s swept at audio rate: energy above 4 kHz %.1f dB (target < -90), max step "
         "%.4f; unsmoothed %.1f dB, max step %.4f\n",
         t->name, smooth.hf_db, smooth.max_step, zipped.hf_db, zipped.max_step);
  ck_assert_msg(smooth.hf_db < -90.0, "%s: %g dB above 4 kHz", t->name, smooth.hf_db);
  ck_assert_msg(zipped.hf_db > smooth.hf_db + 20.0, "%s: the measure misses zipper noise",
                t->name);
}
END_TEST

/* The sweep locks to the host's beat: synced at 1/4 (one cycle a beat) with
   the transport rolling at 97.3 BPM from beat 3.3, after 1 s the phase is
   the beat's fraction within 1e-6 of a cycle; stopped, it runs at the
   tempo's rate exactly. */
START_TEST(test_sweep_locks_to_beat)
{
  StTransport t = {.beat = 3.3, .bpm = 97.3f, .beats_per_bar = 4, .beat_unit = 4, .playing = 1};
  StSweep     s = {0.0, 0.0};
  double      phase = 0.0;
  for (uint32_t i = 0; i < (uint32_t)RATE; ++i) {
    t.beat = 3.3 + (double)i * 97.3 / 60.0 / RATE;
    phase  = st_sweep_next(&s, 1.0f, true, ST_DIV_1_4, &t, 0, (float)RATE);
  }
  const double want = fmod(3.3 + (RATE - 1) * 97.3 / 60.0 / RATE, 1.0);
  printf("MEASURE sweep locked to the beat: phase error %.2e cycles\n", fabs(phase - want));
  ck_assert_msg(fabs(phase - want) < 1e-6, "phase %g, beat %g", phase, want);
  t.playing = 0;
  for (uint32_t i = 0; i < (uint32_t)RATE; ++i) {
    st_sweep_next(&s, 1.0f, true, ST_DIV_1_4, &t, 0, (float)RATE);
  }
  const double p0 = st_sweep_next(&s, 1.0f, true, ST_DIV_1_4, &t, 0, (float)RATE);
  const double p1 = st_sweep_next(&s, 1.0f, true, ST_DIV_1_4, &t, 0, (float)RATE);
  ck_assert_double_eq_tol(fmod(p1 - p0 + 1.0, 1.0), (double)97.3f / 60.0 / RATE, 1e-15);
}
END_TEST

/* --- Comb and allpass --- */

#define DELAY_S 0.015625f  // 750 samples at 48 kHz, exact in binary
#define DELAY_N 750

static float*
impulse_response(const char* type, const char* mode, float gain, size_t n)
{
  NodeRig* rig = rig_new(st_registry_find(type), (float)RATE, NULL);
  if (mode) {
    rig_snap(rig, "mode", strcmp(mode, "feedback") ? 1.0f : 0.0f);
  }
  rig_snap(rig, "time", DELAY_S);
  rig_snap(rig, "gain", gain);
  float* in  = rig_buffer(n);
  float* out = rig_buffer(n);
  in[0]      = 1.0f;
  rig_run1(rig, in, out, 0, n);
  rig_free(rig);
  free(in);
  return out;
}

/* Tolerance: exact. Feedback: 1, then g^k at k * 750 samples; feedforward:
   1 and g at 750; zero everywhere else. */
START_TEST(test_comb_impulse_response)
{
  const size_t n    = 20 * DELAY_N;
  const float  g    = -0.7f;
  float*       fb   = impulse_response("comb", "feedback", g, n);
  float*       ff   = impulse_response("comb", "feedforward", g, n);
  float        want = 1.0f;
  for (size_t i = 0; i < n; ++i) {
    const bool tap = i % DELAY_N == 0;
    ck_assert_msg(fb[i] == (tap ? want : 0.0f), "feedback at %zu: %g", i, (double)fb[i]);
    ck_assert_msg(ff[i] == (i == 0 ? 1.0f : (i == DELAY_N ? g : 0.0f)),
                  "feedforward at %zu: %g", i, (double)ff[i]);
    want = tap ? want * g : want;
  }
  free(fb);
  free(ff);
}
END_TEST

/* Tolerance: the impulse response exactly (-g, then (1 - g^2) g^(k-1) at k
   times 750 samples, as float arithmetic gives it), and its magnitude
   response flat within 0.001 dB over all 32769 bins of a 65536-point FFT. */
START_TEST(test_allpass_impulse_response)
{
  const size_t n = 1u << 16;
  const float  g = 0.7f;
  float*       h = impulse_response("allpass", NULL, g, n);
  float        v = 1.0f;  // the line's content at k * 750
  for (size_t i = 0; i < n; ++i) {
    float want = 0.0f;
    if (i == 0) {
      want = -g * v;
    } else if (i % DELAY_N == 0) {
      const float nv = g * v;
      want           = v - g * nv;
      v              = nv;
    }
    ck_assert_msg(h[i] == want, "at %zu: %g, want %g", i, (double)h[i], (double)want);
  }
  double* re = calloc(n, sizeof(double));
  double* im = calloc(n, sizeof(double));
  for (size_t i = 0; i < n; ++i) {
    re[i] = h[i];
  }
  nm_fft(re, im, n);
  double worst = 0.0;
  for (size_t b = 0; b <= n / 2; ++b) {
    const double db = fabs(10.0 * log10(re[b] * re[b] + im[b] * im[b]));
    worst           = db > worst ? db : worst;
  }
  printf("MEASURE allpass magnitude: flat within %.2e dB (bound 1e-3)\n", worst);
  ck_assert_msg(worst < 1e-3, "magnitude off by %g dB", worst);
  free(re);
  free(im);
  free(h);
}
END_TEST

static Suite*
space_suite(void)
{
  Suite* s = suite_create("node_space");
  TCase* r = tcase_create("reverb");
  tcase_set_timeout(r, 300);
  tcase_add_test(r, test_reverb_rt60);
  tcase_add_test(r, test_reverb_damping);
  tcase_add_test(r, test_reverb_echo_density);
  tcase_add_test(r, test_reverb_tail_not_periodic);
  tcase_add_test(r, test_reverb_mono_in_stereo_out);
  tcase_add_test(r, test_reverb_decays_to_silence);
  suite_add_tcase(s, r);
  TCase* m = tcase_create("modulation");
  tcase_set_timeout(m, 300);
  tcase_add_loop_test(m, test_sweep_without_zipper, 0, 3);
  tcase_add_test(m, test_sweep_locks_to_beat);
  suite_add_tcase(s, m);
  TCase* f = tcase_create("filters");
  tcase_add_test(f, test_comb_impulse_response);
  tcase_add_test(f, test_allpass_impulse_response);
  suite_add_tcase(s, f);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(space_suite());
  srunner_set_fork_status(r, CK_NOFORK);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
