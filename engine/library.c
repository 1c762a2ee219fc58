/* SPDX-License-Identifier: ISC */
/* Sub-patch definitions: the library that holds them, shared by counted
   reference, and how a node type leads back to its definition. */
#include "library.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

StLibrary*
st_library_new(void)
{
  StLibrary* library = calloc(1, sizeof(StLibrary));
  if (library) {
    library->refs = 1;
  }
  return library;
}

StLibrary*
st_library_ref(StLibrary* library)
{
  if (library) {
    ++library->refs;
  }
  return library;
}

void
st_library_unref(StLibrary* library)
{
  if (!library || --library->refs > 0) {
    return;
  }
  for (uint32_t i = 0; i < library->count; ++i) {
    st_subpatch_free(library->defs[i]);
  }
  free(library);
}

bool
st_library_add(StLibrary* library, StSubpatch* def)
{
  if (library->count == ST_SUBPATCH_MAX) {
    return false;
  }
  library->defs[library->count++] = def;
  return true;
}

const char*
st_library_name_at(const void* library, size_t index)
{
  return ((const StLibrary*)library)->defs[index]->name;
}

const StSubpatch*
st_library_find(const StLibrary* library, const char* name)
{
  for (uint32_t i = 0; library && i < library->count; ++i) {
    if (!strcmp(library->defs[i]->name, name)) {
      return library->defs[i];
    }
  }
  return NULL;
}

const StSubpatch*
st_subpatch_of(const StNodeType* type)
{
  const char* at = (const char*)type;
  if (type->flags & ST_NODE_GROUP) {
    return (const StSubpatch*)(const void*)(at - offsetof(StSubpatch, group));
  }
  if (type->flags & ST_NODE_SUBPATCH) {
    return (const StSubpatch*)(const void*)(at - offsetof(StSubpatch, type));
  }
  return NULL;
}

bool
st_graph_has_instances(const StGraph* model)
{
  for (uint32_t i = 0; i < model->span; ++i) {
    if (st_arena_live(&model->arena, i) &&
        (model->slots[i].type->flags & (ST_NODE_SUBPATCH | ST_NODE_GROUP))) {
      return true;
    }
  }
  return false;
}

StSubpatch*
st_subpatch_new(const char* name, uint32_t pool_buffers, float rate)
{
  StSubpatch* def = calloc(1, sizeof(StSubpatch));
  if (!def || !(def->body = st_graph_new(ST_SUBPATCH_MAX_NODES, pool_buffers, rate))) {
    free(def);
    return NULL;
  }
  snprintf(def->name, sizeof(def->name), "%s", name);
  for (uint32_t o = 0; o < ST_SUBPATCH_MAX_OUTLETS; ++o) {
    def->outlet_src[o] = (StSource){ST_NO_NODE, 0};
  }
  return def;
}

void
st_subpatch_free(StSubpatch* def)
{
  if (def) {
    st_graph_free(def->body);
    free(def);
  }
}
