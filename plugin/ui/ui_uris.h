/* SPDX-License-Identifier: ISC */
/* The URIDs the editor speaks: the plugin's own (uris.h, the one URI
   header), the protocol of the atoms it writes, and the host's map for the
   node, type and parameter URIs (urn:strata:node:NAME...) it maps as it
   needs them. */
#ifndef ST_UI_URIS_H
#define ST_UI_URIS_H

#include "uris.h"

#include <lv2/urid/urid.h>

typedef struct {
  StUris        plugin;              ///< Everything the plugin speaks
  LV2_URID      atom_eventTransfer;  ///< The protocol of atoms written to the control port
  LV2_URID_Map* map;                 ///< The host's map
} StUiUris;

void st_ui_uris_init(StUiUris* u, LV2_URID_Map* map);

/* The URID of PREFIX + name (STRATA_NODE_PREFIX, _TYPE_ or _PARAM_). */
LV2_URID st_ui_uris_named(const StUiUris* u, const char* prefix, const char* name);

#endif
