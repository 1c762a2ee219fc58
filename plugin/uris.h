/* SPDX-License-Identifier: ISC */
/* Every URI the plugin speaks, and the URIDs they map to, mapped once at
   instantiate into one struct of named fields. */
#ifndef ST_URIS_H
#define ST_URIS_H

#include <lv2/atom/atom.h>
#include <lv2/core/lv2.h>
#include <lv2/log/log.h>
#include <lv2/midi/midi.h>
#include <lv2/options/options.h>
#include <lv2/parameters/parameters.h>
#include <lv2/patch/patch.h>
#include <lv2/state/state.h>
#include <lv2/time/time.h>
#include <lv2/urid/urid.h>

#include <stdint.h>
#include <stdio.h>

#define STRATA_URI          "urn:strata:modular"
#define STRATA_PREFIX       STRATA_URI "#"
#define STRATA__patch       STRATA_PREFIX "patch"     ///< Whole patch text (atom:String)
#define STRATA__patchFile   STRATA_PREFIX "patchFile" ///< Patch file to load (atom:Path)
#define STRATA__macro       STRATA_PREFIX "macro"     ///< + "1".."16": a macro slot (a subject)
#define STRATA__Link        STRATA_PREFIX "Link"      ///< A link between two ports
#define STRATA__tail        STRATA_PREFIX "tail"      ///< Link source "node.output"
#define STRATA__head        STRATA_PREFIX "head"      ///< Link destination "node.input"
#define STRATA__MacroMap    STRATA_PREFIX "MacroMap"  ///< A macro slot driving a parameter
#define STRATA__target      STRATA_PREFIX "target"    ///< Mapped parameter "node.param"
#define STRATA__minimum     STRATA_PREFIX "minimum"   ///< Parameter value at macro 0
#define STRATA__maximum     STRATA_PREFIX "maximum"   ///< Parameter value at macro 1
#define STRATA__curve       STRATA_PREFIX "curve"     ///< "lin" or "exp"
#define STRATA__status      STRATA_PREFIX "status"    ///< Reply status name
#define STRATA__message     STRATA_PREFIX "message"   ///< What an edit did
#define STRATA__error       STRATA_PREFIX "error"     ///< What went wrong and why
#define STRATA__position    STRATA_PREFIX "position"  ///< A node's canvas position: Vector of 2 Float
#define STRATA__replace     STRATA_PREFIX "replace"   ///< Link body flag: replace the input's link
#define STRATA__name        STRATA_PREFIX "name"      ///< The patch name (atom:String)
#define STRATA__monitor     STRATA_PREFIX "monitor"   ///< Level reports on or off (atom:Bool)
#define STRATA__Levels      STRATA_PREFIX "Levels"    ///< A level report
#define STRATA__levels      STRATA_PREFIX "levels"    ///< Peaks per node: Vector of Float
#define STRATA__probe       STRATA_PREFIX "probe"     ///< The probed output "node.output"
#define STRATA__Scope       STRATA_PREFIX "Scope"     ///< A probe report
#define STRATA__samples     STRATA_PREFIX "samples"   ///< Probe samples: Vector of Float
#define STRATA__threads     STRATA_PREFIX "threads"   ///< Option: engine threads (atom:Int)
#define STRATA__subpatch    STRATA_PREFIX "subpatch"  ///< A sub-patch definition's text (atom:String)
#define STRATA_NODE_PREFIX  "urn:strata:node:"        ///< + node name: a node subject
#define STRATA_TYPE_PREFIX  "urn:strata:type:"        ///< + type name: a node type
#define STRATA_PARAM_PREFIX "urn:strata:param:"       ///< + parameter name: a node parameter
#define STRATA_SUBPATCH_PREFIX "urn:strata:subpatch:" ///< + definition name: a sub-patch
#define STRATA_VOICES_PREFIX "urn:strata:voices:" ///< + definition name: a sub-patch as a voice group

#define INGEN_PREFIX  "http://drobilla.net/ns/ingen#"
#define INGEN__Arc    INGEN_PREFIX "Arc"
#define INGEN__tail   INGEN_PREFIX "tail"
#define INGEN__head   INGEN_PREFIX "head"
#define RDF__type     "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#define RDF__value    "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
#define RDFS__label   "http://www.w3.org/2000/01/rdf-schema#label"

/* Options Ardour passes at instantiate (atom:Int each): its DSP thread
   count and the scheduling of its process threads. */
#define ARDOUR_THREADS_PREFIX         "http://ardour.org/lv2/threads/#"
#define ARDOUR_THREADS__concurrency   ARDOUR_THREADS_PREFIX "concurrency"
#define ARDOUR_THREADS__schedPolicy   ARDOUR_THREADS_PREFIX "schedPolicy"
#define ARDOUR_THREADS__schedPriority ARDOUR_THREADS_PREFIX "schedPriority"

#define ST_PLUGIN_MACROS 16 ///< Macro control ports: macro1..macro16

typedef struct {
  LV2_URID atom_Blank;
  LV2_URID atom_Bool;
  LV2_URID atom_Vector;
  LV2_URID atom_Double;
  LV2_URID atom_Float;
  LV2_URID atom_Int;
  LV2_URID atom_Long;
  LV2_URID atom_Object;
  LV2_URID atom_Path;
  LV2_URID atom_Sequence;
  LV2_URID atom_String;
  LV2_URID atom_URI;
  LV2_URID atom_URID;
  LV2_URID midi_MidiEvent;
  LV2_URID param_sampleRate;
  LV2_URID patch_Ack;
  LV2_URID patch_Delete;
  LV2_URID patch_Error;
  LV2_URID patch_Get;
  LV2_URID patch_Move;
  LV2_URID patch_destination;
  LV2_URID patch_Post;
  LV2_URID patch_Put;
  LV2_URID patch_Set;
  LV2_URID patch_body;
  LV2_URID patch_property;
  LV2_URID patch_sequenceNumber;
  LV2_URID patch_subject;
  LV2_URID patch_value;
  LV2_URID rdf_type;
  LV2_URID rdf_value;
  LV2_URID rdfs_label;
  LV2_URID state_StateChanged;
  LV2_URID time_Position;
  LV2_URID time_bar;
  LV2_URID time_barBeat;
  LV2_URID time_beat;
  LV2_URID time_beatUnit;
  LV2_URID time_beatsPerBar;
  LV2_URID time_beatsPerMinute;
  LV2_URID time_speed;
  LV2_URID ingen_Arc;
  LV2_URID ingen_head;
  LV2_URID ingen_tail;
  LV2_URID strata_plugin;
  LV2_URID strata_patch;
  LV2_URID strata_patchFile;
  LV2_URID strata_macro[ST_PLUGIN_MACROS]; ///< Macro slot subjects (urn:strata:modular#macroN)
  LV2_URID strata_Link;
  LV2_URID strata_tail;
  LV2_URID strata_head;
  LV2_URID strata_MacroMap;
  LV2_URID strata_target;
  LV2_URID strata_minimum;
  LV2_URID strata_maximum;
  LV2_URID strata_curve;
  LV2_URID strata_status;
  LV2_URID strata_message;
  LV2_URID strata_error;
  LV2_URID strata_position;
  LV2_URID strata_replace;
  LV2_URID strata_name;
  LV2_URID strata_monitor;
  LV2_URID strata_Levels;
  LV2_URID strata_levels;
  LV2_URID strata_probe;
  LV2_URID strata_Scope;
  LV2_URID strata_samples;
  LV2_URID strata_threads;
  LV2_URID strata_subpatch;
  LV2_URID ardour_concurrency;
  LV2_URID ardour_schedPolicy;
  LV2_URID ardour_schedPriority;
} StUris;

static inline void
st_uris_init(StUris* u, LV2_URID_Map* map)
{
#define MAP(uri) map->map(map->handle, (uri))
  u->atom_Blank               = MAP(LV2_ATOM__Blank);
  u->atom_Bool                = MAP(LV2_ATOM__Bool);
  u->atom_Vector              = MAP(LV2_ATOM__Vector);
  u->atom_Double              = MAP(LV2_ATOM__Double);
  u->atom_Float               = MAP(LV2_ATOM__Float);
  u->atom_Int                 = MAP(LV2_ATOM__Int);
  u->atom_Long                = MAP(LV2_ATOM__Long);
  u->atom_Object              = MAP(LV2_ATOM__Object);
  u->atom_Path                = MAP(LV2_ATOM__Path);
  u->atom_Sequence            = MAP(LV2_ATOM__Sequence);
  u->atom_String              = MAP(LV2_ATOM__String);
  u->atom_URI                 = MAP(LV2_ATOM__URI);
  u->atom_URID                = MAP(LV2_ATOM__URID);
  u->midi_MidiEvent           = MAP(LV2_MIDI__MidiEvent);
  u->param_sampleRate         = MAP(LV2_PARAMETERS__sampleRate);
  u->patch_Ack                = MAP(LV2_PATCH__Ack);
  u->patch_Delete             = MAP(LV2_PATCH__Delete);
  u->patch_Error              = MAP(LV2_PATCH__Error);
  u->patch_Get                = MAP(LV2_PATCH__Get);
  u->patch_Move               = MAP(LV2_PATCH__Move);
  u->patch_destination        = MAP(LV2_PATCH__destination);
  u->patch_Post               = MAP(LV2_PATCH__Post);
  u->patch_Put                = MAP(LV2_PATCH__Put);
  u->patch_Set                = MAP(LV2_PATCH__Set);
  u->patch_body               = MAP(LV2_PATCH__body);
  u->patch_property           = MAP(LV2_PATCH__property);
  u->patch_sequenceNumber     = MAP(LV2_PATCH__sequenceNumber);
  u->patch_subject            = MAP(LV2_PATCH__subject);
  u->patch_value              = MAP(LV2_PATCH__value);
  u->rdf_type                 = MAP(RDF__type);
  u->rdf_value                = MAP(RDF__value);
  u->rdfs_label               = MAP(RDFS__label);
  u->state_StateChanged       = MAP(LV2_STATE__StateChanged);
  u->time_Position            = MAP(LV2_TIME__Position);
  u->time_bar                 = MAP(LV2_TIME__bar);
  u->time_barBeat             = MAP(LV2_TIME__barBeat);
  u->time_beat                = MAP(LV2_TIME__beat);
  u->time_beatUnit            = MAP(LV2_TIME__beatUnit);
  u->time_beatsPerBar         = MAP(LV2_TIME__beatsPerBar);
  u->time_beatsPerMinute      = MAP(LV2_TIME__beatsPerMinute);
  u->time_speed               = MAP(LV2_TIME__speed);
  u->ingen_Arc                = MAP(INGEN__Arc);
  u->ingen_head               = MAP(INGEN__head);
  u->ingen_tail               = MAP(INGEN__tail);
  u->strata_plugin            = MAP(STRATA_URI);
  u->strata_patch             = MAP(STRATA__patch);
  u->strata_patchFile         = MAP(STRATA__patchFile);
  for (unsigned i = 0; i < ST_PLUGIN_MACROS; ++i) {
    char uri[64];
    snprintf(uri, sizeof(uri), "%s%u", STRATA__macro, i + 1);
    u->strata_macro[i] = MAP(uri);
  }
  u->strata_Link     = MAP(STRATA__Link);
  u->strata_tail     = MAP(STRATA__tail);
  u->strata_head     = MAP(STRATA__head);
  u->strata_MacroMap = MAP(STRATA__MacroMap);
  u->strata_target   = MAP(STRATA__target);
  u->strata_minimum  = MAP(STRATA__minimum);
  u->strata_maximum  = MAP(STRATA__maximum);
  u->strata_curve    = MAP(STRATA__curve);
  u->strata_status   = MAP(STRATA__status);
  u->strata_message  = MAP(STRATA__message);
  u->strata_error    = MAP(STRATA__error);
  u->strata_position = MAP(STRATA__position);
  u->strata_replace  = MAP(STRATA__replace);
  u->strata_name     = MAP(STRATA__name);
  u->strata_monitor  = MAP(STRATA__monitor);
  u->strata_Levels   = MAP(STRATA__Levels);
  u->strata_levels   = MAP(STRATA__levels);
  u->strata_probe    = MAP(STRATA__probe);
  u->strata_Scope    = MAP(STRATA__Scope);
  u->strata_samples  = MAP(STRATA__samples);
  u->strata_threads  = MAP(STRATA__threads);
  u->strata_subpatch = MAP(STRATA__subpatch);
  u->ardour_concurrency   = MAP(ARDOUR_THREADS__concurrency);
  u->ardour_schedPolicy   = MAP(ARDOUR_THREADS__schedPolicy);
  u->ardour_schedPriority = MAP(ARDOUR_THREADS__schedPriority);
#undef MAP
}

#endif
