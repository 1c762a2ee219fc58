/* SPDX-License-Identifier: ISC */
/* Outgoing atoms: each edit forged into exactly the patch message the
   protocol (docs/protocol.md) gives it, with its patch:sequenceNumber, into
   a buffer the caller owns. A gesture's messages lie back to back in the
   buffer, each an LV2_Atom padded to 8 bytes, to be written in order to the
   plugin's control port (ui:portEventTransfer of atom:eventTransfer). */
#ifndef ST_UI_FORGE_H
#define ST_UI_FORGE_H

#include "edit.h"
#include "ui_uris.h"

#include <lv2/atom/atom.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint8_t* buf;   ///< Where the messages go (8-byte aligned)
  size_t   size;  ///< Bytes of buf
  size_t   used;  ///< Bytes written so far
} StUiOut;

void st_ui_out_init(StUiOut* out, void* buf, size_t size);

/* The first message in `out`, and the one after `atom`; NULL past the last. */
const LV2_Atom* st_ui_out_first(const StUiOut* out);
const LV2_Atom* st_ui_out_next(const StUiOut* out, const LV2_Atom* atom);

/* Number of messages in `out`. */
size_t st_ui_out_count(const StUiOut* out);

/* Appends the message of `edit` with sequence number `seq`. False (and
   `out` unchanged) when it does not fit. */
bool st_ui_forge_edit(const StUiUris* u, StUiOut* out, const StUiEdit* edit, int32_t seq);

#endif
