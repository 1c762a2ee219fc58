/* SPDX-License-Identifier: ISC */
/* The lilv host library of Strata: the one host that strata-render and every
   plugin test run the plugin in. It loads the plugin from LV2_PATH (or
   lilv's default search path), offers urid:map and urid:unmap (one map per
   world, so state moves between instances), options (sample rate, block
   length bounds), log:log and work:schedule, and runs the plugin's worker
   between blocks (or on a thread of its own). It queues events into the
   control sequence, reads the replies on the notify port (checking every
   atom's type and size), saves and restores state, and lists and loads
   presets.

   One thread drives a world and its hosts (with a worker thread, that
   thread is the audio thread; the library runs work() on its own). */
#ifndef SH_STRATA_HOST_H
#define SH_STRATA_HOST_H

#include "uris.h"

#include <lilv/lilv.h>
#include <lv2/atom/forge.h>
#include <lv2/core/lv2.h>
#include <lv2/urid/urid.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SH_MAX_AUDIO 8 ///< Most audio inputs, and most audio outputs, a hosted plugin may have

/* --- The world: lilv, the plugin and the URID map --- */

typedef struct ShWorld ShWorld;

/* Loads every bundle on the LV2 path and finds the plugin `plugin_uri`
   (NULL: STRATA_URI). NULL with the reason in `why` when it is not there. */
ShWorld* sh_world_new(const char* plugin_uri, char* why, size_t why_size);
void     sh_world_free(ShWorld* world);

/* The world's URID map (thread-safe: a worker may map too). */
LV2_URID          sh_urid(ShWorld* world, const char* uri);
LV2_URID_Map*     sh_world_map(ShWorld* world);
LV2_URID_Unmap*   sh_world_unmap(ShWorld* world);
LilvWorld*        sh_world_lilv(ShWorld* world);
const LilvPlugin* sh_world_plugin(const ShWorld* world);
/* The plugin's URIDs, mapped in this world. */
const StUris*     sh_world_uris(const ShWorld* world);

/* --- Presets --- */

typedef struct {
  char* uri;   ///< The preset's URI
  char* label; ///< Its rdfs:label, or its URI when it has none
} ShPreset;

/* Every preset of the plugin, sorted by label; *count of them. Free with
   sh_presets_free(). NULL (and *count 0) when there are none. */
ShPreset* sh_presets(ShWorld* world, size_t* count);
void      sh_presets_free(ShPreset* presets, size_t count);

/* The URI of the preset whose label is `name` (ignoring case) or whose URI
   is `name`: malloc'd, or NULL when no preset matches. */
char* sh_preset_find(ShWorld* world, const char* name);

/* The state of the preset with this URI (free with lilv_state_free), or NULL. */
LilvState* sh_preset_state(ShWorld* world, const char* uri);

/* --- An instance --- */

typedef struct {
  double   rate;            ///< Sample rate in Hz; 0 = 48000, anything else as given
  uint32_t min_block;       ///< Smallest block run() will see; 0 = 1
  uint32_t max_block;       ///< Largest block run() will see; 0 = 8192
  uint32_t atom_capacity;   ///< Bytes of the control buffer; 0 = the plugin's rsz:minimumSize, at least 8192
  uint32_t notify_capacity; ///< Bytes of the notify buffer; 0 = atom_capacity
  uint32_t worker_capacity; ///< Largest request or response the worker takes; 0 = 1 MiB
  bool     no_worker;       ///< Offer no work:schedule
  bool     no_options;      ///< Offer no options (nor bounded block length)
  bool     worker_thread;   ///< Run work() on a thread of the library, as a real host does
  /* Instantiate this descriptor (the plugin's code linked into the program,
     for sanitizers and fuzzers) instead of loading the plugin's binary; the
     ports still come from the world's description of the plugin. NULL: load. */
  const LV2_Descriptor* descriptor;
  /* One more feature to offer at instantiate (a host extension under test), or NULL. */
  const LV2_Feature* extra_feature;
} ShConfig;

/* One reply read from the notify port. A field whose atom had the wrong
   type or size reads as absent. */
typedef struct {
  LV2_URID type;                     ///< Object type: patch:Ack, patch:Error, patch:Put, state:StateChanged...
  bool     has_seq;                  ///< Carried an atom:Int patch:sequenceNumber
  int32_t  seq;                      ///< Its value
  int32_t  status;                   ///< rdf:value (the plugin's status code), 0 when absent
  char*    message;                  ///< strata:error, else strata:message, or NULL
  char*    patch;                    ///< patch:body's strata:patch (the reply to patch:Get), or NULL
  float    macros[ST_PLUGIN_MACROS]; ///< patch:body's macro values, NAN when absent
  float*   values;                   ///< strata:levels or strata:samples (a Float vector), or NULL
  uint32_t n_values;                 ///< Floats in `values`
  char*    probe;                    ///< strata:probe, or NULL
} ShReply;

typedef struct ShHost ShHost;

/* Instantiates and activates the plugin; NULL with the reason in `why`. */
ShHost* sh_host_new(ShWorld* world, const ShConfig* config, char* why, size_t why_size);
void    sh_host_free(ShHost* host);

uint32_t sh_host_audio_outputs(const ShHost* host);

/* Connects audio output `channel` to NULL (a host that disconnected it), or
   back to its buffer; while unplugged, run() hands zeros for it. */
void sh_host_unplug_output(ShHost* host, uint32_t channel, bool unplugged);

/* Index of the control input port with this symbol, or -1. */
int32_t sh_host_control_index(const ShHost* host, const char* symbol);
/* Sets a control input port's value (read at the next run()), and reads it. */
void    sh_host_set_control(ShHost* host, uint32_t port, float value);
float   sh_host_control(const ShHost* host, uint32_t port);

/* Called with true just before the host enters one of the plugin's
   audio-thread calls (run(), work_response(), end_run()) and with false
   just after. NULL: none. */
typedef void (*ShRtHook)(bool entering);
void sh_host_set_rt_hook(ShHost* host, ShRtHook hook);

/* One block of `frames` (1..max_block): builds the control sequence from the
   queued events, copies `in` (one array per audio input, NULL or a NULL
   array for silence) into the input ports, calls run(), copies the outputs
   into `out` (any array may be NULL), collects the notify replies, then
   works: work() for each request (unless a worker thread does), then
   work_response() for each response that has come, then end_run(). */
void sh_host_run(ShHost* host, uint32_t frames, const float* const* in, float* const* out);

/* Runs the worker requests scheduled so far now (none on a worker thread). */
void sh_host_work(ShHost* host);

/* --- Events, delivered in the next run() ---
   Each event goes into the sequence in the order queued, at `frame`
   (0..block-1) as given: queue them in time order for a well-formed
   sequence. Each returns false when the control buffer has no room left
   for this block. */

bool sh_host_send(ShHost* host, uint32_t frame, const LV2_Atom* atom);
bool sh_host_send_midi(ShHost* host, uint32_t frame, const uint8_t* msg, uint32_t size);
/* Appends raw bytes to the sequence body, as they are (malformed events
   included); the number appended, fewer when the buffer is full. */
uint32_t sh_host_send_raw(ShHost* host, const void* bytes, uint32_t size);
/* Largest atom body an event may have in an empty control sequence. */
uint32_t sh_host_event_room(const ShHost* host);

/* A forge over a scratch buffer for building one atom; sh_host_send_forged()
   queues what was built (false also when the forge ran out of room). */
LV2_Atom_Forge* sh_host_forge(ShHost* host);
bool            sh_host_send_forged(ShHost* host, uint32_t frame);

/* patch:Set of `property` to a string-like value of type `type_uri`
   (atom:String, atom:Path, atom:URI); seq < 0 sends no sequence number. */
bool sh_host_patch_set_string(ShHost* host, uint32_t frame, int32_t seq, const char* property,
                              const char* type_uri, const char* value);
/* patch:Get of the plugin's properties. */
bool sh_host_patch_get(ShHost* host, uint32_t frame, int32_t seq);

/* --- Replies --- */

uint32_t       sh_host_reply_count(const ShHost* host);
const ShReply* sh_host_reply_at(const ShHost* host, uint32_t index);
/* The first reply with this sequence number, or NULL. */
const ShReply* sh_host_reply(const ShHost* host, int32_t seq);
void           sh_host_clear_replies(ShHost* host);
bool           sh_reply_is_ack(const ShHost* host, const ShReply* reply);
bool           sh_reply_is_error(const ShHost* host, const ShReply* reply);

/* False when the last run()'s notify port did not hold a well-formed
   sequence inside its buffer (its replies were then read up to the fault). */
bool sh_host_notify_ok(const ShHost* host);

/* The notify sequence the last run() wrote, as the plugin wrote it, for a
   host that hands every atom on (an editor's port_event); NULL before the
   first run(). Valid until the next run(). */
const LV2_Atom_Sequence* sh_host_notify(const ShHost* host);

/* Reads the replies of a notify sequence of `capacity` bytes (the buffer
   the plugin wrote into), appending them to *replies (realloc'd, *count of
   them). False when the sequence is not well formed. */
bool sh_replies_read(const StUris* uris, const LV2_Atom_Sequence* seq, uint32_t capacity,
                     ShReply** replies, uint32_t* count);
void sh_reply_free(ShReply* reply);

/* Runs silent blocks of `block` frames (output discarded) until the reply
   with this sequence number arrives, at most `max_runs` of them. The reply,
   or NULL when none came. */
const ShReply* sh_host_await(ShHost* host, int32_t seq, uint32_t block, uint32_t max_runs);

/* The text of the last message the plugin logged, or "". */
const char* sh_host_last_log(const ShHost* host);

/* --- State --- */

/* The instance's state: plugin state and control input values. */
LilvState* sh_host_save(ShHost* host);
/* Restores it; through_worker offers work:schedule to restore()
   (threadSafeRestore) and then runs the worker. False when the plugin
   logged an error while restoring (sh_host_last_log() says what). */
bool       sh_host_restore(ShHost* host, const LilvState* state, bool through_worker);
/* Restores through the worker as a host that never delivers the work:
   the requests restore() scheduled are dropped unrun; how many. */
uint32_t   sh_host_restore_undelivered(ShHost* host, const LilvState* state);

/* Loads the preset with this URI: its port values and its state (restored
   through the worker when the host offers one). False with the reason in
   `why` when it is missing or the plugin refused it. */
bool sh_host_load_preset(ShHost* host, const char* uri, char* why, size_t why_size);

/* For hosts that call the plugin's interfaces themselves (the fuzzers):
   the instance, an extension's data, and the features restore() gets. */
LV2_Handle                sh_host_handle(const ShHost* host);
const void*               sh_host_extension(const ShHost* host, const char* uri);
const LV2_Feature* const* sh_host_restore_features(ShHost* host, bool through_worker);

#endif
