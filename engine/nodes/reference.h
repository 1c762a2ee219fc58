/* SPDX-License-Identifier: ISC */
/* The Markdown node reference, generated from the registered type tables
   (control side: docs/nodes.md and `--list-nodes`). */
#ifndef ST_REFERENCE_H
#define ST_REFERENCE_H

#include <stdbool.h>
#include <stdio.h>

/* Writes the reference of every registered type; false on a write error. */
bool st_reference_write(FILE* out);

#endif
