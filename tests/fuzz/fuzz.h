/* SPDX-License-Identifier: ISC */
/* The fuzz targets' common entry points: LLVMFuzzerTestOneInput (libFuzzer,
   or replay.c's main in the normal build) and a generator of the seed
   corpus kept in tests/fuzz/corpus/<target>/. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

/* Writes the target's seed inputs as files into `dir`. */
void fuzz_make_seeds(const char* dir);

/* Writes one seed file dir/name. */
void fuzz_write_seed(const char* dir, const char* name, const void* data, size_t size);

#endif
