#include "node_measure.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

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
