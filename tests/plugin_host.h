/* SPDX-License-Identifier: ISC */
/* The plugin tests' helpers, over the host library (tools/host): one world
   for the whole process (one URID map, so state moves between instances),
   hosts with the tests' defaults (stereo, macros by slot, input that plays
   through the renders), patch messages, replies and measurements. The worker
   runs in the test thread between run() calls, as a fast worker thread
   would. */
#ifndef PH_PLUGIN_HOST_H
#define PH_PLUGIN_HOST_H

#include "strata_host.h"

#include <lilv/lilv.h>
#include <lv2/atom/forge.h>

#include <stdbool.h>
#include <stdint.h>

#define PH_PLUGIN_URI STRATA_URI
#define PH_MAX_BLOCK  8192             ///< Largest host block the tests use
#define PH_ATOM_BYTES 65536            ///< Capacity of the control and notify buffers
#define PH_MACROS     ST_PLUGIN_MACROS

typedef struct {
  double   rate;            ///< Sample rate; 0 = 48000
  bool     no_worker;       ///< Offer no work:schedule
  bool     no_options;      ///< Offer no options
  uint32_t worker_capacity; ///< Largest request or response the worker takes; 0 = 1 MiB
  uint32_t notify_bytes;    ///< Capacity of the notify buffer; 0 = PH_ATOM_BYTES
  const LV2_Feature* extra_feature; ///< One more feature to offer (a host extension), or NULL
} PhConfig;

/* One reply read from the notify port (the library's). */
typedef ShReply PhReply;

typedef struct PhHost PhHost;

/* The process's URID map (one world for the whole process). */
LV2_URID_Map*   ph_map(void);
LV2_URID_Unmap* ph_unmap(void);
LV2_URID        ph_urid(const char* uri);
const LilvPlugin* ph_plugin(void);
LilvWorld*      ph_world(void);

/* Instantiates the plugin; NULL (with a message on stderr) on failure. */
PhHost* ph_new(const PhConfig* config);
/* The same, with the reason for a failure (the plugin's log) in `why`. */
PhHost* ph_new_why(const PhConfig* config, char* why, size_t why_size);
void    ph_free(PhHost* host);

/* The plugin instance and its extension data, for a test that calls an
   interface (such as the inline display) itself. */
LV2_Handle  ph_handle(const PhHost* host);
const void* ph_extension(const PhHost* host, const char* uri);

/* --- Audio --- */

/* Connects audio output `channel` to NULL (or back): renders read zeros for it. */
void ph_unplug_output(PhHost* host, uint32_t channel, bool unplugged);

/* Sets a macro control port. */
void ph_set_macro(PhHost* host, uint32_t slot, float value);
float ph_macro(const PhHost* host, uint32_t slot);

/* Input for the next renders: `frames` frames of each channel (copied), or
   NULL for silence. Rendering walks through it and then reads silence. */
void ph_set_input(PhHost* host, const float* left, const float* right, uint32_t frames);

/* One host block: control sequence from the queued events, run(), notify
   replies collected, then the worker: work() for each request, then
   work_response() for each response, then end_run(). */
void ph_run(PhHost* host, uint32_t frames);

/* Renders `frames` frames in host blocks of `block` frames into left/right
   (either may be NULL). Queued events go into the first block. */
void ph_render(PhHost* host, uint32_t frames, uint32_t block, float* left, float* right);

/* Called with true just before the host enters the plugin's audio-thread
   calls (run(), work_response(), end_run()) and with false just after: the
   real-time trap (tests/rt) counts forbidden calls in between. NULL: none. */
typedef void (*PhRtHook)(bool entering);
void ph_set_rt_hook(PhRtHook hook);

/* --- Events: sent in the next run() at frame `frame` --- */

void ph_midi(PhHost* host, uint32_t frame, uint8_t status, uint8_t data1, uint8_t data2);
/* Appends `size` raw bytes to the body of the next control sequence, as
   they are: events that may be malformed or truncated (fuzzing, bad input). */
void ph_send_raw(PhHost* host, const void* bytes, uint32_t size);

/* A forge over a scratch buffer, for building one message; ph_send_built()
   queues what was built. */
LV2_Atom_Forge* ph_build(PhHost* host);
void            ph_send_built(PhHost* host, uint32_t frame);

/* Patch messages (each queued at frame 0; seq < 0 sends no sequence number). */
void ph_msg_add(PhHost* host, int32_t seq, const char* node, const char* type, uint32_t n,
                const char* const* params, const float* values);
void ph_msg_remove(PhHost* host, int32_t seq, const char* node);
void ph_msg_connect(PhHost* host, int32_t seq, const char* tail, const char* head);
void ph_msg_disconnect(PhHost* host, int32_t seq, const char* tail, const char* head);
void ph_msg_set_param(PhHost* host, int32_t seq, const char* node, const char* param, float value);
void ph_msg_map(PhHost* host, int32_t seq, uint32_t slot, const char* target, float min,
                float max, const char* curve, const char* label);
void ph_msg_unmap(PhHost* host, int32_t seq, uint32_t slot, const char* target);
void ph_msg_replace(PhHost* host, int32_t seq, const char* text);
void ph_msg_load(PhHost* host, int32_t seq, const char* path);
void ph_msg_get(PhHost* host, int32_t seq);
void ph_msg_set_macro(PhHost* host, int32_t seq, uint32_t slot, float value);

/* --- Replies --- */

uint32_t       ph_reply_count(const PhHost* host);
const PhReply* ph_reply_at(const PhHost* host, uint32_t index);
/* The reply with this sequence number, or NULL. */
const PhReply* ph_reply(const PhHost* host, int32_t seq);
void           ph_clear_replies(PhHost* host);
bool           ph_is_ack(const PhReply* reply);
bool           ph_is_error(const PhReply* reply);

/* --- State and presets --- */

/* Saves the instance's state (plugin state and port values). */
LilvState* ph_save(PhHost* host);
/* Restores it: through_worker passes work:schedule to restore()
   (threadSafeRestore) and then runs the worker. */
void ph_restore(PhHost* host, const LilvState* state, bool through_worker);
/* Restores through the worker and never delivers the work; requests dropped. */
uint32_t ph_restore_undelivered(PhHost* host, const LilvState* state);
/* Loads the preset with this URI; false when it is not found. */
bool ph_load_preset(PhHost* host, const char* uri, bool through_worker);
/* The text of the last message the plugin logged, or "". */
const char* ph_last_log(const PhHost* host);

/* --- Measurements --- */

float ph_peak(const float* x, uint32_t n);
float ph_rms(const float* x, uint32_t n);
bool  ph_finite(const float* x, uint32_t n);

#endif
