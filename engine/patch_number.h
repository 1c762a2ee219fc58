/* SPDX-License-Identifier: ISC */
/* Numbers in patch text, independent of the process locale: a host may have
   set LC_NUMERIC to one with a decimal comma, and a patch must read the same
   everywhere. Conversions run between st_number_begin() and st_number_end(),
   which switch the calling thread (only) to the "C" locale. */
#ifndef ST_PATCH_NUMBER_H
#define ST_PATCH_NUMBER_H

#include "status.h"

#include <locale.h>
#include <stdbool.h>
#include <stddef.h>

#define ST_NUMBER_TEXT 24 ///< Bytes that hold any formatted float with its zero

typedef struct {
  locale_t c;     ///< The "C" numeric locale
  locale_t saved; ///< The thread's locale before st_number_begin()
} StNumberLocale;

/* Switches this thread to the "C" numeric locale; ST_ERR_NO_MEMORY on failure. */
StStatus st_number_begin(StNumberLocale* locale);

/* Restores the thread's locale. */
void st_number_end(StNumberLocale* locale);

/* Length of the number at the start of `text` (at most `length` bytes):
   [+-] (digits [. digits] | . digits) [(e|E) [+-] digits], or 0 when none.
   No "nan", "inf" or hexadecimal: a patch holds finite decimal numbers. */
size_t st_number_scan(const char* text, size_t length);

/* Converts a scanned, zero-terminated number to the nearest float; false
   when it is beyond the float range. */
bool st_number_read(const char* text, float* value);

/* The shortest text that reads back as exactly `value`. */
void st_number_format(float value, char text[ST_NUMBER_TEXT]);

#endif
