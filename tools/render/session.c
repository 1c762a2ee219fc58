/* SPDX-License-Identifier: ISC */
#define _XOPEN_SOURCE 700 // realpath()

#include "session.h"

#include "fail.h"
#include "position.h"
#include "progress.h"

#include "engine.h"

#include <lv2/atom/atom.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AWAIT_BLOCK  64   ///< Frames per run() while waiting for a reply
#define AWAIT_RUNS   256  ///< Most runs to wait for a reply
#define SETTLE_SECONDS 0.1 ///< Smoothing time allowed after the crossfade

int
sr_session_world(SrSession* s)
{
  char why[SR_WHY];
  memset(s, 0, sizeof(*s));
  if (!(s->world = sh_world_new(NULL, why, sizeof(why)))) {
    return sr_fail(SR_EXIT_FAIL, "%s", why);
  }
  return SR_EXIT_OK;
}

static int
load_preset(SrSession* s, const char* name)
{
  char  why[SR_WHY];
  char* uri = sh_preset_find(s->world, name);
  if (!uri) {
    return sr_fail(SR_EXIT_FAIL, "--preset '%s': no such preset (see --list-presets)", name);
  }
  const bool ok = sh_host_load_preset(s->host, uri, why, sizeof(why));
  free(uri);
  return ok ? SR_EXIT_OK : sr_fail(SR_EXIT_FAIL, "--preset '%s': %s", name, why);
}

/* Sends the patch as text when it fits one event, else as a file path. */
static int
send_patch(SrSession* s, const char* text, size_t length, const char* path)
{
  const int32_t seq  = s->seq++;
  bool          sent = false;
  if (length + 1024 < sh_host_event_room(s->host) && !memchr(text, '\0', length)) {
    char* copy = malloc(length + 1);
    if (copy) {
      memcpy(copy, text, length);
      copy[length] = '\0';
      sent = sh_host_patch_set_string(s->host, 0, seq, STRATA__patch, LV2_ATOM__String, copy);
      free(copy);
    }
  } else {
    char* full = realpath(path, NULL);
    sent       = full && sh_host_patch_set_string(s->host, 0, seq, STRATA__patchFile,
                                                  LV2_ATOM__Path, full);
    free(full);
  }
  if (!sent) {
    return sr_fail(SR_EXIT_FAIL, "%s: cannot send the patch to the plugin", path);
  }
  const ShReply* reply = sh_host_await(s->host, seq, AWAIT_BLOCK, AWAIT_RUNS);
  if (!reply) {
    return sr_fail(SR_EXIT_FAIL, "%s: the plugin did not answer the patch message", path);
  }
  if (!sh_reply_is_ack(s->host, reply)) {
    return sr_fail(SR_EXIT_FAIL, "%s: the plugin refused the patch: %s", path,
                   reply->message ? reply->message : "(no reason given)");
  }
  return SR_EXIT_OK;
}

int
sr_session_open(SrSession* s, uint32_t rate, uint32_t block, const char* preset,
                const char* patch, size_t length, const char* patch_path)
{
  char why[SR_WHY];
  if (!s->world) {
    const int st = sr_session_world(s);
    if (st) {
      return st;
    }
  }
  s->rate              = rate;
  s->block             = block;
  s->seq               = 1;
  const ShConfig config = {.rate = rate, .min_block = 1, .max_block = block};
  if (!(s->host = sh_host_new(s->world, &config, why, sizeof(why)))) {
    return sr_fail(SR_EXIT_FAIL, "%s", why);
  }
  if (sh_host_audio_outputs(s->host) < 1) {
    return sr_fail(SR_EXIT_FAIL, "the plugin has no audio output");
  }
  if (preset) {
    return load_preset(s, preset);
  }
  if (patch) {
    return send_patch(s, patch, length, patch_path);
  }
  return SR_EXIT_OK;
}

char*
sr_session_patch_text(SrSession* s)
{
  const int32_t seq = s->seq++;
  if (!sh_host_patch_get(s->host, 0, seq)) {
    sr_fail(SR_EXIT_FAIL, "cannot ask the plugin for its patch");
    return NULL;
  }
  const ShReply* reply = sh_host_await(s->host, seq, AWAIT_BLOCK, AWAIT_RUNS);
  if (!reply || !reply->patch) {
    sr_fail(SR_EXIT_FAIL, "the plugin did not send its patch%s%s",
            reply && reply->message ? ": " : "", reply && reply->message ? reply->message : "");
    return NULL;
  }
  return strdup(reply->patch);
}

void
sr_session_settle(SrSession* s, const SrArgs* args)
{
  char symbol[16];
  for (uint32_t m = 0; m < SR_MACROS; ++m) {
    snprintf(symbol, sizeof(symbol), "macro%u", m + 1);
    const int32_t port = sh_host_control_index(s->host, symbol);
    if (args->macro_set[m] && port >= 0) {
      sh_host_set_control(s->host, (uint32_t)port, args->macro[m]);
    }
  }
  const uint64_t frames = ST_XFADE_FRAMES + (uint64_t)(SETTLE_SECONDS * s->rate);
  for (uint64_t done = 0; done < frames;) {
    const uint32_t n = frames - done < s->block ? (uint32_t)(frames - done) : s->block;
    sh_host_run(s->host, n, NULL, NULL);
    done += n;
  }
  sh_host_clear_replies(s->host);
}

/* Queues the events of frames [pos, pos + n); returns the next event's index.
   An event the control buffer cannot take this block waits for the next. */
static size_t
queue_events(SrSession* s, const SrEvents* events, size_t next, uint64_t pos, uint32_t n)
{
  while (next < events->count) {
    const SrEvent* e     = &events->items[next];
    const uint64_t frame = sr_event_frame(e, s->rate);
    if (frame >= pos + n) {
      break;
    }
    const uint32_t at = frame > pos ? (uint32_t)(frame - pos) : 0;
    if (!sh_host_send_midi(s->host, at, e->msg, e->size)) {
      break;
    }
    ++next;
  }
  return next;
}

/* The input for frames [pos, pos + n): pointers into it, or copies padded
   with silence past its end. */
static void
input_block(const SrAudio* input, uint64_t pos, uint32_t n, float* pad[2], const float* in[2])
{
  in[0] = in[1] = NULL;
  if (!input || pos >= input->frames) {
    return;
  }
  if (pos + n <= input->frames) {
    in[0] = input->left + pos;
    in[1] = input->right + pos;
    return;
  }
  const size_t have = (size_t)(input->frames - pos);
  memcpy(pad[0], input->left + pos, have * sizeof(float));
  memcpy(pad[1], input->right + pos, have * sizeof(float));
  memset(pad[0] + have, 0, (n - have) * sizeof(float));
  memset(pad[1] + have, 0, (n - have) * sizeof(float));
  in[0] = pad[0];
  in[1] = pad[1];
}

int
sr_session_render(SrSession* s, const SrEvents* events, const SrAudio* input, uint64_t frames,
                  SrWavWriter* wav, const char* out_path, SrMeter* meter, bool quiet)
{
  char   why[SR_WHY];
  float* buf = malloc(4 * (size_t)s->block * sizeof(float));
  if (!buf) {
    return sr_fail(SR_EXIT_FAIL, "out of memory");
  }
  float*     out[SH_MAX_AUDIO] = {buf, buf + s->block};
  float*     pad[2]            = {buf + 2 * s->block, buf + 3 * s->block};
  const bool mono              = sh_host_audio_outputs(s->host) < 2;
  SrProgress progress;
  sr_progress_begin(&progress, stderr, frames, quiet);
  size_t next = 0;
  int    st   = SR_EXIT_OK;
  for (uint64_t pos = 0; pos < frames && !st;) {
    const uint32_t n = frames - pos < s->block ? (uint32_t)(frames - pos) : s->block;
    const float*   in[SH_MAX_AUDIO] = {NULL};
    input_block(input, pos, n, pad, in);
    if (s->bpm > 0 && !sr_position_send(s->host, sh_world_uris(s->world), s->bpm,
                                         (double)pos * s->bpm / 60.0 / s->rate)) {
      st = sr_fail(SR_EXIT_FAIL, "the control buffer has no room for a time:Position");
      break;
    }
    next = queue_events(s, events, next, pos, n);
    sh_host_run(s->host, n, in, out);
    const float* right = mono ? out[0] : out[1];
    sr_meter_add(meter, out[0], n);
    sr_meter_add(meter, right, n);
    if (!sr_wav_write(wav, out[0], right, n, why, sizeof(why))) {
      st = sr_fail(SR_EXIT_FAIL, "%s: %s", out_path, why);
    }
    pos += n;
    sr_progress_update(&progress, pos);
  }
  if (!st) {
    sr_progress_end(&progress);
  }
  free(buf);
  return st;
}

void
sr_session_close(SrSession* s)
{
  sh_host_free(s->host);
  sh_world_free(s->world);
  memset(s, 0, sizeof(*s));
}
