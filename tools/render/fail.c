/* SPDX-License-Identifier: ISC */
#include "fail.h"

#include <stdarg.h>
#include <stdio.h>

int
sr_fail(int code, const char* format, ...)
{
  va_list args;
  va_start(args, format);
  fputs("strata-render: ", stderr);
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  va_end(args);
  return code;
}
