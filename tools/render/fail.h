/* SPDX-License-Identifier: ISC */
/* Exit codes and error messages of strata-render: every message starts with
   "strata-render: " and names the thing that was wrong. */
#ifndef SR_FAIL_H
#define SR_FAIL_H

#include <stddef.h>

typedef enum {
  SR_EXIT_OK    = 0, ///< Done
  SR_EXIT_FAIL  = 1, ///< A render, file or patch error
  SR_EXIT_USAGE = 2, ///< A bad command line
} SrExit;

/* Room for a reason a part gives to main() for its message. */
#define SR_WHY 1024

/* Prints "strata-render: <message>\n" on stderr and returns `code`. */
int sr_fail(int code, const char* format, ...) __attribute__((format(printf, 2, 3)));

#endif
