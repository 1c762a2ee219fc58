/* SPDX-License-Identifier: ISC */
/* Life-cycle functions for node types whose state is ready as the engine
   hands it over: zeroed, or not needed at all. */
#ifndef ST_ZEROED_H
#define ST_ZEROED_H

#include <stddef.h>

/* One byte: for types that keep nothing between blocks. */
size_t st_zeroed_tiny_size(const float* params, float rate);

/* Nothing to set up beyond the zeroed block. */
void st_zeroed_init(void* state, const float* params, float rate);

#endif
