/* SPDX-License-Identifier: ISC */
/* Sub-patches and voice groups through the engine: an instance sounds
   exactly like the same nodes written out by hand, nested ones too, and its
   exposed parameters reach every copy; a voice group's silent voices sleep
   (costing no node runs), wake on the note's frame without a click, and its
   output is bit-identical across thread counts and host block sizes. */
#include "engine.h"
#include "flatten.h"
#include "library.h"
#include "nodes/registry.h"
#include "patch.h"
#include "voices.h"

#include <check.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE   48000
#define FRAMES (2 * RATE)

static float left[FRAMES], right[FRAMES];

typedef struct {
  uint32_t frame;
  uint8_t  msg[3];
} Note;

static StEngine*
engine_with(const char* text, uint32_t threads)
{
  StStatus             st;
  const StEngineConfig config = {.rate               = RATE,
                                 .threads            = threads,
                                 .parallel_threshold = threads > 1 ? 1.0f : 0.0f};
  StEngine*            e      = st_engine_new(&config, &st);
  ck_assert_ptr_nonnull(e);
  StGraph*     model = st_engine_new_model(e);
  StPatchError err;
  ck_assert_msg(st_patch_parse(text, strlen(text), NULL, model, &err) == ST_OK, "%s",
                err.message);
  ck_assert_msg(st_engine_swap(e, model) == ST_OK, "%s", st_engine_error(e));
  return e;
}

/* Renders `frames` frames in host blocks of `block`, the notes at their
   frames, calling `each` (may be NULL) after every host block. */
static void
play(StEngine* e, const Note* notes, size_t n_notes, uint32_t frames, uint32_t block,
     void (*each)(StEngine*, uint32_t frame, void*), void* data)
{
  size_t next = 0;
  for (uint32_t f = 0; f < frames;) {
    const uint32_t end = f + block < frames ? f + block : frames;
    st_engine_begin(e);
    while (f < end) {
      while (next < n_notes && notes[next].frame == f) {
        st_engine_event(e, notes[next].msg, 3);
        ++next;
      }
      const uint32_t stop = next < n_notes && notes[next].frame < end ? notes[next].frame : end;
      float* out[2] = {left + f, right + f};
      st_engine_process(e, NULL, out, stop - f);
      f = stop;
    }
    if (each) {
      each(e, f, data);
    }
  }
}

static void
render_text(const char* text, const Note* notes, size_t n, uint32_t frames, float* l, float* r)
{
  StEngine* e = engine_with(text, 1);
  play(e, notes, n, frames, 256, NULL, NULL);
  memcpy(l, left, frames * sizeof(float));
  memcpy(r, right, frames * sizeof(float));
  st_engine_free(e);
}

static void
assert_same(const float* a, const float* b, uint32_t frames, const char* what)
{
  for (uint32_t i = 0; i < frames; ++i) {
    uint32_t x, y;
    memcpy(&x, &a[i], 4);
    memcpy(&y, &b[i], 4);
    ck_assert_msg(x == y, "%s: frame %u: %.9g, expected %.9g", what, i, (double)a[i],
                  (double)b[i]);
  }
}

static float ref_l[FRAMES], ref_r[FRAMES], got_l[FRAMES], got_r[FRAMES];

static const Note melody[] = {
  {100, {0x90, 57, 100}}, {9000, {0x80, 57, 0}},  {9100, {0x90, 64, 80}},
  {20000, {0xE0, 0, 96}}, {30000, {0x80, 64, 40}}, {30001, {0x90, 60, 127}},
};

/* --- Instances --- */

static const char filtered_synth[] =
  "subpatch tone\n"
  "  inlet gate pitch\n"
  "  outlet out\n"
  "  node osc osc wave=saw\n"
  "  node vcf svf cutoff=900 res=0.3\n"
  "  node env adsr a=0.01 d=0.1 s=0.5 r=0.2\n"
  "  node amp vca\n"
  "  link pitch -> osc.pitch\n"
  "  link gate -> env.gate\n"
  "  link osc.out -> vcf.in\n"
  "  link vcf.lp -> amp.in\n"
  "  link env.out -> amp.cv\n"
  "  link amp.out -> out\n"
  "  param cutoff vcf.cutoff\n"
  "end\n"
  "node t tone cutoff=2500\n"
  "link midi.gate -> t.gate\n"
  "link midi.pitch -> t.pitch\n"
  "link t.out -> out.left\n";

static const char filtered_by_hand[] =
  "node osc osc wave=saw\n"
  "node vcf svf cutoff=2500 res=0.3\n"
  "node env adsr a=0.01 d=0.1 s=0.5 r=0.2\n"
  "node amp vca\n"
  "link midi.pitch -> osc.pitch\n"
  "link midi.gate -> env.gate\n"
  "link osc.out -> vcf.in\n"
  "link vcf.lp -> amp.in\n"
  "link env.out -> amp.cv\n"
  "link amp.out -> out.left\n";

START_TEST(test_instance_sounds_like_its_nodes)
{
  const size_t n = sizeof(melody) / sizeof(melody[0]);
  render_text(filtered_by_hand, melody, n, FRAMES, ref_l, ref_r);
  render_text(filtered_synth, melody, n, FRAMES, got_l, got_r);
  assert_same(got_l, ref_l, FRAMES, "instance");
  float peak = 0.0f;
  for (uint32_t i = 0; i < FRAMES; ++i) {
    peak = fabsf(ref_l[i]) > peak ? fabsf(ref_l[i]) : peak;
  }
  ck_assert_float_gt(peak, 0.1f); // It plays
}
END_TEST

/* Two nested levels, an inlet fanning out to two inputs, an exposed
   parameter of a nested instance exposed again, and an outlet nothing feeds. */
static const char nested[] =
  "subpatch stage\n"
  "  inlet in\n"
  "  outlet out\n"
  "  node f svf cutoff=500\n"
  "  node g vca gain=0.5\n"
  "  link in -> f.in\n"
  "  link in -> g.cv\n"
  "  link f.lp -> g.in\n"
  "  link g.out -> out\n"
  "  param freq f.cutoff\n"
  "end\n"
  "subpatch pair\n"
  "  inlet in\n"
  "  outlet out unused\n"
  "  node a stage freq=300\n"
  "  node b stage\n"
  "  link in -> a.in\n"
  "  link a.out -> b.in\n"
  "  link b.out -> out\n"
  "  param second b.freq\n"
  "end\n"
  "node src osc wave=square freq=220\n"
  "node p pair second=1200\n"
  "node dummy vca\n"
  "link src.out -> p.in\n"
  "link p.out -> out.left\n"
  "link p.unused -> dummy.in\n"
  "link dummy.out -> out.right\n";

static const char nested_by_hand[] =
  "node src osc wave=square freq=220\n"
  "node af svf cutoff=300\n"
  "node ag vca gain=0.5\n"
  "node bf svf cutoff=1200\n"
  "node bg vca gain=0.5\n"
  "node dummy vca\n"
  "link src.out -> af.in\n"
  "link src.out -> ag.cv\n"
  "link af.lp -> ag.in\n"
  "link ag.out -> bf.in\n"
  "link ag.out -> bg.cv\n"
  "link bf.lp -> bg.in\n"
  "link bg.out -> out.left\n"
  "link dummy.out -> out.right\n";

START_TEST(test_nested_instances_sound_like_their_nodes)
{
  render_text(nested_by_hand, NULL, 0, RATE / 4, ref_l, ref_r);
  render_text(nested, NULL, 0, RATE / 4, got_l, got_r);
  assert_same(got_l, ref_l, RATE / 4, "nested, left");
  assert_same(got_r, ref_r, RATE / 4, "nested, right (an unfed outlet reads silence)");
}
END_TEST

START_TEST(test_exposed_parameter_reaches_every_copy)
{
  StEngine*       e     = engine_with(nested, 1);
  const StGraph*  model = st_engine_model(e);
  const StHandle  p     = st_graph_find(model, "p");
  const int       param = st_node_param_index(st_graph_node(model, p)->type, "second");
  StFlatTarget    t[4];
  ck_assert_uint_eq(st_flatten_targets(model, p, (uint32_t)param, t, 4), 1);
  ck_assert_int_eq(st_engine_set_param(e, p, (uint32_t)param, 2000.0f), ST_OK);
  play(e, NULL, 0, 512, 512, NULL, NULL);
  const StGraph*    running = st_engine_running(e);
  const StNodeSlot* bf      = st_graph_node(running, t[0].node);
  ck_assert_str_eq(bf->name, "p.b.f");
  ck_assert_float_eq(bf->params[t[0].param].target, 2000.0f);
  // Top-level nodes keep their handles in the running graph.
  const StHandle src = st_graph_find(model, "src");
  ck_assert_str_eq(st_graph_node(running, src)->name, "src");
  st_engine_free(e);
}
END_TEST

/* --- Voice groups --- */

/* A group's exposed parameter, and a macro mapped to it, reach every voice. */
START_TEST(test_group_parameter_reaches_every_voice)
{
  static const char text[] = "subpatch v\n"
                             "  outlet out\n"
                             "  node c const value=0.1\n"
                             "  link c.out -> out\n"
                             "  param level c.value\n"
                             "end\n"
                             "voices g v count=4\n"
                             "link g.out -> out.left\n";
  StEngine*      e     = engine_with(text, 1);
  const StGraph* model = st_engine_model(e);
  const StHandle g     = st_graph_find(model, "g");
  StFlatTarget   t[8];
  ck_assert_uint_eq(st_flatten_targets(model, g, ST_GROUP_PARAMS, t, 8), 4);
  ck_assert_int_eq(st_engine_set_param(e, g, ST_GROUP_PARAMS, 0.5f), ST_OK);
  play(e, NULL, 0, 256, 256, NULL, NULL);
  for (int round = 0; round < 2; ++round) {
    const StGraph* running = st_engine_running(e);
    for (uint32_t v = 0; v < 4; ++v) {
      char name[32];
      snprintf(name, sizeof(name), "g.%u.c", v + 1);
      const StNodeSlot* c = st_graph_node(running, t[v].node);
      ck_assert_str_eq(c->name, name);
      ck_assert_float_eq(c->params[0].target, round ? 0.75f : 0.5f);
    }
    // Then macro 2 mapped to it, at 0.75: one flat map per voice.
    ck_assert_int_eq(st_engine_map(e, 1, g, ST_GROUP_PARAMS, 0.0f, 1.0f, ST_CURVE_LINEAR, NULL),
                     ST_OK);
    st_engine_macro(e, 1, 0.75f);
    play(e, NULL, 0, 2048, 256, NULL, NULL); // Past both crossfades: the new graph is live
  }
  ck_assert_uint_eq(st_engine_running(e)->n_maps, 4);
  st_engine_free(e);
}
END_TEST

/* A voice whose sound does not depend on how long it slept: a constant
   through an envelope, the pitch unused. HIT_LINKS follows its nodes. */
#define HIT_NODES                                                                              \
  "subpatch hit\n"                                                                             \
  "  inlet gate velocity\n"                                                                    \
  "  outlet out\n"                                                                             \
  "  node c const value=0.25\n"                                                                \
  "  node env adsr a=0.002 d=0.05 s=0.3 r=0.03\n"                                              \
  "  node amp vca\n"                                                                           \
  "  node v vca\n"

#define HIT_LINKS                                                                              \
  "  link gate -> env.gate\n"                                                                  \
  "  link c.out -> amp.in\n"                                                                   \
  "  link env.out -> amp.cv\n"                                                                 \
  "  link amp.out -> v.in\n"                                                                   \
  "  link velocity -> v.cv\n"                                                                  \
  "  link v.out -> out\n"                                                                      \
  "end\n"                                                                                      \
  "voices drums hit count=32\n"                                                                \
  "link drums.out -> out.left\n"                                                               \
  "link drums.out -> out.right\n"

static const char constant_voices[] = HIT_NODES HIT_LINKS;

/* The same, never sleeping: a comb no one listens to keeps each voice awake. */
static const char constant_voices_awake[] = HIT_NODES "  node keep comb\n" HIT_LINKS;

static const Note hits[] = {
  {1000, {0x90, 36, 127}}, {1001, {0x90, 38, 100}}, {4000, {0x80, 36, 0}},
  {4200, {0x80, 38, 0}},   {30017, {0x90, 42, 90}}, {33333, {0x80, 42, 0}},
  {60001, {0x90, 36, 64}}, {60002, {0x90, 40, 64}}, {60003, {0x80, 40, 0}},
  {70000, {0x80, 36, 0}},
};

/* Voices awake in `drums` after the host block that ends at frame 20000,
   between the hits. */
static void
awake_between_hits(StEngine* e, uint32_t frame, void* data)
{
  if (frame == 20000) {
    const StGraph* running = st_engine_running(e);
    const StHandle drums   = st_graph_find(st_engine_model(e), "drums");
    *(uint32_t*)data       = st_voice_awake_count(running->slots[drums.index].state);
  }
}

static void
render_counting(const char* text, const Note* notes, size_t n, float* l, uint32_t* awake)
{
  StEngine* e = engine_with(text, 1);
  play(e, notes, n, FRAMES, 250, awake_between_hits, awake);
  memcpy(l, left, FRAMES * sizeof(float));
  st_engine_free(e);
}

START_TEST(test_sleeping_voices_wake_on_their_frame_without_a_click)
{
  const size_t n           = sizeof(hits) / sizeof(hits[0]);
  uint32_t     awake_ref   = 99;
  uint32_t     awake_sleep = 99;
  render_counting(constant_voices_awake, hits, n, ref_l, &awake_ref);
  render_counting(constant_voices, hits, n, got_l, &awake_sleep);
  // Between the hits the two played voices sleep, unless a comb keeps them up.
  ck_assert_uint_eq(awake_sleep, 0);
  ck_assert_uint_eq(awake_ref, 2);
  float worst = 0.0f;
  for (uint32_t i = 0; i < FRAMES; ++i) {
    const float d = fabsf(got_l[i] - ref_l[i]);
    worst         = d > worst ? d : worst;
    if (i < 1000) { // Nothing before the first note, and it starts on its frame
      ck_assert_float_eq(got_l[i], 0.0f);
    }
  }
  ck_assert_float_gt(got_l[1000] + got_l[1001], 0.0f);
  // Asleep, a voice gives out exactly nothing; awake, its tail below the
  // quiet level: the difference never exceeds that level.
  ck_assert_msg(worst <= ST_QUIET_LEVEL, "sleeping changed the output by %g", (double)worst);
  // Up to the first voice's sleep, the very same samples.
  assert_same(got_l, ref_l, 4000, "before any voice sleeps");
}
END_TEST

typedef struct {
  uint32_t awake_voices;
  uint64_t tasks_run;
} Count;

static void
count_tasks(StEngine* e, uint32_t frame, void* data)
{
  (void)frame;
  Count*         c       = data;
  const StGraph* running = st_engine_running(e);
  for (uint32_t k = 0; k < running->arena.count; ++k) {
    const StTask* t = &running->plan.tasks[k];
    c->tasks_run += !t->asleep || !*t->asleep;
  }
  const StHandle drums = st_graph_find(st_engine_model(e), "drums");
  c->awake_voices      = st_voice_awake_count(running->slots[drums.index].state);
}

/* 32 voices: with 2 keys held the group runs the nodes of 2 voices, plus
   what every block runs (the allocator, the mix, the output). */
START_TEST(test_two_held_keys_cost_two_voices)
{
  Note all[32], two[2];
  for (uint8_t k = 0; k < 32; ++k) {
    all[k] = (Note){64, {0x90, (uint8_t)(40 + k), 100}};
  }
  two[0] = all[0];
  two[1] = all[1];
  Count     every = {0, 0}, pair = {0, 0};
  StEngine* e     = engine_with(constant_voices, 1);
  play(e, all, 32, 64 * 100, 64, count_tasks, &every);
  st_engine_free(e);
  e = engine_with(constant_voices, 1);
  play(e, two, 2, 64 * 100, 64, count_tasks, &pair);
  st_engine_free(e);
  ck_assert_uint_eq(every.awake_voices, 32);
  ck_assert_uint_eq(pair.awake_voices, 2);
  // Per block: 32 voices of 5 nodes (voice input and 4) and 3 shared nodes
  // (allocator, mix, output), the first block before the notes with none awake.
  ck_assert_uint_eq(every.tasks_run, 3 + 99 * (32 * 5 + 3));
  ck_assert_uint_eq(pair.tasks_run, 3 + 99 * (2 * 5 + 3));
}
END_TEST

/* A voice with a delay stays awake until its line has gone quiet. */
static const char echo_voices[] =
  "subpatch ping\n"
  "  inlet gate\n"
  "  outlet out\n"
  "  node c const value=0.5\n"
  "  node env adsr a=0.001 d=0.01 s=0 r=0.01\n"
  "  node amp vca\n"
  "  node d delay time=0.1 feedback=0 mix=1 max=0.1\n"
  "  link gate -> env.gate\n"
  "  link c.out -> amp.in\n"
  "  link env.out -> amp.cv\n"
  "  link amp.out -> d.in\n"
  "  link d.out -> out\n"
  "end\n"
  "voices p ping count=4\n"
  "link p.out -> out.left\n";

static void
record_awake(StEngine* e, uint32_t frame, void* data)
{
  uint32_t*      awake   = data;
  const StGraph* running = st_engine_running(e);
  const StHandle p       = st_graph_find(st_engine_model(e), "p");
  awake[frame / 64 - 1]  = st_voice_awake_count(running->slots[p.index].state);
}

START_TEST(test_a_delay_keeps_its_voice_awake)
{
  static uint32_t awake[FRAMES / 64];
  const Note      ping[] = {{0, {0x90, 60, 100}}, {64, {0x80, 60, 0}}};
  StEngine*       e      = engine_with(echo_voices, 1);
  play(e, ping, 2, RATE / 2, 64, record_awake, awake);
  // The echo comes 0.1 s (75 blocks) later: the voice is still awake then,
  // and sleeps once the line (8192 samples, 128 blocks) was written quiet.
  float echo = 0.0f;
  for (uint32_t i = 4800; i < 4800 + 2000; ++i) {
    echo = fabsf(left[i]) > echo ? fabsf(left[i]) : echo;
  }
  ck_assert_float_gt(echo, 0.1f);
  ck_assert_uint_eq(awake[100], 1);
  uint32_t slept = 0, heard = 0;
  while (slept < RATE / 2 / 64 && awake[slept] != 0) {
    ++slept;
  }
  for (uint32_t i = 0; i < RATE / 2; ++i) {
    heard = fabsf(left[i]) >= ST_QUIET_LEVEL ? i : heard;
  }
  // It does sleep, after the echo, on the first block boundary after both
  // the output and the whole line (8192 samples) went quiet.
  ck_assert_uint_lt(slept, RATE / 2 / 64);
  ck_assert_uint_gt(slept * 64, heard);
  ck_assert_uint_gt(slept * 64, 8192);
  st_engine_free(e);
}
END_TEST

static const char saw_voices[] =
  "subpatch voice\n"
  "  inlet gate pitch velocity pan\n"
  "  outlet left right\n"
  "  node osc osc wave=saw\n"
  "  node vcf svf cutoff=2000 res=0.2\n"
  "  node env adsr a=0.005 d=0.1 s=0.6 r=0.05\n"
  "  node amp vca\n"
  "  node p pan\n"
  "  link pitch -> osc.pitch\n"
  "  link gate -> env.gate\n"
  "  link osc.out -> vcf.in\n"
  "  link vcf.lp -> amp.in\n"
  "  link env.out -> amp.cv\n"
  "  link amp.out -> p.in\n"
  "  link pan -> p.pan\n"
  "  link p.left -> left\n"
  "  link p.right -> right\n"
  "end\n"
  "voices v voice count=16 unison=2 spread=0.8 detune=12\n"
  "node lfo lfo rate=3\n"
  "link v.left -> out.left\n"
  "link v.right -> out.right\n";

START_TEST(test_voices_are_bit_identical_across_threads_and_blocks)
{
  Note notes[64];
  size_t n = 0;
  for (uint32_t k = 0; k < 24; ++k) {
    notes[n++] = (Note){100 + k * 2000, {0x90, (uint8_t)(48 + (k * 7) % 24), 100}};
    if (k >= 3) {
      notes[n++] = (Note){100 + k * 2000 + 1, {0x80, (uint8_t)(48 + ((k - 3) * 7) % 24), 0}};
    }
  }
  StEngine* e = engine_with(saw_voices, 1);
  play(e, notes, n, FRAMES, 256, NULL, NULL);
  memcpy(ref_l, left, sizeof(left));
  memcpy(ref_r, right, sizeof(right));
  st_engine_free(e);
  const uint32_t threads[] = {1, 2, 4, 2};
  const uint32_t blocks[]  = {1, 17, 1000, 64};
  for (int c = 0; c < 4; ++c) {
    e = engine_with(saw_voices, threads[c]);
    play(e, notes, n, FRAMES, blocks[c], NULL, NULL);
    char what[64];
    snprintf(what, sizeof(what), "%u threads, blocks of %u", threads[c], blocks[c]);
    assert_same(left, ref_l, FRAMES, what);
    assert_same(right, ref_r, FRAMES, what);
    st_engine_free(e);
  }
}
END_TEST

/* count 16 -> 8 while a chord is held: the keys carried over, still sounding. */
START_TEST(test_voice_count_changes_while_playing)
{
  StEngine*      e     = engine_with(saw_voices, 1);
  const Note     chord[] = {{0, {0x90, 60, 100}}, {0, {0x90, 64, 100}}, {0, {0x90, 67, 100}}};
  play(e, chord, 3, 4096, 256, NULL, NULL);
  const StGraph* model = st_engine_model(e);
  const StHandle v     = st_graph_find(model, "v");
  ck_assert_int_eq(st_engine_set_param(e, v, ST_GROUP_COUNT, 8.0f), ST_OK);
  play(e, NULL, 0, 4096, 256, NULL, NULL);
  const StGraph* running = st_engine_running(e);
  // The new graph holds 8 copies, and the three keys sound in 6 of them (unison 2).
  ck_assert_uint_eq(st_voice_awake_count(running->slots[v.index].state), 6);
  float peak = 0.0f;
  for (uint32_t i = 2048; i < 4096; ++i) {
    peak = fabsf(left[i]) > peak ? fabsf(left[i]) : peak;
  }
  ck_assert_float_gt(peak, 0.05f); // Still sounding after the crossfade
  ck_assert_int_eq(st_engine_set_param(e, v, ST_GROUP_COUNT, 33.0f), ST_ERR_RANGE);
  ck_assert_str_eq(st_engine_error(e), "v.count = 33 is out of range 1..32");
  st_engine_free(e);
}
END_TEST

/* Edits of top-level nodes in a patch with a voice group are replayed on its
   running graph, as in any patch: no rebuild, no crossfade, the voices keep
   sounding, and a new node lands on the slot the model gave it. An edit that
   names the group rebuilds it. */
START_TEST(test_edits_beside_a_group_do_not_rebuild)
{
  StEngine*  e       = engine_with(saw_voices, 1);
  const Note chord[] = {{0, {0x90, 60, 100}}, {0, {0x90, 64, 100}}, {0, {0x90, 67, 100}}};
  play(e, chord, 3, 4096, 256, NULL, NULL);
  StGraph*       running = st_engine_running(e);
  const StHandle v       = st_graph_find(st_engine_model(e), "v");
  const StHandle lfo     = st_graph_find(st_engine_model(e), "lfo");
  StHandle       g1, l2;
  ck_assert_int_eq(st_engine_remove(e, lfo), ST_OK);
  ck_assert_int_eq(st_engine_add(e, st_registry_find("lfo"), "l2", NULL, &l2), ST_OK);
  ck_assert_int_eq(st_engine_add(e, st_registry_find("vca"), "g1", NULL, &g1), ST_OK);
  ck_assert_uint_eq(l2.index, lfo.index); // The freed slot, taken again
  ck_assert_int_eq(st_engine_connect(e, l2, 0, g1, 1), ST_OK);
  ck_assert_int_eq(st_engine_set_param(e, g1, 0, 0.5f), ST_OK);
  play(e, NULL, 0, 1024, 256, NULL, NULL);
  ck_assert_ptr_eq(st_engine_running(e), running);
  ck_assert_str_eq(st_graph_node(running, l2)->name, "l2");
  ck_assert_str_eq(st_graph_node(running, g1)->name, "g1");
  ck_assert_uint_eq(st_graph_node(running, g1)->src[1].node, l2.index);
  ck_assert_uint_eq(st_voice_awake_count(running->slots[v.index].state), 6);
  ck_assert_int_eq(st_engine_remove(e, g1), ST_OK);
  play(e, NULL, 0, 256, 256, NULL, NULL);
  ck_assert_ptr_eq(st_engine_running(e), running);
  ck_assert_ptr_null(st_graph_node(running, g1));
  // Tapping the group's outlet straight to the host: the group is named, so
  // the running graph is made anew (and the keys held carried into it).
  ck_assert_int_eq(st_engine_set_output(e, 0, v, 0), ST_OK);
  play(e, NULL, 0, 256, 256, NULL, NULL);
  ck_assert_ptr_ne(st_engine_running(e), running);
  ck_assert_uint_eq(st_voice_awake_count(st_engine_running(e)->slots[v.index].state), 6);
  st_engine_free(e);
}
END_TEST

/* A patch whose copies would run past ST_FLAT_MAX_NODES is refused whole. */
START_TEST(test_too_many_copies_refused)
{
  static char text[64 * 1024];
  size_t      n = 0;
  n += (size_t)snprintf(text + n, sizeof(text) - n, "subpatch y\n");
  for (int i = 0; i < 64; ++i) {
    n += (size_t)snprintf(text + n, sizeof(text) - n, "  node g%d vca\n", i);
  }
  n += (size_t)snprintf(text + n, sizeof(text) - n, "end\nsubpatch x\n");
  for (int i = 0; i < 64; ++i) {
    n += (size_t)snprintf(text + n, sizeof(text) - n, "  node c%d y\n", i);
  }
  n += (size_t)snprintf(text + n, sizeof(text) - n, "end\nvoices g x count=32\n");
  StStatus             st;
  const StEngineConfig config = {.rate = RATE};
  StEngine*            e      = st_engine_new(&config, &st);
  StGraph*             model  = st_engine_new_model(e);
  StPatchError         err;
  ck_assert_msg(st_patch_parse(text, n, NULL, model, &err) == ST_OK, "%s", err.message);
  ck_assert_int_eq(st_engine_swap(e, model), ST_ERR_FULL);
  ck_assert_str_eq(st_engine_error(e), "the patch expands to 131105 nodes with its sub-patches' "
                                       "copies and voices, over the 65536 a patch may run");
  st_graph_free(model);
  ck_assert_uint_eq(st_graph_count(st_engine_model(e)), 0); // Nothing changed
  st_engine_free(e);
}
END_TEST

int
main(void)
{
  Suite* s  = suite_create("voice_groups");
  TCase* tc = tcase_create("core");
  tcase_add_test(tc, test_instance_sounds_like_its_nodes);
  tcase_add_test(tc, test_nested_instances_sound_like_their_nodes);
  tcase_add_test(tc, test_exposed_parameter_reaches_every_copy);
  tcase_add_test(tc, test_group_parameter_reaches_every_voice);
  tcase_add_test(tc, test_sleeping_voices_wake_on_their_frame_without_a_click);
  tcase_add_test(tc, test_two_held_keys_cost_two_voices);
  tcase_add_test(tc, test_a_delay_keeps_its_voice_awake);
  tcase_add_test(tc, test_voices_are_bit_identical_across_threads_and_blocks);
  tcase_add_test(tc, test_voice_count_changes_while_playing);
  tcase_add_test(tc, test_too_many_copies_refused);
  tcase_add_test(tc, test_edits_beside_a_group_do_not_rebuild);
  tcase_set_timeout(tc, 300);
  suite_add_tcase(s, tc);
  SRunner* sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  const int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
