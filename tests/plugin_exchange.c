/* SPDX-License-Identifier: ISC */
#include "plugin_exchange.h"

#include <check.h>
#include <lv2/patch/patch.h>

#include <stdlib.h>
#include <string.h>

#define EXCHANGE_BLOCK 64

const PhReply*
ph_exchange(PhHost* host, int32_t seq)
{
  ph_render(host, 4 * EXCHANGE_BLOCK, EXCHANGE_BLOCK, NULL, NULL);
  const PhReply* r = ph_reply(host, seq);
  ck_assert_msg(r != NULL, "no reply to message %d", seq);
  return r;
}

void
ph_expect_ack(PhHost* host, int32_t seq)
{
  const PhReply* r = ph_exchange(host, seq);
  ck_assert_msg(ph_is_ack(r), "message %d refused: %s", seq, r->message ? r->message : "");
  ck_assert_int_eq(r->status, 0);
}

const char*
ph_expect_error(PhHost* host, int32_t seq)
{
  const PhReply* r = ph_exchange(host, seq);
  ck_assert_msg(ph_is_error(r), "message %d accepted: %s", seq, r->message ? r->message : "");
  return r->message;
}

char*
ph_get_patch(PhHost* host)
{
  ph_msg_get(host, 9999);
  const PhReply* r = ph_exchange(host, 9999);
  ck_assert_uint_eq(r->type, ph_urid(LV2_PATCH__Put));
  ck_assert_ptr_nonnull(r->patch);
  char* text = strdup(r->patch);
  ph_clear_replies(host);
  return text;
}

PhHost*
ph_new_playing(const PhConfig* config, const char* patch)
{
  PhHost* host = ph_new(config);
  ck_assert_ptr_nonnull(host);
  ph_msg_replace(host, 1000, patch);
  ph_render(host, 4096, EXCHANGE_BLOCK, NULL, NULL);
  ck_assert_msg(ph_is_ack(ph_reply(host, 1000)), "test patch refused: %s",
                ph_reply(host, 1000) ? ph_reply(host, 1000)->message : "no reply");
  ph_clear_replies(host);
  return host;
}

const char*
ph_announcement(const PhHost* host)
{
  const char* text = NULL;
  for (uint32_t i = 0; i < ph_reply_count(host); ++i) {
    const PhReply* r = ph_reply_at(host, i);
    if (r->type == ph_urid(LV2_PATCH__Put) && !r->has_seq) {
      ck_assert_msg(!text, "two announcements");
      text = r->patch;
    }
  }
  return text;
}
