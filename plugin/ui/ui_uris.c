#include "ui_uris.h"

#include <lv2/atom/atom.h>
#include <lv2/patch/patch.h>

#include <stdio.h>

void
st_ui_uris_init(StUiUris* u, LV2_URID_Map* map)
{
#define MAP(uri) map->map(map->handle, (uri))
  st_uris_init(&u->plugin, map);
  u->atom_Bool          = MAP(LV2_ATOM__Bool);
  u->atom_Vector        = MAP(LV2_ATOM__Vector);
  u->atom_eventTransfer = MAP(LV2_ATOM__eventTransfer);
  u->patch_Move         = MAP(LV2_PATCH__Move);
  u->patch_destination  = MAP(LV2_PATCH__destination);
  u->strata_position    = MAP(STRATA_PREFIX "position");
  u->strata_replace     = MAP(STRATA_PREFIX "replace");
  u->strata_monitor     = MAP(STRATA_PREFIX "monitor");
  u->strata_Levels      = MAP(STRATA_PREFIX "Levels");
  u->strata_levels      = MAP(STRATA_PREFIX "levels");
  u->strata_probe       = MAP(STRATA_PREFIX "probe");
  u->strata_Scope       = MAP(STRATA_PREFIX "Scope");
  u->strata_samples     = MAP(STRATA_PREFIX "samples");
  u->map                = map;
#undef MAP
}

LV2_URID
st_ui_uris_named(const StUiUris* u, const char* prefix, const char* name)
{
  char uri[128];
  snprintf(uri, sizeof(uri), "%s%s", prefix, name);
  return u->map->map(u->map->handle, uri);
}
