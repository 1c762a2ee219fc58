/* SPDX-License-Identifier: ISC */
#include "node_measure.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846

static void
bit_reverse(double* re, double* im, size_t n)
{
  for (size_t i = 1, j = 0; i < n; ++i) {
    size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) {
      j ^= bit;
    }
    j ^= bit;
    if (i < j) {
      double t = re[i];
      re[i]    = re[j];
      re[j]    = t;
      t        = im[i];
      im[i]    = im[j];
      im[j]    = t;
    }
  }
}

void
nm_fft(double* re, double* im, size_t n)
{
  bit_reverse(re, im, n);
  for (size_t len = 2; len <= n; len <<= 1) {
    const double a = -2.0 * PI / (double)len;
    for (size_t k = 0; k < len / 2; ++k) {
      const double wr = cos(a * (double)k);
      const double wi = sin(a * (double)k);
      for (size_t i = k; i < n; i += len) {
        const size_t j  = i + len / 2;
        const double tr = re[j] * wr - im[j] * wi;
        const double ti = re[j] * wi + im[j] * wr;
        re[j]           = re[i] - tr;
        im[j]           = im[i] - ti;
        re[i] += tr;
        im[i] += ti;
      }
    }
  }
}

void
nm_spectrum(const float* x, size_t n, double* amp)
{
  double* re  = calloc(n, sizeof(double));
  double* im  = calloc(n, sizeof(double));
  double  sum = 0.0;
  assert(re && im);
  for (size_t i = 0; i < n; ++i) {
    const double t = 2.0 * PI * (double)i / (double)n;
    const double w = 0.35875 - 0.48829 * cos(t) + 0.14128 * cos(2 * t) - 0.01168 * cos(3 * t);
    re[i]          = w * x[i];
    sum += w;
  }
  nm_fft(re, im, n);
  for (size_t k = 0; k <= n / 2; ++k) {
    amp[k] = 2.0 * hypot(re[k], im[k]) / sum;
  }
  free(re);
  free(im);
}

double
nm_peak(const double* amp, size_t bins, long lo, long hi)
{
  double peak = 0.0;
  lo          = lo < 0 ? 0 : lo;
  hi          = hi >= (long)bins ? (long)bins - 1 : hi;
  for (long k = lo; k <= hi; ++k) {
    peak = amp[k] > peak ? amp[k] : peak;
  }
  return peak;
}

double
nm_zero_cross_freq(const float* x, size_t n, double rate)
{
  double first = -1.0, last = -1.0;
  long   periods = -1;
  for (size_t i = 1; i < n; ++i) {
    if (x[i - 1] < 0.0f && x[i] >= 0.0f) {
      const double t = (double)(i - 1) + x[i - 1] / ((double)x[i - 1] - x[i]);
      first          = first < 0.0 ? t : first;
      last           = t;
      ++periods;
    }
  }
  return periods > 0 ? (double)periods * rate / (last - first) : 0.0;
}

double
nm_tone_amp(const float* x, size_t n, double freq, double rate)
{
  double s = 0.0, c = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const double ph = 2.0 * PI * fmod(freq * (double)i / rate, 1.0);
    s += x[i] * sin(ph);
    c += x[i] * cos(ph);
  }
  return 2.0 * hypot(s, c) / (double)n;
}

double
nm_db(double ratio)
{
  return 20.0 * log10(ratio);
}

double
nm_alias_db(const float* x, size_t n, double f0, double rate)
{
  const size_t bins = n / 2 + 1;
  double*      amp  = calloc(bins, sizeof(double));
  char*        mask = calloc(bins, 1);
  assert(amp && mask);
  nm_spectrum(x, n, amp);
  const double bin  = rate / n;
  const long   lobe = 6;  // the Blackman-Harris main lobe's half-width is 4 bins
  const long   top  = (long)(n / 2);
  for (double f = 0.0; f < rate / 2; f += f0) {
    const long c  = lround(f / bin);
    const long lo = c - lobe < 0 ? 0 : c - lobe;
    const long hi = c + lobe > top ? top : c + lobe;
    memset(mask + lo, 1, (size_t)(hi - lo + 1));
  }
  const double fund  = nm_peak(amp, bins, lround(f0 / bin) - 2, lround(f0 / bin) + 2);
  double       alias = 0.0;
  for (long k = 0; k <= top; ++k) {
    alias = (!mask[k] && amp[k] > alias) ? amp[k] : alias;
  }
  free(mask);
  free(amp);
  return nm_db(alias / fund);
}

double
nm_largest_step(const float* x, size_t from, size_t to)
{
  double worst = 0.0;
  for (size_t i = from > 0 ? from : 1; i < to; ++i) {
    const double d = fabs((double)x[i] - x[i - 1]);
    worst          = d > worst ? d : worst;
  }
  return worst;
}
