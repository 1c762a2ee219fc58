/* What the files of the host library share: the world and instance structs. */
#ifndef SH_HOST_PRIVATE_H
#define SH_HOST_PRIVATE_H

#include "strata_host.h"

#include <lv2/log/log.h>
#include <lv2/options/options.h>
#include <lv2/worker/worker.h>

struct ShWorld {
  LilvWorld*        lilv;      ///< Every bundle on the LV2 path loaded
  const LilvPlugin* plugin;    ///< The hosted plugin
  char**            uris;      ///< URID i + 1 maps uris[i]
  uint32_t          n_uris;
  uint32_t          cap_uris;
  LV2_URID_Map      map;
  LV2_URID_Unmap    unmap;
};

/* Messages passed to or from the worker, copied. */
typedef struct {
  uint32_t size;
  void*    data;
} ShBlob;

typedef struct {
  ShBlob*  items;
  uint32_t count;
} ShBlobList;

/* URIDs the host reads and writes, mapped at creation. */
typedef struct {
  LV2_URID atom_Float, atom_Int, atom_Long, atom_Object, atom_Blank, atom_Sequence;
  LV2_URID atom_String, atom_Path, atom_URID;
  LV2_URID midi_Event;
  LV2_URID log_Error;
  LV2_URID patch_Ack, patch_Error, patch_Get, patch_Set;
  LV2_URID patch_sequenceNumber, patch_property, patch_value, patch_body;
  LV2_URID rdf_value;
  LV2_URID strata_message, strata_error, strata_patch;
} ShUrids;

struct ShHost {
  ShWorld*                    world;
  ShConfig                    config;     ///< With the defaults filled in
  ShUrids                     u;
  LilvInstance*               instance;
  const LV2_Worker_Interface* worker;     ///< NULL when the plugin has none
  bool                        active;     ///< Activated: deactivate before freeing

  // Ports.
  uint32_t  n_ports;
  float*    controls;                     ///< One value per port (control ports use theirs)
  bool*     is_control_in;                ///< Per port: a control input
  uint32_t  n_in, n_out;                  ///< Audio inputs and outputs
  float*    in[SH_MAX_AUDIO];             ///< Audio input port buffers, max_block frames
  float*    out[SH_MAX_AUDIO];            ///< Audio output port buffers
  uint64_t* control;                      ///< Atom input: the control sequence
  uint64_t* notify;                       ///< Atom output: the notify sequence
  uint64_t* pending;                      ///< Queued events: a sequence body
  uint32_t  pending_used;                 ///< Bytes of `pending` used
  uint32_t  pending_last;                 ///< Frame of the last queued event
  uint64_t* scratch;                      ///< Forge buffer for one atom
  LV2_Atom_Forge forge;

  // Worker.
  LV2_Worker_Schedule schedule;
  ShBlobList          requests;           ///< Scheduled, not yet worked
  ShBlobList          responses;          ///< Responded, not yet delivered

  // Replies.
  ShReply* replies;
  uint32_t n_replies;

  // Features.
  float              rate;
  int32_t            min_block, max_block, nominal_block;
  LV2_Options_Option options[5];
  LV2_Log_Log        log;
  LV2_Feature        f_map, f_unmap, f_schedule, f_options, f_log, f_bounded;
  const LV2_Feature* features[8];
  uint32_t           log_errors;
  char               last_log[1024];
};

void sh_blobs_push(ShBlobList* list, uint32_t size, const void* data);
void sh_blobs_clear(ShBlobList* list);

/* Reads the replies of the notify sequence into host->replies (replies.c). */
void sh_host_read_notify(ShHost* host);

#endif
