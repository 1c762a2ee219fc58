/* SPDX-License-Identifier: ISC */
#include "ui_uris.h"

#include <lv2/atom/atom.h>

#include <stdio.h>

void
st_ui_uris_init(StUiUris* u, LV2_URID_Map* map)
{
  st_uris_init(&u->plugin, map);
  u->atom_eventTransfer = map->map(map->handle, LV2_ATOM__eventTransfer);
  u->map                = map;
}

LV2_URID
st_ui_uris_named(const StUiUris* u, const char* prefix, const char* name)
{
  char uri[128];
  snprintf(uri, sizeof(uri), "%s%s", prefix, name);
  return u->map->map(u->map->handle, uri);
}
