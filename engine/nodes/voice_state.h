/* SPDX-License-Identifier: ISC */
/* The state the three voice node types share (voices.h): the allocator's,
   which its voice inputs and mixes read, and a mix's, whose peaks the
   allocator reads and clears. Who writes what, and when:

   - the allocator writes its own state in event() and process(), and clears
     the mixes' peaks in process(); it runs first in every sub-block;
   - a voice input only reads the allocator (voices run in parallel);
   - a mix writes its peaks and reads the allocator's sleep flags. */
#ifndef ST_VOICE_STATE_H
#define ST_VOICE_STATE_H

#include "voices.h"

#include <stdbool.h>
#include <stdint.h>

#define ST_VOICE_CHANNELS 16  ///< MIDI channels
#define ST_VOICE_STACK 16     ///< Held keys a mono group remembers (the oldest go)

/* What a voice input writes, in st_voice_inlets order. */
enum {
  ST_VI_GATE,
  ST_VI_PITCH,
  ST_VI_VELOCITY,
  ST_VI_RELEASE,
  ST_VI_AFTERTOUCH,
  ST_VI_PRESSURE,
  ST_VI_BEND,
  ST_VI_MODWHEEL,
  ST_VI_TIMBRE,
  ST_VI_PAN,
  ST_VI_COUNT
};

/* What a MIDI channel last sent. Without MPE every channel the group hears
   writes channel 0's. */
typedef struct {
  float bend;      ///< Pitch bend, -1..1
  float pressure;  ///< Channel pressure, 0..1
  float mod;       ///< Mod wheel (CC 1), 0..1
  float timbre;    ///< CC 74, 0..1
} StVoiceChannel;

typedef struct {
  uint8_t  note;        ///< Note number (kept after release for the tail)
  uint8_t  channel;     ///< Channel whose bend, pressure and timbre it follows (0 without MPE)
  uint8_t  copy;        ///< Unison copy index, 0..copies-1
  uint8_t  copies;      ///< Unison copies of its note
  bool     held;        ///< Key down
  bool     gate;        ///< Gate as the last sub-block gave it (a note-on then is a restart)
  bool     keep;        ///< Never sleeps (a node that holds sound, a watch that did not fit)
  float    velocity;    ///< Note-on velocity, 0..1
  float    release;     ///< Note-off velocity, 0..1 (0 while held)
  float    aftertouch;  ///< Key pressure of its note, 0..1
  float    level;       ///< Its peak over the mixes in the last whole window
  uint32_t age;         ///< Note-on clock when it took its note
  uint32_t restarts;    ///< Counts restarts; a voice input drops its gate when it changes
  uint64_t up_since;    ///< Frame from which its key is up (when not held)
} StVoice;

/* One held key of a mono group's note stack. */
typedef struct {
  uint8_t note;      ///< Note number
  uint8_t channel;   ///< As StVoice.channel
  float   velocity;  ///< Note-on velocity, 0..1
} StVoiceKey;

typedef struct StVoiceMix StVoiceMix;

/* A node of a voice with a quiet hook. */
typedef struct {
  const StNodeType* type;   ///< Its type, whose quiet() is asked
  const void*       state;  ///< Its state
  uint32_t          voice;  ///< The voice it belongs to
} StVoiceWatch;

typedef struct {
  StVoice voice[ST_VOICES_MAX];
  float   value[ST_VOICES_MAX][ST_VI_COUNT];  ///< What each voice input writes this sub-block
  uint8_t asleep[ST_VOICES_MAX];              ///< Sleep flags the scheduler reads
  StVoiceChannel channel[ST_VOICE_CHANNELS];
  StVoiceKey     stack[ST_VOICE_STACK];  ///< Mono: held keys, newest last
  uint32_t       stacked;                ///< Mono: keys on the stack
  StVoiceMix*    mix[ST_VOICE_MIXES_MAX];
  uint32_t       mixes;           ///< Bound mixes
  bool           mixes_overflow;  ///< A mix did not fit: no voice sleeps
  StVoiceWatch   watch[ST_VOICE_QUIET_MAX];
  uint32_t       watches;  ///< Watched nodes

  /* Settings as the last sub-block read them (event() has no parameters). */
  uint32_t count;      ///< Voices, 1..32 (fixed)
  uint32_t filter;     ///< MIDI channel 1..16, 0 for all (fixed)
  uint32_t mode;       ///< ST_VOICE_POLY or ST_VOICE_MONO
  uint32_t steal;      ///< ST_VOICE_STEAL_OLDEST or ST_VOICE_STEAL_QUIETEST
  uint32_t retrigger;  ///< ST_VOICE_LEGATO or ST_VOICE_RETRIGGER
  uint32_t unison;     ///< Copies per note, 1..8
  bool     mpe;        ///< MPE lower zone

  uint32_t next;   ///< Poly: the note slot where the round-robin search starts
  uint32_t clock;  ///< Counts note-ons
  uint64_t now;    ///< Frame the next sub-block starts at
  uint64_t since;  ///< Frame since which the allocator ran every sub-block
} StVoiceAlloc;

enum { ST_VOICE_POLY, ST_VOICE_MONO };
enum { ST_VOICE_STEAL_OLDEST, ST_VOICE_STEAL_QUIETEST };
enum { ST_VOICE_LEGATO, ST_VOICE_RETRIGGER };

struct StVoiceMix {
  const StVoiceAlloc* alloc;  ///< Bound allocator, or NULL: every linked input counts
  float peak[ST_VOICES_MAX];  ///< Largest |sample| of each voice since the allocator cleared it
};

/* A voice input: reads its voice's values from the allocator. */
typedef struct {
  const StVoiceAlloc* alloc;     ///< Bound allocator, or NULL: every output reads 0
  uint32_t            voice;     ///< Its voice
  uint32_t            restarts;  ///< The voice's restart count its gate last followed
  uint32_t            outputs;   ///< Bound: bit o set when output o is read (the rest
                                 ///< are not written)
} StVoiceIn;

/* Notes on voices (voice_notes.c), for the allocator's MIDI and for carry. */
void st_voice_note_on(StVoiceAlloc* s, const StVoiceKey* key);
void st_voice_note_off(StVoiceAlloc* s, const StVoiceKey* key, float velocity);
void st_voice_release_all(StVoiceAlloc* s);
void st_voice_key_pressure(StVoiceAlloc* s, const StVoiceKey* key, float pressure);

#endif
