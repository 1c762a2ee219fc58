/* SPDX-License-Identifier: ISC */
/* Random patch edits for the robustness tests (soak, real-time trap,
   determinism), and a reference model of the patch that predicts each
   edit's outcome.

   The model is independent of the engine's graph code: names, types,
   parameter targets, links, macro maps and taps in plain arrays, checked
   with the rules of docs/patch-format.md and docs/protocol.md (unique valid names, ranges, whole
   numbers for choices, one link per input, no cycles, at most 64 maps...).
   Each generated edit is sent to a test host with a fresh sequence number
   and comes with a prediction:

   - SK_ACK / SK_ERROR: the outcome is certain from the model. Such edits
     are applied to the model at once (when they will succeed), so that the
     next edit of the same burst is predicted against the patch as it will
     be.
   - SK_RESOURCE: the model says valid, but the engine may still refuse
     for resources (buffer pool, busy ring, memory): the outcome is known
     only from the reply; the model applies it on an ack. Such an edit ends
     a burst.
   - SK_ANONYMOUS: a malformed atom run() rejects before it can read a
     sequence number: answered by an error without one. */
#ifndef SK_EDITS_H
#define SK_EDITS_H

#include "plugin_host.h"

#include "graph.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint64_t state;
} SkRng;

uint64_t sk_rand(SkRng* rng);
/* Uniform in 0..n-1 (n > 0). */
uint32_t sk_below(SkRng* rng, uint32_t n);
/* Uniform in 0..1. */
float sk_unit(SkRng* rng);

typedef enum {
  SK_ACK,        ///< Certainly applied
  SK_ERROR,      ///< Certainly refused
  SK_RESOURCE,   ///< Valid; applied unless the engine lacks resources
  SK_ANONYMOUS,  ///< Malformed: refused with an error that has no sequence number
  SK_SILENT,     ///< Expects no reply (a macro set without a sequence number)
} SkPrediction;

typedef struct SkModel SkModel;

/* A model for a plugin of `capacity` nodes, `pool` buffers, at `rate`. */
SkModel* sk_model_new(uint32_t capacity, uint32_t pool, float rate);
void     sk_model_free(SkModel* model);
/* Replaces the model's patch by a patch text; false when it does not parse. */
bool     sk_model_load(SkModel* model, const char* text);
/* Live nodes of the model. */
uint32_t sk_model_count(const SkModel* model);
/* True when `text` (the plugin's patch:Get) holds exactly the model's patch:
   same nodes, types, parameter targets (bit for bit), links, taps and maps.
   Otherwise `why` says the first difference. */
bool     sk_model_matches(const SkModel* model, const char* text, char* why, size_t why_size);

/* What the generator sent. */
typedef struct SkEdit SkEdit;

typedef struct {
  SkPrediction prediction;
  int32_t      seq;        ///< Sequence number sent (when not anonymous or silent)
  const char*  kind;       ///< Short name of the edit kind, for reports
  bool         ends_burst; ///< Send nothing more before this edit is answered
  SkEdit*      pending;    ///< SK_RESOURCE: the edit to apply on ack (owned by the model)
} SkSent;

typedef struct {
  bool garbage;       ///< Include invalid and malformed edits
  bool big_patches;   ///< Sometimes replace with a patch at capacity
  bool patch_files;   ///< Sometimes load patch files (written under /tmp)
} SkMix;

/* Generates one edit (valid or not, per `mix`), queues it on `host` at
   frame 0, predicts it, and applies it to the model when certain. */
SkSent sk_send_edit(SkModel* model, SkRng* rng, PhHost* host, const SkMix* mix, int32_t seq);

/* Settles a SK_RESOURCE edit with its reply: applies it when acked.
   False when the reply contradicts the model (an error other than a
   resource error). */
bool sk_settle(SkModel* model, const SkSent* sent, const PhReply* reply);

/* True when a reply's outcome agrees with a certain prediction. */
bool sk_agrees(const SkSent* sent, const PhReply* reply);

/* A patch text for a replace: a few random valid nodes and links. malloc'd. */
char* sk_random_patch(SkRng* rng, uint32_t nodes);

/* --- A driver: bursts of edits between blocks, every reply checked --- */

typedef struct {
  uint64_t sent;               ///< Edits sent
  uint64_t acked;              ///< Answered with patch:Ack (or the patch:Put of a Get)
  uint64_t refused;            ///< Answered with patch:Error
  uint64_t anonymous_sent;     ///< Malformed atoms sent (answered without a number)
  uint64_t anonymous_answered; ///< Errors without a sequence number received
  uint64_t contradictions;     ///< Replies the model did not predict
  uint64_t duplicates;         ///< Edits answered more than once
  uint64_t gets_checked;       ///< patch:Get replies compared with the model
} SkStats;

typedef struct SkDriver SkDriver;

/* Drives `host` with at most `max_edits` edits (sequence numbers from 1). */
SkDriver* sk_driver_new(PhHost* host, SkModel* model, SkRng* rng, const SkMix* mix,
                        uint32_t max_edits);
void      sk_driver_free(SkDriver* driver);
/* Before a block: sends a burst of 1..8 edits when the previous burst is
   answered, `send` is true and edits remain. */
void      sk_driver_before(SkDriver* driver, bool send);
/* After a block: reads and checks the replies, then clears them. */
void      sk_driver_after(SkDriver* driver);
/* True when every edit sent has been answered. */
bool      sk_driver_idle(const SkDriver* driver);
const SkStats* sk_driver_stats(const SkDriver* driver);
/* Edits sent and never answered (reports the first on stderr). */
uint64_t  sk_driver_unanswered(const SkDriver* driver);

#endif
