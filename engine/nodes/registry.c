#include "registry.h"

#include <string.h>

static const StNodeType* const types[] = {
  NULL,
};

size_t
st_registry_count(void)
{
  return sizeof(types) / sizeof(types[0]) - 1;
}

const StNodeType*
st_registry_at(size_t index)
{
  return index < st_registry_count() ? types[index] : NULL;
}

const StNodeType*
st_registry_find(const char* name)
{
  for (size_t i = 0; i < st_registry_count(); ++i) {
    if (!strcmp(types[i]->name, name)) {
      return types[i];
    }
  }
  return NULL;
}
