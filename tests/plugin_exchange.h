/* SPDX-License-Identifier: ISC */
/* One message and its answer, for the plugin tests (Check assertions): the
   reply to a sequence number after a few 64-frame blocks, which must be an
   Ack or an Error, the plugin's patch text, an instance playing a given
   patch, and the announcement of a new patch. */
#ifndef PH_PLUGIN_EXCHANGE_H
#define PH_PLUGIN_EXCHANGE_H

#include "plugin_host.h"

/* Renders four 64-frame blocks; the reply to `seq`, which must have come. */
const PhReply* ph_exchange(PhHost* host, int32_t seq);

/* The reply to `seq` must be an Ack with status 0. */
void ph_expect_ack(PhHost* host, int32_t seq);

/* The reply to `seq` must be an Error; its text. */
const char* ph_expect_error(PhHost* host, int32_t seq);

/* The patch text a patch:Get gets (malloc'd); the replies are cleared. */
char* ph_get_patch(PhHost* host);

/* A fresh instance playing `patch`, which must be accepted (the test fails
   otherwise); its crossfade done and the replies cleared. */
PhHost* ph_new_playing(const PhConfig* config, const char* patch);

/* The one announcement (a patch:Put without a number) since the last clear,
   or NULL. */
const char* ph_announcement(const PhHost* host);

#endif
