/* SPDX-License-Identifier: ISC */
#include "patch_number.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

StStatus
st_number_begin(StNumberLocale* locale)
{
  locale->c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
  if (locale->c == (locale_t)0) {
    return ST_ERR_NO_MEMORY;
  }
  locale->saved = uselocale(locale->c);
  return ST_OK;
}

void
st_number_end(StNumberLocale* locale)
{
  uselocale(locale->saved);
  freelocale(locale->c);
}

static size_t
count_digits(const char* text, size_t length, size_t at)
{
  size_t n = 0;
  while (at + n < length && text[at + n] >= '0' && text[at + n] <= '9') {
    ++n;
  }
  return n;
}

size_t
st_number_scan(const char* text, size_t length)
{
  size_t at = 0;
  if (at < length && (text[at] == '+' || text[at] == '-')) {
    ++at;
  }
  const size_t whole = count_digits(text, length, at);
  at += whole;
  // A fraction needs a digit after the point, so "80..120" is 80, "..", 120.
  const size_t frac = at + 1 < length && text[at] == '.' ? count_digits(text, length, at + 1) : 0;
  if (frac) {
    at += 1 + frac;
  }
  if (whole + frac == 0) {
    return 0;
  }
  if (at < length && (text[at] == 'e' || text[at] == 'E')) {
    size_t e = at + 1;
    if (e < length && (text[e] == '+' || text[e] == '-')) {
      ++e;
    }
    const size_t exponent = count_digits(text, length, e);
    if (exponent) {
      at = e + exponent;
    }
  }
  return at;
}

bool
st_number_read(const char* text, float* value)
{
  const float v = strtof(text, NULL);
  // Overflow gives infinity; underflow rounds to a subnormal or zero like any rounding.
  if (!isfinite(v)) {
    return false;
  }
  *value = v;
  return true;
}

/* Fixed notation for exponents -5..8 ("110", "0.005"), so hand-written and
   written values look alike; scientific beyond ("1e-45", "3.4028235e+38"). */
static void
format_digits(float value, int precision, char text[ST_NUMBER_TEXT])
{
  snprintf(text, ST_NUMBER_TEXT, "%.*e", precision - 1, (double)value);
  const int exponent = atoi(strchr(text, 'e') + 1);
  if (exponent >= -5 && exponent < 9) {
    const int decimals = precision - 1 - exponent;
    snprintf(text, ST_NUMBER_TEXT, "%.*f", decimals > 0 ? decimals : 0, (double)value);
  }
}

void
st_number_format(float value, char text[ST_NUMBER_TEXT])
{
  // Nine significant digits always suffice for a float.
  for (int precision = 1; precision <= 9; ++precision) {
    format_digits(value, precision, text);
    const float back = strtof(text, NULL);
    if (!memcmp(&back, &value, sizeof(float))) {
      return;
    }
  }
}
