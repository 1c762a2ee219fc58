/* SPDX-License-Identifier: ISC */
/* The list of every node type a patch may use. */
#ifndef ST_REGISTRY_H
#define ST_REGISTRY_H

#include "node.h"

#include <stddef.h>

/* The node type with this name, or NULL. */
const StNodeType* st_registry_find(const char* name);

/* Number of registered types, and the i-th one (in reference order). */
size_t            st_registry_count(void);
const StNodeType* st_registry_at(size_t index);

#endif
