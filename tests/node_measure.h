/* SPDX-License-Identifier: ISC */
/* Measurements for the node quality tests: a radix-2 FFT in double
   precision, a window, tone measurements, and the tests' noise. */
#ifndef NODE_MEASURE_H
#define NODE_MEASURE_H

#include <stddef.h>
#include <stdint.h>

/* In-place complex FFT of n (a power of two) points. */
void nm_fft(double* re, double* im, size_t n);

/* Amplitude spectrum (n/2 + 1 bins) of x under a 4-term Blackman-Harris
   window (side lobes -92 dB), scaled so a sine of amplitude A peaks near A. */
void nm_spectrum(const float* x, size_t n, double* amp);

/* Largest amplitude in bins lo..hi (clamped to the spectrum). */
double nm_peak(const double* amp, size_t bins, long lo, long hi);

/* Frequency from the first and last rising zero crossings (linearly
   interpolated) and the number of periods between them. */
double nm_zero_cross_freq(const float* x, size_t n, double rate);

/* Amplitude of the component at exactly `freq` (x must hold a whole number
   of its periods). */
double nm_tone_amp(const float* x, size_t n, double freq, double rate);

/* Alias level of a periodic signal of fundamental f0: the largest spectrum
   bin (nm_spectrum over n points) outside 6 bins either side of every
   harmonic, in dB re the fundamental. */
double nm_alias_db(const float* x, size_t n, double f0, double rate);

/* Largest |x[i] - x[i - 1]| over i in from..to (from 0 counts as 1). */
double nm_largest_step(const float* x, size_t from, size_t to);

/* 20 log10 of a ratio. */
double nm_db(double ratio);

/* Advances a xorshift32 state (never 0): the tests' reproducible noise. */
static inline void
nm_xorshift(uint32_t* state)
{
  *state ^= *state << 13;
  *state ^= *state >> 17;
  *state ^= *state << 5;
}

#endif
