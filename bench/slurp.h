/* SPDX-License-Identifier: ISC */
/* A whole file read into memory, for the benchmarks' patch files. */
#ifndef ST_BENCH_SLURP_H
#define ST_BENCH_SLURP_H

#include <stddef.h>

/* The bytes of `path`, zero-terminated (malloc'd), their count in `size`;
   exits with a message when the file cannot be read. */
char* bench_slurp(const char* path, size_t* size);

#endif
