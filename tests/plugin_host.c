/* SPDX-License-Identifier: ISC */
#include "plugin_host.h"

#include <lv2/atom/util.h>
#include <lv2/patch/patch.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- The process's world --- */

static ShWorld* world;

static void
free_world(void)
{
  sh_world_free(world);
}

static ShWorld*
ph_shared_world(void)
{
  if (!world) {
    char why[512];
    if (!(world = sh_world_new(NULL, why, sizeof(why)))) {
      fprintf(stderr, "%s\n", why);
      abort();
    }
    atexit(free_world);
  }
  return world;
}

LV2_URID_Map*
ph_map(void)
{
  return sh_world_map(ph_shared_world());
}

LV2_URID_Unmap*
ph_unmap(void)
{
  return sh_world_unmap(ph_shared_world());
}

LV2_URID
ph_urid(const char* uri)
{
  return sh_urid(ph_shared_world(), uri);
}

LilvWorld*
ph_world(void)
{
  return sh_world_lilv(ph_shared_world());
}

const LilvPlugin*
ph_plugin(void)
{
  return sh_world_plugin(ph_shared_world());
}

/* --- The host --- */

struct PhHost {
  ShHost*  host;
  int32_t  macro_port[PH_MACROS];  ///< Port index of macro slot i
  float    in[2][PH_MAX_BLOCK];    ///< One block of the input
  float*   input[2];               ///< ph_set_input's channels, or NULL
  uint32_t input_frames;
  uint32_t input_pos;  ///< Frames of the input rendered so far
};

static PhRtHook rt_hook;

void
ph_set_rt_hook(PhRtHook hook)
{
  rt_hook = hook;
}

/* Every host calls this; it forwards to the hook of the moment. */
static void
rt_forward(bool entering)
{
  if (rt_hook) {
    rt_hook(entering);
  }
}

PhHost*
ph_new(const PhConfig* config)
{
  char          why[512];
  PhHost* const host = ph_new_why(config, why, sizeof(why));
  if (!host) {
    fprintf(stderr, "%s\n", why);
  }
  return host;
}

PhHost*
ph_new_why(const PhConfig* config, char* why, size_t why_size)
{
  const PhConfig c      = config ? *config : (PhConfig){0};
  const ShConfig wanted = {
    .rate            = c.rate,
    .max_block       = PH_MAX_BLOCK,
    .atom_capacity   = PH_ATOM_BYTES,
    .notify_capacity = c.notify_bytes,
    .worker_capacity = c.worker_capacity,
    .no_worker       = c.no_worker,
    .no_options      = c.no_options,
    .extra_feature   = c.extra_feature,
  };
  PhHost* host = calloc(1, sizeof(PhHost));
  if (!host) {
    snprintf(why, why_size, "out of memory");
    return NULL;
  }
  if (!(host->host = sh_host_new(ph_shared_world(), &wanted, why, why_size))) {
    free(host);
    return NULL;
  }
  sh_host_set_rt_hook(host->host, rt_forward);
  for (uint32_t m = 0; m < PH_MACROS; ++m) {
    char symbol[16];
    snprintf(symbol, sizeof(symbol), "macro%u", m + 1);
    host->macro_port[m] = sh_host_control_index(host->host, symbol);
  }
  return host;
}

LV2_Handle
ph_handle(const PhHost* host)
{
  return sh_host_handle(host->host);
}

const void*
ph_extension(const PhHost* host, const char* uri)
{
  return sh_host_extension(host->host, uri);
}

void
ph_free(PhHost* host)
{
  if (!host) {
    return;
  }
  sh_host_free(host->host);
  free(host->input[0]);
  free(host->input[1]);
  free(host);
}

/* --- Audio --- */

void
ph_unplug_output(PhHost* host, uint32_t channel, bool unplugged)
{
  sh_host_unplug_output(host->host, channel, unplugged);
}

void
ph_set_macro(PhHost* host, uint32_t slot, float value)
{
  if (slot < PH_MACROS && host->macro_port[slot] >= 0) {
    sh_host_set_control(host->host, (uint32_t)host->macro_port[slot], value);
  }
}

float
ph_macro(const PhHost* host, uint32_t slot)
{
  return slot < PH_MACROS && host->macro_port[slot] >= 0
           ? sh_host_control(host->host, (uint32_t)host->macro_port[slot])
           : NAN;
}

void
ph_set_input(PhHost* host, const float* left, const float* right, uint32_t frames)
{
  const float* src[2] = {left, right};
  for (int c = 0; c < 2; ++c) {
    free(host->input[c]);
    host->input[c] = NULL;
    if (src[c]) {
      host->input[c] = malloc(frames * sizeof(float));
      memcpy(host->input[c], src[c], frames * sizeof(float));
    }
  }
  host->input_frames = frames;
  host->input_pos    = 0;
}

/* The next `frames` frames of the input, silence past its end. */
static void
next_input(PhHost* host, uint32_t frames)
{
  for (int c = 0; c < 2; ++c) {
    for (uint32_t i = 0; i < frames; ++i) {
      const uint32_t at = host->input_pos + i;
      host->in[c][i]    = host->input[c] && at < host->input_frames ? host->input[c][at] : 0.0f;
    }
  }
  host->input_pos += frames;
}

static void
run_block(PhHost* host, uint32_t frames, float* left, float* right)
{
  next_input(host, frames);
  const float* in[2]  = {host->in[0], host->in[1]};
  float*       out[2] = {left, right};
  sh_host_run(host->host, frames, in, out);
}

void
ph_run(PhHost* host, uint32_t frames)
{
  run_block(host, frames, NULL, NULL);
}

void
ph_render(PhHost* host, uint32_t frames, uint32_t block, float* left, float* right)
{
  for (uint32_t done = 0; done < frames;) {
    const uint32_t n = frames - done < block ? frames - done : block;
    run_block(host, n, left ? left + done : NULL, right ? right + done : NULL);
    done += n;
  }
}

/* --- Events --- */

void
ph_send_raw(PhHost* host, const void* bytes, uint32_t size)
{
  sh_host_send_raw(host->host, bytes, size);
}

void
ph_midi(PhHost* host, uint32_t frame, uint8_t status, uint8_t data1, uint8_t data2)
{
  const uint8_t msg[3] = {status, data1, data2};
  if (!sh_host_send_midi(host->host, frame, msg, sizeof(msg))) {
    fprintf(stderr, "ph_midi: too many queued events\n");
  }
}

LV2_Atom_Forge*
ph_build(PhHost* host)
{
  return sh_host_forge(host->host);
}

void
ph_send_built(PhHost* host, uint32_t frame)
{
  if (!sh_host_send_forged(host->host, frame)) {
    fprintf(stderr, "ph_send_built: nothing built, or too many queued events\n");
  }
}

/* --- Patch messages --- */

static LV2_Atom_Forge*
begin_message(PhHost* host, LV2_Atom_Forge_Frame* frame, const char* type, int32_t seq)
{
  LV2_Atom_Forge* f = ph_build(host);
  lv2_atom_forge_object(f, frame, 0, ph_urid(type));
  if (seq >= 0) {
    lv2_atom_forge_key(f, ph_urid(LV2_PATCH__sequenceNumber));
    lv2_atom_forge_int(f, seq);
  }
  return f;
}

static void
end_message(PhHost* host, LV2_Atom_Forge* f, LV2_Atom_Forge_Frame* frame)
{
  lv2_atom_forge_pop(f, frame);
  ph_send_built(host, 0);
}

static void
forge_string(LV2_Atom_Forge* f, const char* key, const char* value)
{
  lv2_atom_forge_key(f, ph_urid(key));
  lv2_atom_forge_string(f, value, (uint32_t)strlen(value));
}

static void
forge_subject(LV2_Atom_Forge* f, const char* prefix, const char* name)
{
  char uri[256];
  snprintf(uri, sizeof(uri), "%s%s", prefix, name);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__subject));
  lv2_atom_forge_uri(f, uri, (uint32_t)strlen(uri));
}

void
ph_msg_add(PhHost* host, int32_t seq, const char* node, const char* type, uint32_t n,
           const char* const* params, const float* values)
{
  LV2_Atom_Forge_Frame msg;
  LV2_Atom_Forge_Frame body;
  char                 uri[256];
  LV2_Atom_Forge*      f = begin_message(host, &msg, LV2_PATCH__Put, seq);
  forge_subject(f, STRATA_NODE_PREFIX, node);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__body));
  lv2_atom_forge_object(f, &body, 0, 0);
  lv2_atom_forge_key(f, ph_urid(RDF__type));
  snprintf(uri, sizeof(uri), STRATA_TYPE_PREFIX "%s", type);
  lv2_atom_forge_urid(f, ph_urid(uri));
  for (uint32_t i = 0; i < n; ++i) {
    snprintf(uri, sizeof(uri), STRATA_PARAM_PREFIX "%s", params[i]);
    lv2_atom_forge_key(f, ph_urid(uri));
    lv2_atom_forge_float(f, values[i]);
  }
  lv2_atom_forge_pop(f, &body);
  end_message(host, f, &msg);
}

void
ph_msg_remove(PhHost* host, int32_t seq, const char* node)
{
  LV2_Atom_Forge_Frame msg;
  LV2_Atom_Forge*      f = begin_message(host, &msg, LV2_PATCH__Delete, seq);
  forge_subject(f, STRATA_NODE_PREFIX, node);
  end_message(host, f, &msg);
}

static void
link_message(PhHost* host, const char* type, int32_t seq, const char* tail, const char* head)
{
  LV2_Atom_Forge_Frame msg;
  LV2_Atom_Forge_Frame body;
  LV2_Atom_Forge*      f = begin_message(host, &msg, type, seq);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__body));
  lv2_atom_forge_object(f, &body, 0, ph_urid(STRATA__Link));
  if (tail) {
    forge_string(f, STRATA__tail, tail);
  }
  if (head) {
    forge_string(f, STRATA__head, head);
  }
  lv2_atom_forge_pop(f, &body);
  end_message(host, f, &msg);
}

void
ph_msg_connect(PhHost* host, int32_t seq, const char* tail, const char* head)
{
  link_message(host, LV2_PATCH__Put, seq, tail, head);
}

void
ph_msg_disconnect(PhHost* host, int32_t seq, const char* tail, const char* head)
{
  link_message(host, LV2_PATCH__Delete, seq, tail, head);
}

void
ph_msg_set_param(PhHost* host, int32_t seq, const char* node, const char* param, float value)
{
  LV2_Atom_Forge_Frame msg;
  char                 uri[256];
  LV2_Atom_Forge*      f = begin_message(host, &msg, LV2_PATCH__Set, seq);
  forge_subject(f, STRATA_NODE_PREFIX, node);
  snprintf(uri, sizeof(uri), STRATA_PARAM_PREFIX "%s", param);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(f, ph_urid(uri));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__value));
  lv2_atom_forge_float(f, value);
  end_message(host, f, &msg);
}

void
ph_msg_map(PhHost* host, int32_t seq, uint32_t slot, const char* target, float min, float max,
           const char* curve, const char* label)
{
  LV2_Atom_Forge_Frame msg;
  LV2_Atom_Forge_Frame body;
  char                 name[16];
  snprintf(name, sizeof(name), "%u", slot);
  LV2_Atom_Forge* f = begin_message(host, &msg, LV2_PATCH__Put, seq);
  forge_subject(f, STRATA__macro, name);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__body));
  lv2_atom_forge_object(f, &body, 0, ph_urid(STRATA__MacroMap));
  forge_string(f, STRATA__target, target);
  lv2_atom_forge_key(f, ph_urid(STRATA__minimum));
  lv2_atom_forge_float(f, min);
  lv2_atom_forge_key(f, ph_urid(STRATA__maximum));
  lv2_atom_forge_float(f, max);
  if (curve) {
    forge_string(f, STRATA__curve, curve);
  }
  if (label) {
    forge_string(f, RDFS__label, label);
  }
  lv2_atom_forge_pop(f, &body);
  end_message(host, f, &msg);
}

void
ph_msg_unmap(PhHost* host, int32_t seq, uint32_t slot, const char* target)
{
  LV2_Atom_Forge_Frame msg;
  LV2_Atom_Forge_Frame body;
  char                 name[16];
  snprintf(name, sizeof(name), "%u", slot);
  LV2_Atom_Forge* f = begin_message(host, &msg, LV2_PATCH__Delete, seq);
  forge_subject(f, STRATA__macro, name);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__body));
  lv2_atom_forge_object(f, &body, 0, 0);
  forge_string(f, STRATA__target, target);
  lv2_atom_forge_pop(f, &body);
  end_message(host, f, &msg);
}

void
ph_msg_replace(PhHost* host, int32_t seq, const char* text)
{
  if (!sh_host_patch_set_string(host->host, 0, seq, STRATA__patch, LV2_ATOM__String, text)) {
    fprintf(stderr, "ph_msg_replace: the message does not fit\n");
  }
}

void
ph_msg_load(PhHost* host, int32_t seq, const char* path)
{
  if (!sh_host_patch_set_string(host->host, 0, seq, STRATA__patchFile, LV2_ATOM__Path, path)) {
    fprintf(stderr, "ph_msg_load: the message does not fit\n");
  }
}

void
ph_msg_get(PhHost* host, int32_t seq)
{
  if (!sh_host_patch_get(host->host, 0, seq)) {
    fprintf(stderr, "ph_msg_get: the message does not fit\n");
  }
}

void
ph_msg_set_macro(PhHost* host, int32_t seq, uint32_t slot, float value)
{
  LV2_Atom_Forge_Frame msg;
  char                 uri[64];
  snprintf(uri, sizeof(uri), STRATA__macro "%u", slot);
  LV2_Atom_Forge* f = begin_message(host, &msg, LV2_PATCH__Set, seq);
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(f, ph_urid(uri));
  lv2_atom_forge_key(f, ph_urid(LV2_PATCH__value));
  lv2_atom_forge_float(f, value);
  end_message(host, f, &msg);
}

/* --- Replies --- */

uint32_t
ph_reply_count(const PhHost* host)
{
  return sh_host_reply_count(host->host);
}

const PhReply*
ph_reply_at(const PhHost* host, uint32_t index)
{
  return sh_host_reply_at(host->host, index);
}

const PhReply*
ph_reply(const PhHost* host, int32_t seq)
{
  return sh_host_reply(host->host, seq);
}

void
ph_clear_replies(PhHost* host)
{
  sh_host_clear_replies(host->host);
}

bool
ph_is_ack(const PhReply* reply)
{
  return reply && reply->type == sh_world_uris(ph_shared_world())->patch_Ack;
}

bool
ph_is_error(const PhReply* reply)
{
  return reply && reply->type == sh_world_uris(ph_shared_world())->patch_Error;
}

/* --- State and presets --- */

LilvState*
ph_save(PhHost* host)
{
  return sh_host_save(host->host);
}

void
ph_restore(PhHost* host, const LilvState* state, bool through_worker)
{
  sh_host_restore(host->host, state, through_worker);
}

uint32_t
ph_restore_undelivered(PhHost* host, const LilvState* state)
{
  return sh_host_restore_undelivered(host->host, state);
}

bool
ph_load_preset(PhHost* host, const char* uri, bool through_worker)
{
  LilvState* state = sh_preset_state(ph_shared_world(), uri);
  if (!state) {
    return false;
  }
  sh_host_restore(host->host, state, through_worker);
  lilv_state_free(state);
  return true;
}

const char*
ph_last_log(const PhHost* host)
{
  return sh_host_last_log(host->host);
}

/* --- Measurements --- */

float
ph_peak(const float* x, uint32_t n)
{
  float peak = 0.0f;
  for (uint32_t i = 0; i < n; ++i) {
    peak = fabsf(x[i]) > peak ? fabsf(x[i]) : peak;
  }
  return peak;
}

float
ph_rms(const float* x, uint32_t n)
{
  double sum = 0.0;
  for (uint32_t i = 0; i < n; ++i) {
    sum += (double)x[i] * x[i];
  }
  return n ? (float)sqrt(sum / n) : 0.0f;
}

bool
ph_finite(const float* x, uint32_t n)
{
  for (uint32_t i = 0; i < n; ++i) {
    if (!isfinite(x[i])) {
      return false;
    }
  }
  return true;
}
