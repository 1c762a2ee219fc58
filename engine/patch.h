/* SPDX-License-Identifier: ISC */
/* The patch text format: one statement a line, read into a graph model and
   written back from a model or a running graph. The grammar and its rules
   are in docs/patch-format.md; in short:

     node NAME TYPE [PARAM=VALUE ...]
     link NODE.OUTPUT -> NODE.INPUT
     macro SLOT NODE.PARAM MIN..MAX [lin|exp] ["Label"]
     tap left|right NODE.OUTPUT
     place NODE X Y
     name "Patch Name"
     voices NAME SUBPATCH [PARAM=VALUE ...]

     subpatch NAME                  (top level only; ends at `end`)
       inlet NAME ...
       outlet NAME ...
       node, place                  (as above; TYPE may be an earlier sub-patch)
       link NODE.OUTPUT|INLET -> NODE.INPUT|OUTLET
       param NAME NODE.PARAM
     end

   A sub-patch is a node type of the patch (`node NAME SUBPATCH`), and a
   voice group's voice; the definitions are the model's library (library.h).
   The writer's text reads back into an equal graph, and writing that graph
   gives the very same text. */
#ifndef ST_PATCH_H
#define ST_PATCH_H

#include "graph.h"
#include "node.h"
#include "status.h"

#include <stdbool.h>
#include <stddef.h>

/* Where and why a parse failed. */
typedef struct {
  StStatus status;       ///< Same as the parse's return value
  unsigned line;         ///< 1-based line of the offending token, 0 when not tied to one
  unsigned column;       ///< 1-based byte column of the offending token
  char     message[256]; ///< "line 12, column 10: node 'vcf' has no input 'cutof' (did you mean 'cutoff'?)"
} StPatchError;

/* The node types a patch may name. `count` and `at` list them for
   suggestions; either may be NULL to suggest no type names. */
typedef struct {
  const StNodeType* (*find)(const char* name); ///< The type of this name, or NULL
  size_t (*count)(void);                       ///< Number of types
  const StNodeType* (*at)(size_t index);       ///< The index-th type
} StTypeCatalog;

/* The catalog of every registered node type (nodes/registry.h). */
const StTypeCatalog* st_patch_registry(void);

/* Reads patch text (`length` bytes, any bytes, no terminating zero needed)
   into `model`, which must be a model, not a running graph. On success the
   model holds exactly the patch, its former content replaced. On failure the
   model is unchanged and `error` (may be NULL) says where and why. `types`
   NULL means st_patch_registry(). */
StStatus st_patch_parse(const char* text, size_t length, const StTypeCatalog* types,
                        StGraph* model, StPatchError* error);

/* The patch text of a model or a running graph (parameter targets are
   written): malloc'd, zero-terminated, for the caller to free. NULL when out
   of memory. */
char* st_patch_write(const StGraph* model);

/* True when both graphs hold the same patch: nodes in the same index order
   (free slots skipped) with the same names, types, parameter targets and
   positions (bit for bit), the same links, taps and macro maps (in order)
   and the same patch name, and the same sub-patch definitions in order
   (inlets, outlets and their links, exposed parameters, bodies by these same
   rules; a node of a sub-patch type matches one of that name and kind).
   False also when out of memory. */
bool st_patch_equal(const StGraph* a, const StGraph* b);

#endif
