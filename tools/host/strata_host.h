/* A small reusable lilv host for the Strata plugin (strata-render, tools,
   tests). It loads the plugin from LV2_PATH (or lilv's default search path),
   offers urid:map and urid:unmap (one map per world, so state moves between
   instances), options (sample rate, block length bounds), log:log and
   work:schedule, and runs the plugin's worker synchronously between blocks,
   as a host's worker thread that is always fast would. It queues events
   (MIDI and patch messages) into the control sequence at their frames, reads
   the replies on the notify port, and lists and loads presets.

   Not thread-safe: one thread drives a world and its hosts. */
#ifndef SH_STRATA_HOST_H
#define SH_STRATA_HOST_H

#include <lilv/lilv.h>
#include <lv2/atom/forge.h>
#include <lv2/urid/urid.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SH_PLUGIN_URI       "urn:strata:modular"
#define SH_STRATA_PREFIX    SH_PLUGIN_URI "#"
#define SH_STRATA__patch    SH_STRATA_PREFIX "patch"     ///< Whole patch text (atom:String)
#define SH_STRATA__patchFile SH_STRATA_PREFIX "patchFile" ///< Patch file to load (atom:Path)
#define SH_STRATA__message  SH_STRATA_PREFIX "message"   ///< What an edit did
#define SH_STRATA__error    SH_STRATA_PREFIX "error"     ///< What went wrong and why

#define SH_MAX_AUDIO 8 ///< Most audio inputs, and most audio outputs, a hosted plugin may have

/* --- The world: lilv, the plugin and the URID map --- */

typedef struct ShWorld ShWorld;

/* Loads every bundle on the LV2 path and finds the plugin `plugin_uri`
   (NULL: SH_PLUGIN_URI). NULL with the reason in `why` when it is not there. */
ShWorld* sh_world_new(const char* plugin_uri, char* why, size_t why_size);
void     sh_world_free(ShWorld* world);

LV2_URID sh_urid(ShWorld* world, const char* uri);

/* --- Presets --- */

typedef struct {
  char* uri;    ///< The preset's URI
  char* label;  ///< Its rdfs:label, or its URI when it has none
} ShPreset;

/* Every preset of the plugin, sorted by label; *count of them. Free with
   sh_presets_free(). NULL (and *count 0) when there are none. */
ShPreset* sh_presets(ShWorld* world, size_t* count);
void      sh_presets_free(ShPreset* presets, size_t count);

/* The URI of the preset whose label is `name` (ignoring case) or whose URI
   is `name`: malloc'd, or NULL when no preset matches. */
char* sh_preset_find(ShWorld* world, const char* name);

/* --- An instance --- */

typedef struct {
  double   rate;          ///< Sample rate in Hz; 0 = 48000
  uint32_t min_block;     ///< Smallest block run() will see; 0 = 1
  uint32_t max_block;     ///< Largest block run() will see; 0 = 8192
  uint32_t atom_capacity; ///< Bytes of each atom port buffer; 0 = the plugin's rsz:minimumSize, at least 8192
  bool     no_worker;     ///< Offer no work:schedule
  bool     echo_log;      ///< Also print what the plugin logs on stderr
} ShConfig;

/* One reply read from the notify port. */
typedef struct {
  LV2_URID type;     ///< Object type: patch:Ack, patch:Error, patch:Put, state:StateChanged...
  bool     has_seq;  ///< Carried patch:sequenceNumber
  int32_t  seq;      ///< Its value
  int32_t  status;   ///< rdf:value (the plugin's status code), 0 when absent
  char*    message;  ///< strata:error, else strata:message, or NULL
  char*    patch;    ///< patch:body's strata:patch (the reply to patch:Get), or NULL
} ShReply;

typedef struct ShHost ShHost;

/* Instantiates and activates the plugin; NULL with the reason in `why`. */
ShHost* sh_host_new(ShWorld* world, const ShConfig* config, char* why, size_t why_size);
void    sh_host_free(ShHost* host);

uint32_t sh_host_audio_outputs(const ShHost* host);

/* Index of the control input port with this symbol, or -1. */
int32_t sh_host_control_index(const ShHost* host, const char* symbol);
/* Sets a control input port's value (read at the next run()). */
void    sh_host_set_control(ShHost* host, uint32_t port, float value);

/* One block of `frames` (1..max_block): builds the control sequence from the
   queued events, copies `in` (one array per audio input, NULL or a NULL
   array for silence) into the input ports, calls run(), copies the outputs
   into `out` (any array may be NULL), collects the notify replies, then runs
   the worker: work() for each request, work_response() for each response,
   end_run(). */
void sh_host_run(ShHost* host, uint32_t frames, const float* const* in, float* const* out);

/* Runs the worker requests scheduled outside run() (a threadSafeRestore). */
void sh_host_work(ShHost* host);

/* --- Events, delivered in the next run() at `frame` (0..block-1) ---
   Events must be queued in time order; an earlier frame than the last one
   queued is moved up to it. Each returns false when the control buffer
   has no room left for this block. */

bool sh_host_send(ShHost* host, uint32_t frame, const LV2_Atom* atom);
bool sh_host_send_midi(ShHost* host, uint32_t frame, const uint8_t* msg, uint32_t size);
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

/* The first reply with this sequence number, or NULL. */
const ShReply* sh_host_reply(const ShHost* host, int32_t seq);
void           sh_host_clear_replies(ShHost* host);
bool           sh_reply_is_ack(ShHost* host, const ShReply* reply);

/* Runs silent blocks of `block` frames (output discarded) until the reply
   with this sequence number arrives, at most `max_runs` of them. The reply,
   or NULL when none came. */
const ShReply* sh_host_await(ShHost* host, int32_t seq, uint32_t block, uint32_t max_runs);

/* --- State --- */

/* Loads the preset with this URI: its port values and its state (restored
   with work:schedule when the host offers it, then the worker is run).
   False with the reason in `why` when it is missing or the plugin refused it
   (logged an error while restoring). */
bool sh_host_load_preset(ShHost* host, const char* uri, char* why, size_t why_size);

#endif
