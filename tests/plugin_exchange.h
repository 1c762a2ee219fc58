/* SPDX-License-Identifier: ISC */
/* One message and its answer, for the plugin tests (Check assertions): the
   reply to a sequence number after a few 64-frame blocks, which must be an
   Ack or an Error, and the plugin's patch text. */
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

#endif
