/* SPDX-License-Identifier: ISC */
/* Voice groups at run time: what a voice group (library.h) becomes in a
   flat running graph (flatten.h), three node types that are never named in
   a patch:

   - the allocator, in the group's own slot: takes MIDI, gives notes to
     voices (poly round robin stealing the oldest or the quietest, mono
     legato or retrigger, K unison copies per note with detune and spread,
     MPE lower zone), and puts voices to sleep. Its one output, `awake`, is
     how many voices are awake; every voice input reads it, which orders
     the allocator before them in the schedule;
   - one voice input per copy: the copy's gate, pitch, velocity, release
     velocity, aftertouch, pressure, bend, mod wheel, timbre and pan, which
     the copy's inlets of those names read (st_voice_inlets);
   - one voice mix per outlet: input v is voice v's outlet, the output their
     sum, sleeping voices skipped. It keeps each voice's peak, from which the
     allocator decides sleep and finds the quietest voice.

   Sleep: a voice sleeps from the first multiple of ST_BLOCK frames (StHost
   frame) that ends a whole window of ST_BLOCK frames in which its key was up,
   every mix heard it below ST_QUIET_LEVEL, and every node of it with a
   `quiet` hook said quiet; a node of type ST_NODE_HOLDS keeps it awake. The
   scheduler skips every task of a sleeping voice (StTask.asleep). A note-on
   wakes it at the event's frame. A new graph's voices start asleep. */
#ifndef ST_VOICES_H
#define ST_VOICES_H

#include "node.h"

#include <stdbool.h>
#include <stdint.h>

#define ST_VOICES_MAX 32       ///< Copies a voice group may have
#define ST_VOICE_MIXES_MAX 16  ///< Voice mixes (outlets) an allocator keeps track of
#define ST_VOICE_QUIET_MAX 256 ///< Nodes with a quiet hook an allocator watches, all voices

/* The group settings: the first parameters of every group type, and the
   allocator's parameters, in this order. */
enum {
  ST_GROUP_COUNT,      ///< Copies, 1..32 (fixed: changing it rebuilds the group, crossfading)
  ST_GROUP_MODE,       ///< poly | mono
  ST_GROUP_STEAL,      ///< oldest | quietest: the voice a note takes when every voice is held
  ST_GROUP_RETRIGGER,  ///< mono: legato (glide into the new pitch) | retrigger (gate again)
  ST_GROUP_UNISON,     ///< Copies per note, 1..8
  ST_GROUP_DETUNE,     ///< Cents between the outermost unison copies
  ST_GROUP_SPREAD,     ///< Pan of the outermost unison copies, 0..1
  ST_GROUP_CHANNEL,    ///< MIDI channel 1..16, 0 for all (ignored with MPE)
  ST_GROUP_BEND_RANGE, ///< Semitones of the channel's (MPE: the master channel's) bend
  ST_GROUP_MPE,        ///< off | on: MPE lower zone, master channel 1, notes on 2..16
  ST_GROUP_MPE_BEND,   ///< Semitones of a note's own bend with MPE
  ST_GROUP_PARAMS
};
extern const StParamSpec st_voice_group_params[ST_GROUP_PARAMS];

/* The inlet names the allocator feeds, in voice input output order,
   NULL-terminated: gate, pitch, velocity, release, aftertouch, pressure,
   bend, modwheel, timbre, pan. */
extern const char* const st_voice_inlets[];

/* Index of `name` in st_voice_inlets, or -1. */
int st_voice_inlet_index(const char* name);

extern const StNodeType st_voice_alloc_type;
extern const StNodeType st_voice_in_type;
extern const StNodeType st_voice_mix_type;

/* Binding, on the control side, once the flat graph's states exist and
   before it runs. */
/* `outputs`: bit o set when output o of the voice input is linked; the
   others are left unwritten. */
void st_voice_bind_in(void* in_state, void* alloc_state, uint32_t voice, uint32_t outputs);
/* False when the allocator already has ST_VOICE_MIXES_MAX mixes: then no
   voice of the group ever sleeps. */
bool st_voice_bind_mix(void* mix_state, void* alloc_state);
/* Watches a node of `voice` with a quiet hook; false when the allocator
   watches ST_VOICE_QUIET_MAX already: that voice then never sleeps. */
bool st_voice_bind_quiet(void* alloc_state, uint32_t voice, const StNodeType* type,
                         const void* state);
/* True for a node type that keeps any voice it is in awake: one that holds
   sound with no quiet hook (ST_NODE_HOLDS), a sink (it reads its inputs
   outside the schedule) or one that takes MIDI (it may start sounding on
   its own). */
bool st_voice_keeps_awake(const StNodeType* type);

/* A node of `voice` holds sound with no quiet hook: the voice never sleeps. */
void st_voice_keep_awake(void* alloc_state, uint32_t voice);

/* The flag the scheduler reads for every task of `voice` (nonzero: asleep). */
const uint8_t* st_voice_asleep(const void* alloc_state, uint32_t voice);

/* Voices awake now (tests, benchmarks). */
uint32_t st_voice_awake_count(const void* alloc_state);

/* Carries the keys held in `from` (an allocator of the graph being
   replaced) into `to`, a new allocator, as note-ons, so that a swap (a new
   voice count, an edited definition) keeps notes sounding. Audio thread,
   bounded. */
void st_voice_carry(void* to, const void* from);

#endif
