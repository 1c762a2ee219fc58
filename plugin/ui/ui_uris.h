/* The URIDs the editor speaks: the plugin's own (uris.h) and those only an
   editor sends or reads, mapped once when the editor opens. Node, type and
   parameter URIs (urn:strata:node:NAME...) are mapped as they are needed. */
#ifndef ST_UI_URIS_H
#define ST_UI_URIS_H

#include "uris.h"

#include <lv2/urid/urid.h>

typedef struct {
  StUris        plugin;  ///< Everything the plugin speaks
  LV2_URID      atom_Bool;
  LV2_URID      atom_Vector;
  LV2_URID      atom_eventTransfer;  ///< The protocol of atoms written to the control port
  LV2_URID      patch_Move;
  LV2_URID      patch_destination;
  LV2_URID      strata_position;
  LV2_URID      strata_replace;
  LV2_URID      strata_monitor;
  LV2_URID      strata_Levels;
  LV2_URID      strata_levels;
  LV2_URID      strata_probe;
  LV2_URID      strata_Scope;
  LV2_URID      strata_samples;
  LV2_URID_Map* map;  ///< The host's map, for node, type and parameter URIs
} StUiUris;

void st_ui_uris_init(StUiUris* u, LV2_URID_Map* map);

/* The URID of PREFIX + name (STRATA_NODE_PREFIX, _TYPE_ or _PARAM_). */
LV2_URID st_ui_uris_named(const StUiUris* u, const char* prefix, const char* name);

#endif
