/* SPDX-License-Identifier: ISC */
/* Voice groups at run time: the allocator, voice inputs and a voice mix,
   driven as the scheduler would (allocator first, then the awake voices,
   then the mix), at the frames a host would give them. */
#include "node_harness.h"
#include "voices.h"

#include <check.h>
#include <stdlib.h>

#define RATE 48000.0f

enum {
  GATE,
  PITCH,
  VELOCITY,
  RELEASE,
  AFTERTOUCH,
  PRESSURE,
  BEND,
  MODWHEEL,
  TIMBRE,
  PAN,
  N_IN
};

/* A group: an allocator, a voice input per voice, one mix fed by each voice
   with a chosen level (alternating in sign, so that its peak is the level). */
typedef struct {
  NodeRig* alloc;
  NodeRig* in[ST_VOICES_MAX];
  NodeRig* mix;
  uint32_t count;
  uint64_t frame;                            // frame of the next sub-block
  float    level[ST_VOICES_MAX];             // what each voice feeds the mix
  float out[ST_VOICES_MAX][N_IN][ST_BLOCK];  // voice inputs' outputs, last sub-block each ran
  float feed[ST_VOICES_MAX][ST_BLOCK];
  float mixed[ST_BLOCK];
  float awake[ST_BLOCK];
} Group;

static void
settings(float* v)
{
  for (uint32_t i = 0; i < ST_GROUP_PARAMS; ++i) {
    v[i] = st_voice_group_params[i].def;
  }
}

static Group*
group_new(const float* v)
{
  Group* g = calloc(1, sizeof(Group));
  ck_assert_ptr_nonnull(g);
  g->count = (uint32_t)v[ST_GROUP_COUNT];
  g->alloc = rig_new(&st_voice_alloc_type, RATE, v);
  g->mix   = rig_new(&st_voice_mix_type, RATE, NULL);
  ck_assert(st_voice_bind_mix(g->mix->state, g->alloc->state));
  for (uint32_t i = 0; i < g->count; ++i) {
    g->in[i] = rig_new(&st_voice_in_type, RATE, NULL);
    st_voice_bind_in(g->in[i]->state, g->alloc->state, i, UINT32_MAX);
  }
  return g;
}

static Group*
group_of(uint32_t count)
{
  float v[ST_GROUP_PARAMS];
  settings(v);
  v[ST_GROUP_COUNT] = (float)count;
  return group_new(v);
}

static void
group_free(Group* g)
{
  rig_free(g->alloc);
  rig_free(g->mix);
  for (uint32_t i = 0; i < g->count; ++i) {
    rig_free(g->in[i]);
  }
  free(g);
}

static void
send(Group* g, uint8_t status, uint8_t a, uint8_t b)
{
  const uint8_t msg[3] = {status, a, b};
  rig_event(g->alloc, msg, 3);
}

static bool
asleep(const Group* g, uint32_t voice)
{
  return *st_voice_asleep(g->alloc->state, voice) != 0;
}

/* One sub-block of `frames` (never crossing a multiple of ST_BLOCK). */
static void
step_frames(Group* g, uint32_t frames)
{
  ck_assert_uint_le(g->frame % ST_BLOCK + frames, ST_BLOCK);
  float* awake[]       = {g->awake};
  g->alloc->host.frame = g->frame;
  rig_run(g->alloc, NULL, awake, frames, NULL, NULL);
  const float* feed[ST_VOICES_MAX] = {NULL};
  for (uint32_t i = 0; i < g->count; ++i) {
    for (uint32_t f = 0; f < frames; ++f) {
      g->feed[i][f] = f % 2 ? -g->level[i] : g->level[i];
    }
    feed[i] = g->feed[i];
    if (!asleep(g, i)) {
      float* outs[N_IN];
      for (int o = 0; o < N_IN; ++o) {
        outs[o] = g->out[i][o];
      }
      g->in[i]->host.frame = g->frame;
      rig_run(g->in[i], NULL, outs, frames, NULL, NULL);
    }
  }
  float* mixed[]     = {g->mixed};
  g->mix->host.frame = g->frame;
  rig_run(g->mix, feed, mixed, frames, NULL, NULL);
  g->frame += frames;
}

static void
step(Group* g)
{
  step_frames(g, ST_BLOCK);
}

/* Output `o` of voice `v` was `value` all through the last ST_BLOCK frames. */
static void
expect_flat(const Group* g, uint32_t v, int o, float value)
{
  for (uint32_t f = 0; f < ST_BLOCK; ++f) {
    ck_assert_float_eq(g->out[v][o][f], value);
  }
}

/* Voice v holds `note`, with an open gate from the first sample. */
static void
expect_note(const Group* g, uint32_t v, int note)
{
  ck_assert(!asleep(g, v));
  expect_flat(g, v, GATE, 1.0f);
  expect_flat(g, v, PITCH, (float)(note - 69) / 12.0f);
}

/* Voice v was restarted: its gate drops at the first sample only. */
static void
expect_restart(const Group* g, uint32_t v)
{
  ck_assert_float_eq(g->out[v][GATE][0], 0.0f);
  for (uint32_t f = 1; f < ST_BLOCK; ++f) {
    ck_assert_float_eq(g->out[v][GATE][f], 1.0f);
  }
}

START_TEST(test_inlet_names)
{
  ck_assert_int_eq(st_voice_inlet_index("gate"), 0);
  ck_assert_int_eq(st_voice_inlet_index("pan"), 9);
  ck_assert_int_eq(st_voice_inlet_index("cutoff"), -1);
  ck_assert_uint_eq(st_voice_in_type.n_outputs, 10);
  for (uint32_t i = 0; i < st_voice_in_type.n_outputs; ++i) {
    ck_assert_str_eq(st_voice_in_type.outputs[i].name, st_voice_inlets[i]);
  }
}
END_TEST

START_TEST(test_round_robin_and_tails)
{
  Group* g = group_of(4);
  ck_assert_uint_eq(st_voice_awake_count(g->alloc->state), 0);
  send(g, 0x90, 60, 127);
  send(g, 0x90, 62, 127);
  step(g);
  expect_note(g, 0, 60);
  expect_note(g, 1, 62);
  ck_assert(asleep(g, 2) && asleep(g, 3));
  ck_assert_float_eq(g->awake[0], 2.0f);
  send(g, 0x80, 60, 0);
  send(g, 0x90, 64, 127);  // voice 0 is free, but the search goes on from voice 2
  step(g);
  expect_flat(g, 0, GATE, 0.0f);
  expect_flat(g, 0, PITCH, -9.0f / 12.0f);  // its tail keeps the note
  expect_note(g, 2, 64);
  send(g, 0x90, 65, 127);
  send(g, 0x90, 67, 127);  // wraps round to voice 0
  step(g);
  expect_note(g, 3, 65);
  expect_note(g, 0, 67);
  expect_note(g, 1, 62);
  ck_assert_float_eq(g->awake[0], 4.0f);
  group_free(g);
}
END_TEST

/* Four held notes, voice v's level levels[v] for a whole window, then a
   fifth note: the voice it takes. */
static uint32_t
stolen(uint32_t steal, const float* levels)
{
  float v[ST_GROUP_PARAMS];
  settings(v);
  v[ST_GROUP_COUNT] = 4;
  v[ST_GROUP_STEAL] = (float)steal;
  Group* g          = group_new(v);
  for (uint8_t i = 0; i < 4; ++i) {
    send(g, 0x90, (uint8_t)(60 + i), 127);
    g->level[i] = levels[i];
  }
  step(g);
  step(g);  // the window [0, ST_BLOCK) ends: its levels count
  send(g, 0x90, 72, 127);
  step(g);
  uint32_t taken = ST_VOICES_MAX;
  for (uint32_t i = 0; i < 4; ++i) {
    if (g->out[i][PITCH][0] == 3.0f / 12.0f) {
      ck_assert_uint_eq(taken, ST_VOICES_MAX);
      expect_restart(g, i);
      taken = i;
    } else {
      expect_note(g, i, 60 + (int)i);
    }
  }
  group_free(g);
  return taken;
}

START_TEST(test_steal_oldest_and_quietest)
{
  const float levels[] = {0.5f, 0.1f, 0.001f, 0.2f};
  ck_assert_uint_eq(stolen(0, levels), 0);
  ck_assert_uint_eq(stolen(1, levels), 2);
  const float quiet_first[] = {0.0001f, 0.1f, 0.001f, 0.2f};
  ck_assert_uint_eq(stolen(1, quiet_first), 0);
}
END_TEST

START_TEST(test_same_note_restarts)
{
  Group* g = group_of(4);
  send(g, 0x90, 60, 127);
  step(g);
  expect_note(g, 0, 60);  // a fresh voice: no drop
  send(g, 0x90, 60, 64);
  step(g);
  expect_restart(g, 0);
  expect_flat(g, 0, VELOCITY, 64 / 127.0f);
  ck_assert(asleep(g, 1));
  step(g);
  expect_note(g, 0, 60);  // one drop only
  send(g, 0x80, 60, 0);
  send(g, 0x90, 62, 127);  // voice 1, whose gate was closed: no drop
  send(g, 0x90, 60, 127);  // voice 2
  step(g);
  expect_note(g, 1, 62);
  expect_note(g, 2, 60);
  group_free(g);
}
END_TEST

static Group*
mono(float retrigger)
{
  float v[ST_GROUP_PARAMS];
  settings(v);
  v[ST_GROUP_COUNT]     = 4;
  v[ST_GROUP_MODE]      = 1;
  v[ST_GROUP_RETRIGGER] = retrigger;
  return group_new(v);
}

START_TEST(test_mono_legato)
{
  Group* g = mono(0);
  send(g, 0x90, 60, 127);
  step(g);
  expect_note(g, 0, 60);
  send(g, 0x90, 64, 100);
  step(g);
  expect_note(g, 0, 64);  // no drop
  expect_flat(g, 0, VELOCITY, 100 / 127.0f);
  ck_assert(asleep(g, 1));
  send(g, 0x80, 64, 0);
  step(g);
  expect_note(g, 0, 60);  // back to the held one, still no drop
  expect_flat(g, 0, VELOCITY, 1.0f);
  send(g, 0x80, 60, 127);
  step(g);
  expect_flat(g, 0, GATE, 0.0f);
  expect_flat(g, 0, PITCH, -9.0f / 12.0f);
  expect_flat(g, 0, RELEASE, 1.0f);
  group_free(g);
}
END_TEST

START_TEST(test_mono_retrigger_and_stack)
{
  Group* g = mono(1);
  send(g, 0x90, 60, 127);
  step(g);
  expect_note(g, 0, 60);
  send(g, 0x90, 64, 127);
  step(g);
  expect_restart(g, 0);
  expect_flat(g, 0, PITCH, -5.0f / 12.0f);
  send(g, 0x90, 67, 127);
  send(g, 0x80, 64, 0);  // not the sounding note: nothing changes
  step(g);
  expect_restart(g, 0);
  expect_flat(g, 0, PITCH, -2.0f / 12.0f);
  step(g);
  expect_note(g, 0, 67);
  send(g, 0x80, 67, 0);  // back to 60, gating again
  step(g);
  expect_restart(g, 0);
  expect_flat(g, 0, PITCH, -9.0f / 12.0f);
  send(g, 0x80, 60, 0);
  step(g);
  expect_flat(g, 0, GATE, 0.0f);
  ck_assert(asleep(g, 1));
  group_free(g);
}
END_TEST

START_TEST(test_unison)
{
  float v[ST_GROUP_PARAMS];
  settings(v);
  v[ST_GROUP_COUNT]  = 7;  // two notes of three; voice 6 never plays
  v[ST_GROUP_UNISON] = 3;
  Group* g           = group_new(v);
  send(g, 0x90, 60, 127);
  send(g, 0x90, 64, 127);
  step(g);
  const float spread[] = {-0.05f, 0.0f, 0.05f};  // 10 cents between the outermost
  const float pan[]    = {-0.5f, 0.0f, 0.5f};
  for (uint32_t c = 0; c < 3; ++c) {
    expect_flat(g, c, PITCH, (-9.0f + spread[c]) / 12.0f);
    expect_flat(g, 3 + c, PITCH, (-5.0f + spread[c]) / 12.0f);
    expect_flat(g, c, PAN, pan[c]);
    expect_flat(g, 3 + c, PAN, pan[c]);
    expect_flat(g, c, GATE, 1.0f);
  }
  ck_assert(asleep(g, 6));
  send(g, 0x90, 67, 127);  // steals the oldest note's three voices
  step(g);
  for (uint32_t c = 0; c < 3; ++c) {
    expect_restart(g, c);
    expect_flat(g, c, PITCH, (-2.0f + spread[c]) / 12.0f);
  }
  ck_assert(asleep(g, 6));
  group_free(g);
}
END_TEST

START_TEST(test_mpe)
{
  float v[ST_GROUP_PARAMS];
  settings(v);
  v[ST_GROUP_COUNT] = 4;
  v[ST_GROUP_MPE]   = 1;
  Group* g          = group_new(v);
  send(g, 0x91, 60, 127);     // channel 2
  send(g, 0x92, 64, 127);     // channel 3
  send(g, 0x90, 67, 127);     // the master channel plays too
  send(g, 0xE1, 0x7F, 0x7F);  // channel 2 bends up
  send(g, 0xD1, 100, 0);      // channel 2 pressure
  send(g, 0xB1, 74, 64);      // channel 2 timbre
  send(g, 0xB1, 1, 127);      // a member's mod wheel counts for nothing
  step(g);
  const float up = 8191.0f / 8192.0f;
  expect_flat(g, 0, BEND, up);
  expect_flat(g, 0, PITCH, (-9.0f + 0.0f * 2.0f + up * 48.0f) / 12.0f);
  expect_flat(g, 0, PRESSURE, 100 / 127.0f);
  expect_flat(g, 0, TIMBRE, 64 / 127.0f);
  for (uint32_t i = 1; i < 3; ++i) {
    expect_flat(g, i, BEND, 0.0f);
    expect_flat(g, i, PRESSURE, 0.0f);
    expect_flat(g, i, TIMBRE, 0.0f);
  }
  expect_note(g, 1, 64);
  expect_note(g, 2, 67);
  send(g, 0xE0, 0x00, 0x00);  // the master bends everything down
  send(g, 0xB0, 1, 127);
  step(g);
  expect_flat(g, 0, PITCH, (-9.0f + -1.0f * 2.0f + up * 48.0f) / 12.0f);
  expect_flat(g, 1, PITCH, (-5.0f + -1.0f * 2.0f) / 12.0f);
  expect_flat(g, 2, PITCH, (-2.0f + -1.0f * 2.0f) / 12.0f);
  expect_flat(g, 1, BEND, 0.0f);
  expect_flat(g, 2, BEND, -1.0f);  // its own channel is the master
  for (uint32_t i = 0; i < 3; ++i) {
    expect_flat(g, i, MODWHEEL, 1.0f);
  }
  send(g, 0x81, 64, 0);  // the same note number on another channel is another note
  step(g);
  expect_flat(g, 1, GATE, 1.0f);
  send(g, 0x82, 64, 0);
  step(g);
  expect_flat(g, 1, GATE, 0.0f);
  group_free(g);
}
END_TEST

START_TEST(test_channel_controllers)
{
  float v[ST_GROUP_PARAMS];
  settings(v);
  v[ST_GROUP_COUNT]   = 4;
  v[ST_GROUP_CHANNEL] = 2;
  Group* g            = group_new(v);
  send(g, 0x90, 62, 127);  // channel 1: not ours
  send(g, 0x91, 60, 127);
  send(g, 0x91, 64, 127);
  send(g, 0xA1, 60, 50);  // key pressure of 60 only
  send(g, 0xD1, 20, 0);   // channel pressure for all
  send(g, 0xB1, 74, 127);
  send(g, 0xE1, 0x00, 0x60);  // bend +0.5
  step(g);
  ck_assert(asleep(g, 2));
  expect_flat(g, 0, AFTERTOUCH, 50 / 127.0f);
  expect_flat(g, 1, AFTERTOUCH, 0.0f);
  for (uint32_t i = 0; i < 2; ++i) {
    expect_flat(g, i, PRESSURE, 20 / 127.0f);
    expect_flat(g, i, TIMBRE, 1.0f);
    expect_flat(g, i, BEND, 0.5f);
  }
  expect_flat(g, 0, PITCH, (-9.0f + 0.5f * 2.0f) / 12.0f);
  send(g, 0x81, 60, 100);  // release velocity
  send(g, 0x91, 64, 0);    // a note-on of velocity 0 releases at 0
  step(g);
  expect_flat(g, 0, GATE, 0.0f);
  expect_flat(g, 0, RELEASE, 100 / 127.0f);
  expect_flat(g, 1, GATE, 0.0f);
  expect_flat(g, 1, RELEASE, 0.0f);
  send(g, 0x91, 67, 127);
  send(g, 0xB1, 123, 0);  // all notes off
  step(g);
  expect_flat(g, 2, GATE, 0.0f);
  group_free(g);
}
END_TEST

/* A node that holds sound, with a quiet hook. */
typedef struct {
  bool quiet;
} Holder;

static bool
holder_quiet(const void* state)
{
  return ((const Holder*)state)->quiet;
}

static const StNodeType holder_type = {.name = "holder", .quiet = holder_quiet};

START_TEST(test_sleep_at_block_boundary)
{
  Group* g = group_of(2);
  send(g, 0x90, 60, 127);
  ck_assert(!asleep(g, 0));  // a note-on wakes its voice at once
  g->level[0] = 0.1f;
  step(g);  // [0, B)
  const uint32_t quarter = ST_BLOCK / 4;
  step_frames(g, quarter);
  send(g, 0x80, 60, 0);  // up from B + B/4
  g->level[0] = 1e-5f;   // below ST_QUIET_LEVEL
  for (int i = 0; i < 3; ++i) {
    step_frames(g, quarter);
  }
  for (int i = 0; i < 4; ++i) {  // [2B, 3B): the first whole quiet window
    step_frames(g, quarter);
    ck_assert(!asleep(g, 0));
    ck_assert_float_eq(g->awake[0], 1.0f);
    ck_assert_float_eq(g->mixed[0], 1e-5f);
  }
  step_frames(g, quarter);  // at 3B
  ck_assert(asleep(g, 0));
  ck_assert_float_eq(g->awake[0], 0.0f);
  ck_assert_uint_eq(st_voice_awake_count(g->alloc->state), 0);
  ck_assert_float_eq(g->mixed[0], 0.0f);  // the mix skips it
  send(g, 0x90, 62, 127);                 // round robin: voice 1
  ck_assert(!asleep(g, 1));
  ck_assert_uint_eq(st_voice_awake_count(g->alloc->state), 1);
  group_free(g);
}
END_TEST

START_TEST(test_sleep_needs_whole_window)
{
  Group* g = group_of(2);
  send(g, 0x90, 60, 127);
  step(g);
  send(g, 0x80, 60, 0);  // up from B, silent: it would sleep at 2B
  step(g);
  ck_assert(!asleep(g, 0));
  g->frame += ST_BLOCK;  // the allocator missed [2B, 3B)
  step(g);               // at 3B: it saw no whole window
  ck_assert(!asleep(g, 0));
  step(g);  // at 4B, after the whole window [3B, 4B)
  ck_assert(asleep(g, 0));
  group_free(g);
}
END_TEST

START_TEST(test_what_keeps_voices_awake)
{
  Group* g      = group_of(4);
  Holder holds  = {false};
  Holder quiets = {true};
  ck_assert(st_voice_bind_quiet(g->alloc->state, 1, &holder_type, &holds));
  ck_assert(st_voice_bind_quiet(g->alloc->state, 3, &holder_type, &quiets));
  st_voice_keep_awake(g->alloc->state, 2);
  for (uint8_t i = 0; i < 4; ++i) {
    send(g, 0x90, (uint8_t)(60 + i), 127);
  }
  g->level[0] = 1e-4f;  // above ST_QUIET_LEVEL
  step(g);
  for (uint8_t i = 0; i < 4; ++i) {
    send(g, 0x80, (uint8_t)(60 + i), 0);
  }
  step(g);
  step(g);  // at 2B: [B, 2B) was quiet but for voice 0
  ck_assert(!asleep(g, 0));
  ck_assert(!asleep(g, 1));
  ck_assert(!asleep(g, 2));
  ck_assert(asleep(g, 3));
  holds.quiet = true;
  g->level[0] = 3e-5f;  // just below ST_QUIET_LEVEL, from 3B
  step(g);
  ck_assert(asleep(g, 1));
  ck_assert(!asleep(g, 0));  // [2B, 3B) was still loud
  step(g);
  ck_assert(asleep(g, 0));
  ck_assert(!asleep(g, 2));
  for (int i = 0; i < 4; ++i) {
    step(g);
  }
  ck_assert(!asleep(g, 2));
  group_free(g);
}
END_TEST

START_TEST(test_mix_order_and_sleep)
{
  Group* g = group_of(4);
  send(g, 0x90, 60, 127);
  send(g, 0x90, 61, 127);
  send(g, 0x90, 62, 127);
  const float tiny = 0x1p-24f;  // half an ulp of 1: lost unless two are added first
  g->level[0]      = 1.0f;
  g->level[1]      = tiny;
  g->level[2]      = tiny;
  g->level[3]      = 0.5f;  // asleep: not heard
  step(g);
  ck_assert_float_eq(g->mixed[0], 1.0f);
  ck_assert_float_eq(g->mixed[1], -1.0f);
  ck_assert(1.0f + (tiny + tiny) != 1.0f);
  group_free(g);
}
END_TEST

START_TEST(test_unbound_mix)
{
  NodeRig*     mix = rig_new(&st_voice_mix_type, RATE, NULL);
  float        in[ST_VOICES_MAX][ST_BLOCK];
  const float* ins[ST_VOICES_MAX];
  float        out[ST_BLOCK];
  float*       outs[] = {out};
  for (uint32_t v = 0; v < ST_VOICES_MAX; ++v) {
    for (uint32_t f = 0; f < ST_BLOCK; ++f) {
      in[v][f] = v == 5 ? 0.25f : (v == 9 ? 0.5f : ST_SIGNAL_LIMIT);
    }
    ins[v] = v == 5 || v == 9 ? in[v] : NULL;
  }
  rig_run(mix, ins, outs, ST_BLOCK, NULL, NULL);
  ck_assert_float_eq(out[ST_BLOCK - 1], 0.75f);
  for (uint32_t v = 0; v < ST_VOICES_MAX; ++v) {
    ins[v] = in[v];
  }
  rig_run(mix, ins, outs, ST_BLOCK, NULL, NULL);
  ck_assert_float_eq(out[0], ST_SIGNAL_LIMIT);  // 30e6 + 0.75, clamped
  ck_assert_uint_eq(mix->resets, 0);
  rig_free(mix);
}
END_TEST

/* A new mode, or MPE turned on, lets every key go: a note held under the
   old setting could never be released under the new one. */
START_TEST(test_mode_change_releases_every_note)
{
  const char* const names[] = {"mode", "mpe"};
  for (int k = 0; k < 2; ++k) {
    Group* g = group_of(4);
    send(g, 0x90, 60, 100);
    send(g, 0x90, 64, 100);
    step(g);
    expect_flat(g, 0, GATE, 1.0f);
    expect_flat(g, 1, GATE, 1.0f);
    rig_set(g->alloc, names[k], 1.0f);
    step(g);
    for (uint32_t v = 0; v < 2; ++v) {
      expect_flat(g, v, GATE, 0.0f);
      expect_flat(g, v, RELEASE, 0.0f); // Let go, not by a note-off
    }
    group_free(g);
  }
}
END_TEST

/* Carried into fewer voices, the newest keys keep sounding (the oldest are
   stolen), and carried back into more, the stolen ones do not return. */
START_TEST(test_carry_into_fewer_voices)
{
  Group* from = group_of(8);
  for (uint8_t k = 0; k < 8; ++k) {
    send(from, 0x90, (uint8_t)(60 + k), 100);
  }
  step(from);
  Group* fewer = group_of(4);
  st_voice_carry(fewer->alloc->state, from->alloc->state);
  step(fewer);
  for (uint32_t v = 0; v < 4; ++v) {
    expect_note(fewer, v, 64 + (int)v);
  }
  Group* more = group_of(8);
  st_voice_carry(more->alloc->state, fewer->alloc->state);
  ck_assert_uint_eq(st_voice_awake_count(more->alloc->state), 4);
  group_free(from);
  group_free(fewer);
  group_free(more);
}
END_TEST

START_TEST(test_carry_poly)
{
  Group* from = group_of(4);
  send(from, 0x90, 60, 127);
  send(from, 0x90, 62, 127);
  send(from, 0x90, 64, 100);  // voice 2
  send(from, 0x80, 60, 0);
  send(from, 0x90, 67, 50);  // voice 3
  send(from, 0x90, 65, 20);  // voice 0: voice order is not age order
  send(from, 0x80, 62, 0);
  send(from, 0xE0, 0x00, 0x60);  // bend +0.5
  send(from, 0xB0, 1, 127);
  step(from);
  float v[ST_GROUP_PARAMS];
  settings(v);
  v[ST_GROUP_COUNT] = 8;
  Group* to         = group_new(v);
  st_voice_carry(to->alloc->state, from->alloc->state);
  ck_assert_uint_eq(st_voice_awake_count(to->alloc->state), 3);
  step(to);
  const int   notes[] = {64, 67, 65};  // oldest first
  const float vels[]  = {100 / 127.0f, 50 / 127.0f, 20 / 127.0f};
  for (uint32_t i = 0; i < 3; ++i) {
    expect_flat(to, i, PITCH, ((float)(notes[i] - 69) + 0.5f * 2.0f) / 12.0f);
    expect_flat(to, i, VELOCITY, vels[i]);
    expect_flat(to, i, GATE, 1.0f);
    expect_flat(to, i, MODWHEEL, 1.0f);
  }
  send(to, 0x80, 67, 0);
  step(to);
  expect_flat(to, 1, GATE, 0.0f);
  group_free(from);
  group_free(to);
}
END_TEST

START_TEST(test_carry_mono_mpe)
{
  float v[ST_GROUP_PARAMS];
  settings(v);
  v[ST_GROUP_COUNT] = 2;
  v[ST_GROUP_MODE]  = 1;
  v[ST_GROUP_MPE]   = 1;
  Group* from       = group_new(v);
  send(from, 0x91, 60, 127);
  send(from, 0x92, 64, 127);
  send(from, 0xE2, 0x00, 0x00);  // channel 3 bends down
  step(from);
  Group* to = group_new(v);
  st_voice_carry(to->alloc->state, from->alloc->state);
  step(to);
  expect_flat(to, 0, PITCH, (-5.0f + 0.0f * 2.0f + -1.0f * 48.0f) / 12.0f);
  expect_flat(to, 0, GATE, 1.0f);
  send(to, 0x82, 64, 0);  // back to the note under it
  step(to);
  expect_flat(to, 0, PITCH, -9.0f / 12.0f);
  expect_restart(to, 0);
  group_free(from);
  group_free(to);
}
END_TEST

static Suite*
voices_suite(void)
{
  Suite* s = suite_create("voices");
  TCase* t = tcase_create("core");
  tcase_add_test(t, test_inlet_names);
  tcase_add_test(t, test_round_robin_and_tails);
  tcase_add_test(t, test_steal_oldest_and_quietest);
  tcase_add_test(t, test_same_note_restarts);
  tcase_add_test(t, test_mono_legato);
  tcase_add_test(t, test_mono_retrigger_and_stack);
  tcase_add_test(t, test_unison);
  tcase_add_test(t, test_mpe);
  tcase_add_test(t, test_channel_controllers);
  tcase_add_test(t, test_sleep_at_block_boundary);
  tcase_add_test(t, test_sleep_needs_whole_window);
  tcase_add_test(t, test_what_keeps_voices_awake);
  tcase_add_test(t, test_mix_order_and_sleep);
  tcase_add_test(t, test_unbound_mix);
  tcase_add_test(t, test_mode_change_releases_every_note);
  tcase_add_test(t, test_carry_into_fewer_voices);
  tcase_add_test(t, test_carry_poly);
  tcase_add_test(t, test_carry_mono_mpe);
  suite_add_tcase(s, t);
  return s;
}

int
main(void)
{
  SRunner* r = srunner_create(voices_suite());
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
