/* SPDX-License-Identifier: ISC */
/* The world: lilv's world with every bundle on the LV2 path loaded, the
   plugin found in it, and the URID map every instance of the world shares. */
#include "host_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The map is a list searched from the end: a host maps a few hundred URIs,
   almost all at instantiate. */
static LV2_URID
map_locked(ShWorld* w, const char* uri)
{
  for (uint32_t i = w->n_uris; i-- > 0;) {
    if (!strcmp(w->uris[i], uri)) {
      return i + 1;
    }
  }
  if (w->n_uris == w->cap_uris) {
    const uint32_t cap  = w->cap_uris ? w->cap_uris * 2 : 256;
    char**         uris = realloc(w->uris, cap * sizeof(char*));
    if (!uris) {
      return 0;
    }
    w->uris     = uris;
    w->cap_uris = cap;
  }
  char* copy = strdup(uri);
  if (!copy) {
    return 0;
  }
  w->uris[w->n_uris] = copy;
  return ++w->n_uris;
}

static LV2_URID
map_uri(LV2_URID_Map_Handle handle, const char* uri)
{
  ShWorld* w = handle;
  if (!uri) {
    return 0;
  }
  pthread_mutex_lock(&w->map_lock);
  const LV2_URID urid = map_locked(w, uri);
  pthread_mutex_unlock(&w->map_lock);
  return urid;
}

static const char*
unmap_uri(LV2_URID_Unmap_Handle handle, LV2_URID urid)
{
  ShWorld* w = handle;
  pthread_mutex_lock(&w->map_lock);
  const char* uri = urid >= 1 && urid <= w->n_uris ? w->uris[urid - 1] : NULL;
  pthread_mutex_unlock(&w->map_lock);
  return uri;
}

/* LV2_PATH with its relative entries made absolute: lilv 0.24 cannot load
   a bundle from a relative directory (it crashes on "build/lv2"). NULL when
   LV2_PATH is not set or nothing needs changing. */
static char*
absolute_lv2_path(void)
{
  const char* path = getenv("LV2_PATH");
  char        cwd[4096];
  if (!path || !getcwd(cwd, sizeof(cwd))) {
    return NULL;
  }
  char* out = malloc(strlen(path) * 2 + strlen(cwd) * (strlen(path) + 1) + 1);
  if (!out) {
    return NULL;
  }
  char* w = out;
  for (const char* at = path;;) {
    const size_t len = strcspn(at, ":");
    if (len && at[0] != '/' && at[0] != '~') {
      w += sprintf(w, "%s/", cwd);
    }
    memcpy(w, at, len);
    w += len;
    if (!at[len]) {
      break;
    }
    *w++ = ':';
    at += len + 1;
  }
  *w = '\0';
  return out;
}

ShWorld*
sh_world_new(const char* plugin_uri, char* why, size_t why_size)
{
  plugin_uri = plugin_uri ? plugin_uri : STRATA_URI;
  ShWorld* w = calloc(1, sizeof(ShWorld));
  if (!w || !(w->lilv = lilv_world_new())) {
    snprintf(why, why_size, "out of memory");
    free(w);
    return NULL;
  }
  pthread_mutex_init(&w->map_lock, NULL);
  w->map   = (LV2_URID_Map){w, map_uri};
  w->unmap = (LV2_URID_Unmap){w, unmap_uri};
  // In the order the plugin maps them at instantiate (its logger's, then its
  // URIs): URIDs written into the fuzz corpora keep their meaning.
  static const char* const log_uris[] = {LV2_LOG__Error, LV2_LOG__Note, LV2_LOG__Trace,
                                         LV2_LOG__Warning};
  for (size_t i = 0; i < sizeof(log_uris) / sizeof(log_uris[0]); ++i) {
    map_uri(w, log_uris[i]);
  }
  st_uris_init(&w->u, &w->map);
  char* lv2_path = absolute_lv2_path();
  if (lv2_path) {
    LilvNode* value = lilv_new_string(w->lilv, lv2_path);
    lilv_world_set_option(w->lilv, LILV_OPTION_LV2_PATH, value);
    lilv_node_free(value);
    free(lv2_path);
  }
  lilv_world_load_all(w->lilv);
  LilvNode* uri = lilv_new_uri(w->lilv, plugin_uri);
  w->plugin     = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(w->lilv), uri);
  lilv_node_free(uri);
  if (!w->plugin) {
    const char* path = getenv("LV2_PATH");
    snprintf(why, why_size, "plugin <%s> not found in %s%s%s", plugin_uri,
             path ? "LV2_PATH=" : "lilv's default LV2 path", path ? path : "",
             path ? "" : " (set LV2_PATH, e.g. LV2_PATH=build/lv2)");
    sh_world_free(w);
    return NULL;
  }
  return w;
}

void
sh_world_free(ShWorld* w)
{
  if (!w) {
    return;
  }
  lilv_world_free(w->lilv);
  for (uint32_t i = 0; i < w->n_uris; ++i) {
    free(w->uris[i]);
  }
  free(w->uris);
  pthread_mutex_destroy(&w->map_lock);
  free(w);
}

LV2_URID
sh_urid(ShWorld* w, const char* uri)
{
  return map_uri(w, uri);
}

LV2_URID_Map*
sh_world_map(ShWorld* w)
{
  return &w->map;
}

LV2_URID_Unmap*
sh_world_unmap(ShWorld* w)
{
  return &w->unmap;
}

LilvWorld*
sh_world_lilv(ShWorld* w)
{
  return w->lilv;
}

const LilvPlugin*
sh_world_plugin(const ShWorld* w)
{
  return w->plugin;
}

const StUris*
sh_world_uris(const ShWorld* w)
{
  return &w->u;
}
