/* SPDX-License-Identifier: ISC */
/* The plugin's presets: listing them, finding one by label or URI, and
   reading one's state. */
#include "host_private.h"

#include <lv2/presets/presets.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int
by_label(const void* a, const void* b)
{
  const ShPreset* x = a;
  const ShPreset* y = b;
  const int       c = strcasecmp(x->label, y->label);
  return c ? c : strcmp(x->uri, y->uri);
}

ShPreset*
sh_presets(ShWorld* w, size_t* count)
{
  *count            = 0;
  LilvNode*  pset   = lilv_new_uri(w->lilv, LV2_PRESETS__Preset);
  LilvNode*  label  = lilv_new_uri(w->lilv, RDFS__label);
  LilvNodes* nodes  = lilv_plugin_get_related(w->plugin, pset);
  const size_t n    = nodes ? lilv_nodes_size(nodes) : 0;
  ShPreset*  list   = n ? calloc(n, sizeof(ShPreset)) : NULL;
  size_t     filled = 0;
  LILV_FOREACH (nodes, i, nodes) {
    if (!list) {
      break;
    }
    const LilvNode* preset = lilv_nodes_get(nodes, i);
    lilv_world_load_resource(w->lilv, preset);
    LilvNode*   name = lilv_world_get(w->lilv, preset, label, NULL);
    const char* uri  = lilv_node_as_uri(preset);
    list[filled].uri   = strdup(uri);
    list[filled].label = strdup(name ? lilv_node_as_string(name) : uri);
    lilv_node_free(name);
    if (list[filled].uri && list[filled].label) {
      ++filled;
    } else {
      free(list[filled].uri);
      free(list[filled].label);
    }
  }
  lilv_nodes_free(nodes);
  lilv_node_free(label);
  lilv_node_free(pset);
  if (list) {
    qsort(list, filled, sizeof(ShPreset), by_label);
  }
  *count = filled;
  return list;
}

void
sh_presets_free(ShPreset* presets, size_t count)
{
  for (size_t i = 0; i < count; ++i) {
    free(presets[i].uri);
    free(presets[i].label);
  }
  free(presets);
}

char*
sh_preset_find(ShWorld* w, const char* name)
{
  size_t    n     = 0;
  ShPreset* list  = sh_presets(w, &n);
  char*     found = NULL;
  for (size_t i = 0; i < n && !found; ++i) {
    if (!strcmp(list[i].uri, name) || !strcasecmp(list[i].label, name)) {
      found = strdup(list[i].uri);
    }
  }
  sh_presets_free(list, n);
  return found;
}

LilvState*
sh_preset_state(ShWorld* w, const char* uri)
{
  LilvNode*  node  = lilv_new_uri(w->lilv, uri);
  LilvState* state = node ? lilv_state_new_from_world(w->lilv, &w->map, node) : NULL;
  lilv_node_free(node);
  return state;
}
