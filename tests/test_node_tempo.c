/* SPDX-License-Identifier: ISC */
/* Tempo and sequencing nodes: they follow the host's musical time to the
   frame. The long test renders ten minutes through the engine at 120, 97.3
   and 180 BPM, with a relocation and a tempo change in each, and checks that
   every sequencer step and every synced LFO cycle starts on the frame where
   the host's beat falls. */
#include "engine.h"
#include "node_harness.h"
#include "nodes/registry.h"
#include "patch.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000.0f
#define HOST_BLOCK 512

#define OK(e, call) ck_assert_msg((call) == ST_OK, "%s", st_engine_error(e))

static StEngine*
new_engine(void)
{
  const StEngineConfig config = {.rate = RATE, .max_nodes = 64, .pool_buffers = 256};
  StStatus             st     = ST_ERR_BAD_ARG;
  StEngine*            e      = st_engine_new(&config, &st);
  ck_assert_int_eq(st, ST_OK);
  return e;
}

/* Replaces the patch with `text` and renders past the crossfade. */
static void
load(StEngine* e, const char* text)
{
  StGraph*     model = st_engine_new_model(e);
  StPatchError error;
  ck_assert_msg(st_patch_parse(text, strlen(text), NULL, model, &error) == ST_OK, "%s",
                error.message);
  OK(e, st_engine_swap(e, model));
  float        l[ST_XFADE_FRAMES], r[ST_XFADE_FRAMES];
  float* const out[2] = {l, r};
  st_engine_begin(e);
  st_engine_process(e, NULL, out, ST_XFADE_FRAMES);
}

static StTransport
at_beat(double beat, float bpm)
{
  return (StTransport){beat, fmod(beat, 4.0), bpm, 4.0f, 4.0f, 1u, 1u};
}

/* Renders `n` frames (up to 1 << 20) into `l` and `r` in host blocks. */
static void
render(StEngine* e, float* l, float* r, size_t n)
{
  for (size_t at = 0; at < n; at += HOST_BLOCK) {
    const size_t m      = n - at < HOST_BLOCK ? n - at : HOST_BLOCK;
    float* const out[2] = {l + at, r + at};
    st_engine_begin(e);
    st_engine_process(e, NULL, out, (uint32_t)m);
  }
}

/* Frames where `x` rises through 0.5, into `at` (up to `max`); the count. */
static size_t
rises(const float* x, size_t n, size_t* at, size_t max)
{
  size_t count = 0;
  for (size_t i = 0; i < n; ++i) {
    if (x[i] > 0.5f && (i == 0 || !(x[i - 1] > 0.5f))) {
      if (count < max) {
        at[count] = i;
      }
      ++count;
    }
  }
  return count;
}

#define LONG (1u << 18)
static float L[LONG], R[LONG];

/* --- transport --- */

/* With no host position, the node runs at its own tempo: a sixteenth clock
   at 100 BPM rises every 7200 frames from frame 0; bpm and bar read it. */
START_TEST(test_transport_free_runs_at_its_tempo)
{
  StEngine* e = new_engine();
  load(e, "node t transport bpm=100 division=sixteenth\n"
          "link t.clock -> out.left\nlink t.bar -> out.right\n");
  size_t at[64];
  render(e, L, R, 72000);
  // The node has run through the 1024 frames of the crossfade: its clock is
  // high at frame 0 and rises next at 7200 - 1024.
  ck_assert_uint_eq(rises(L, 72000, at, 64), 11);
  ck_assert_uint_eq(at[0], 0);
  for (size_t k = 1; k < 11; ++k) {
    ck_assert_uint_eq(at[k], 7200 * k - 1024);
  }
  // A bar of 4 beats at 100 BPM lasts 115200 frames: the phase grows by 1/16 a clock.
  ck_assert_float_eq_tol(R[at[2]] - R[at[1]], 1.0f / 16.0f, 1e-6f);
  st_engine_free(e);
}
END_TEST

/* With a host position: its tempo, its bar phase, and silence while stopped. */
START_TEST(test_transport_follows_the_host)
{
  StEngine* e = new_engine();
  // The engine's output is within +-64: the tempo comes out over 100.
  load(e, "node t transport bpm=100 division=quarter\n"
          "node m math op=scale scale=0.01\n"
          "link t.clock -> out.left\nlink t.bpm -> m.a\nlink m.out -> out.right\n");
  StTransport t = at_beat(2.0, 150.0f);
  ck_assert(st_engine_locate(e, &t));
  size_t at[8];
  render(e, L, R, 48000);  // 150 BPM: a beat is 19200 frames
  ck_assert_uint_eq(rises(L, 48000, at, 8), 3);
  ck_assert_uint_eq(at[0], 0);
  ck_assert_uint_eq(at[1], 19200);
  ck_assert_uint_eq(at[2], 38400);
  ck_assert_float_eq_tol(R[100], 1.5f, 1e-6f);
  t.playing = 0;
  ck_assert(st_engine_locate(e, &t));
  render(e, L, R, 4800);
  for (size_t i = 0; i < 4800; ++i) {
    ck_assert_float_eq(L[i], 0.0f);
  }
  // Out-of-range positions are refused and change nothing.
  StTransport bad = at_beat(2.0, 0.0f);
  ck_assert(!st_engine_locate(e, &bad));
  bad = at_beat(NAN, 120.0f);
  ck_assert(!st_engine_locate(e, &bad));
  ck_assert_float_eq(st_engine_position(e).bpm, 150.0f);
  st_engine_free(e);
}
END_TEST

/* --- delay and lfo synced --- */

/* An impulse through a synced, dry-less delay at 120 BPM comes out one
   division later: dotted eighth 18000 frames, eighth triplet 8000. */
START_TEST(test_delay_synced_time)
{
  static const struct {
    const char* division;
    size_t      frames;
  } cases[]   = {{"dotted_eighth", 18000}, {"eighth_triplet", 8000}, {"quarter", 24000}};
  StEngine* e = new_engine();
  for (size_t c = 0; c < 3; ++c) {
    char text[256];
    snprintf(text, sizeof(text),
             "node d delay sync=on division=%s mix=1 feedback=0 max=2\n"
             "link in.left -> d.in\nlink d.out -> out.left\n",
             cases[c].division);
    load(e, text);
    render(e, L, R, 48000);  // Flush the line
    float* in                 = calloc(48000, sizeof(float));
    in[10]                    = 1.0f;
    const float* const ins[2] = {in, NULL};
    for (size_t at = 0; at < 48000; at += HOST_BLOCK) {
      const size_t       m      = 48000 - at < HOST_BLOCK ? 48000 - at : HOST_BLOCK;
      const float* const sub[2] = {ins[0] + at, NULL};
      float* const       out[2] = {L + at, R + at};
      st_engine_begin(e);
      st_engine_process(e, sub, out, (uint32_t)m);
    }
    ck_assert_msg(fabsf(L[10 + cases[c].frames] - 1.0f) < 1e-5f, "%s: %g at %zu",
                  cases[c].division, (double)L[10 + cases[c].frames], 10 + cases[c].frames);
    free(in);
  }
  st_engine_free(e);
}
END_TEST

/* --- seq --- */

/* At 120 BPM a sixteenth is 6000 frames. Three steps with their own pitch,
   gate length and velocity; step 2 tied to step 1; swing 1/3 makes the odd
   steps start 2000 frames late. */
START_TEST(test_seq_steps)
{
  StEngine* e = new_engine();
  load(e, "node s seq steps=3 pitch1=12 pitch2=7 pitch3=-5 gate1=0.5 gate3=0.25 "
          "vel1=1 vel3=0.5 tie2=on swing=0.3333333\n"
          "node m math op=scale scale=1\n"
          "link s.gate -> out.left\nlink s.pitch -> out.right\n");
  StTransport t = at_beat(0.0, 120.0f);
  ck_assert(st_engine_locate(e, &t));
  render(e, L, R, 48000);
  // Step 1 (0..8000, swung long): gate held into the tied step 2 (8000..12000),
  // which keeps step 1's pitch; step 3 (12000..20000) gate for a quarter.
  ck_assert_float_eq(R[0], 1.0f);
  ck_assert_float_eq(L[0], 1.0f);
  ck_assert_float_eq(L[7999], 1.0f);
  ck_assert_float_eq(L[8000], 1.0f);
  ck_assert_float_eq(R[9000], 1.0f);
  ck_assert_float_eq(L[9999], 1.0f);  // step 2 plays on to its own gate, a half
  ck_assert_float_eq(L[10000], 0.0f);
  ck_assert_float_eq_tol(R[12000], -5.0f / 12.0f, 1e-6f);
  ck_assert_float_eq(L[11999], 0.0f);
  ck_assert_float_eq(L[12000], 1.0f);
  ck_assert_float_eq(L[13999], 1.0f);  // a quarter of 8000
  ck_assert_float_eq(L[14000], 0.0f);
  // The sequence wraps after three steps: step 1 again on the fourth, swung.
  ck_assert_float_eq(L[19999], 0.0f);
  ck_assert_float_eq(L[20000], 1.0f);
  ck_assert_float_eq(R[20000], 1.0f);
  st_engine_free(e);
}
END_TEST

/* Probability draws the same for the same song position: two passes over
   the same bars play the same steps, about half of them at 0.5. */
START_TEST(test_seq_probability_repeats)
{
  StEngine* e = new_engine();
  char      text[2048];
  int       n = snprintf(text, sizeof(text), "node s seq steps=16 seed=7");
  for (int k = 1; k <= 16; ++k) {
    n += snprintf(text + n, sizeof(text) - (size_t)n, " prob%d=0.5", k);
  }
  snprintf(text + n, sizeof(text) - (size_t)n, "\nlink s.trig -> out.left\n");
  load(e, text);
  size_t      first[128], again[128];
  StTransport t = at_beat(0.0, 120.0f);
  ck_assert(st_engine_locate(e, &t));
  render(e, L, R, LONG);
  const size_t a = rises(L, LONG, first, 128);
  ck_assert(st_engine_locate(e, &t));  // Back to the start: the same steps play.
  render(e, L, R, LONG);
  const size_t b = rises(L, LONG, again, 128);
  ck_assert_uint_eq(a, b);
  ck_assert_mem_eq(first, again, (a < 128 ? a : 128) * sizeof(size_t));
  ck_assert_uint_gt(a, 43 * 4 / 10);  // 43 steps in LONG frames
  ck_assert_uint_lt(a, 43 * 6 / 10);
  st_engine_free(e);
}
END_TEST

/* One node holds all 64 steps: at 120 BPM a thirty-second is 3000 frames.
   Step 64 plays its own pitch, and step 1 tied to it holds that note on
   across the wrap. */
START_TEST(test_seq_64_steps)
{
  StEngine* e = new_engine();
  load(e, "node s seq steps=64 division=thirty_second pitch1=1 pitch17=2 pitch33=3 "
          "pitch64=4 tie1=on\n"
          "link s.gate -> out.left\nlink s.pitch -> out.right\n");
  StTransport t = at_beat(0.0, 120.0f);
  ck_assert(st_engine_locate(e, &t));
  render(e, L, R, 3000 * 66);
  ck_assert_float_eq_tol(R[10], 1.0f / 12.0f, 1e-7f);
  ck_assert_float_eq(R[3000 * 1 + 10], 0.0f);
  ck_assert_float_eq_tol(R[3000 * 16 + 10], 2.0f / 12.0f, 1e-7f);
  ck_assert_float_eq_tol(R[3000 * 32 + 10], 3.0f / 12.0f, 1e-7f);
  ck_assert_float_eq(L[3000 * 63 - 1], 0.0f);  // step 63: gate a half
  ck_assert_float_eq_tol(R[3000 * 63 + 10], 4.0f / 12.0f, 1e-7f);
  ck_assert_float_eq(L[3000 * 64 - 1], 1.0f);  // held into the tied step 1
  ck_assert_float_eq_tol(R[3000 * 64 + 10], 4.0f / 12.0f, 1e-7f);
  ck_assert_float_eq(L[3000 * 64 + 1499], 1.0f);  // the tied step's own half
  ck_assert_float_eq(L[3000 * 64 + 1500], 0.0f);
  ck_assert_float_eq(R[3000 * 65 + 10], 0.0f);  // step 2
  st_engine_free(e);
}
END_TEST

/* On a clock input each rising edge starts the next step. */
START_TEST(test_seq_clock_input)
{
  const StNodeType* t   = st_registry_find("seq");
  NodeRig*          rig = rig_new(t, RATE, NULL);
  rig_snap(rig, "steps", 2);
  rig_snap(rig, "pitch2", 12);
  float* clock = rig_buffer(4000);
  for (size_t i = 0; i < 4000; ++i) {
    clock[i] = (i % 1000) < 500 ? 1.0f : 0.0f;
  }
  float *            gate = rig_buffer(4000), *pitch = rig_buffer(4000);
  const float* const in[2]  = {clock, NULL};
  float* const       out[5] = {gate, pitch, NULL, NULL, NULL};
  rig_run(rig, in, out, 4000, NULL, NULL);
  ck_assert_float_eq(pitch[10], 0.0f);
  ck_assert_float_eq(pitch[1010], 1.0f);
  ck_assert_float_eq(pitch[2010], 0.0f);
  ck_assert_float_eq(gate[0], 1.0f);     // the first edge at frame 0
  ck_assert_float_eq(gate[1499], 1.0f);  // half of the 1000-frame period
  ck_assert_float_eq(gate[1500], 0.0f);
  free(clock);
  free(gate);
  free(pitch);
  rig_free(rig);
}
END_TEST

/* --- arp --- */

static void
note(NodeRig* rig, uint8_t status, uint8_t key)
{
  const uint8_t msg[3] = {status, key, 100};
  rig_event(rig, msg, 3);
}

/* The notes of a clocked arp at each of `n` steps of 1000 frames. */
static void
arp_notes(NodeRig* rig, int* notes, size_t n)
{
  float* clock = rig_buffer(1000);
  float* pitch = rig_buffer(1000);
  for (size_t i = 0; i < 500; ++i) {
    clock[i] = 1.0f;
  }
  const float* const in[1]  = {clock};
  float* const       out[3] = {NULL, pitch, NULL};
  for (size_t k = 0; k < n; ++k) {
    rig_run(rig, in, out, 1000, NULL, NULL);
    notes[k] = (int)lrintf(pitch[10] * 12.0f) + 69;
  }
  free(clock);
  free(pitch);
}

START_TEST(test_arp_modes)
{
  static const struct {
    const char* mode;
    float       octaves;
    int         want[8];
  } cases[] = {
    {"up", 1, {60, 64, 67, 60, 64, 67, 60, 64}},
    {"down", 1, {67, 64, 60, 67, 64, 60, 67, 64}},
    {"up_down", 1, {60, 64, 67, 64, 60, 64, 67, 64}},
    {"played", 1, {64, 60, 67, 64, 60, 67, 64, 60}},
    {"up", 2, {60, 64, 67, 72, 76, 79, 60, 64}},
  };
  const StNodeType* t = st_registry_find("arp");
  for (size_t c = 0; c < 5; ++c) {
    NodeRig*  rig = rig_new(t, RATE, NULL);
    const int m   = st_node_param_index(t, "mode");
    for (int k = 0; t->params[m].choices[k]; ++k) {
      if (!strcmp(t->params[m].choices[k], cases[c].mode)) {
        rig_snap(rig, "mode", (float)k);
      }
    }
    rig_snap(rig, "octaves", cases[c].octaves);
    note(rig, 0x90, 64);
    note(rig, 0x90, 60);
    note(rig, 0x90, 67);
    int got[8];
    arp_notes(rig, got, 8);
    ck_assert_msg(!memcmp(got, cases[c].want, sizeof(got)), "%s x%g: %d %d %d %d %d %d %d %d",
                  cases[c].mode, (double)cases[c].octaves, got[0], got[1], got[2], got[3],
                  got[4], got[5], got[6], got[7]);
    rig_free(rig);
  }
}
END_TEST

/* Latched notes play on after release, until a new chord replaces them. */
START_TEST(test_arp_latch)
{
  NodeRig* rig = rig_new(st_registry_find("arp"), RATE, NULL);
  rig_snap(rig, "latch", 1);
  rig_run(rig, NULL, NULL, 1, NULL, NULL);  // The node reads latch as it runs.
  note(rig, 0x90, 60);
  note(rig, 0x90, 64);
  note(rig, 0x80, 60);
  note(rig, 0x80, 64);
  int got[4];
  arp_notes(rig, got, 4);
  ck_assert_int_eq(got[0], 60);
  ck_assert_int_eq(got[1], 64);
  note(rig, 0x90, 50);
  arp_notes(rig, got, 2);
  ck_assert_int_eq(got[0], 50);
  ck_assert_int_eq(got[1], 50);
  rig_free(rig);
}
END_TEST

/* Synced, an arp steps on the host's sixteenths: 6000 frames at 120 BPM. */
START_TEST(test_arp_follows_the_tempo)
{
  StEngine* e = new_engine();
  load(e, "node a arp division=sixteenth\nlink a.gate -> out.left\n");
  const uint8_t on[3] = {0x90, 60, 100};
  st_engine_event(e, on, 3);
  StTransport t = at_beat(0.0, 120.0f);
  ck_assert(st_engine_locate(e, &t));
  size_t at[16];
  render(e, L, R, 48000);
  ck_assert_uint_eq(rises(L, 48000, at, 16), 8);
  for (size_t k = 0; k < 8; ++k) {
    ck_assert_uint_eq(at[k], 6000 * k);
  }
  t = at_beat(0.0, 60.0f);  // Half the tempo: half the notes.
  ck_assert(st_engine_locate(e, &t));
  render(e, L, R, 48000);
  ck_assert_uint_eq(rises(L, 48000, at, 16), 4);
  st_engine_free(e);
}
END_TEST

/* --- clockdiv, gatedelay, quantize, cc --- */

START_TEST(test_clockdiv_passes_every_nth)
{
  NodeRig* rig = rig_new(st_registry_find("clockdiv"), RATE, NULL);
  rig_snap(rig, "divide", 3);
  rig_snap(rig, "offset", 1);
  float *clock = rig_buffer(1000), *out = rig_buffer(1000);
  for (size_t i = 0; i < 1000; ++i) {
    clock[i] = (i % 100) < 40 ? 1.0f : 0.0f;
  }
  rig_run1(rig, clock, out, 0, 1000);
  size_t at[16];
  ck_assert_uint_eq(rises(out, 1000, at, 16), 3);
  ck_assert_uint_eq(at[0], 100);
  ck_assert_uint_eq(at[1], 400);
  ck_assert_uint_eq(at[2], 700);
  ck_assert_float_eq(out[139], 1.0f);  // as long as the input pulse
  ck_assert_float_eq(out[140], 0.0f);
  free(clock);
  free(out);
  rig_free(rig);
}
END_TEST

START_TEST(test_gatedelay_repeats_the_gate_later)
{
  NodeRig* rig = rig_new(st_registry_find("gatedelay"), RATE, NULL);
  rig_snap(rig, "time", 0.01f);  // 480 frames
  float *in = rig_buffer(2000), *out = rig_buffer(2000);
  for (size_t i = 100; i < 130; ++i) {
    in[i] = 1.0f;
  }
  for (size_t i = 300; i < 900; ++i) {
    in[i] = 0.7f;
  }
  rig_run1(rig, in, out, 0, 2000);
  for (size_t i = 0; i < 2000; ++i) {
    const bool want = (i >= 580 && i < 610) || (i >= 780 && i < 1380);
    ck_assert_msg(out[i] == (want ? 1.0f : 0.0f), "frame %zu: %g", i, (double)out[i]);
  }
  free(in);
  free(out);
  rig_free(rig);
}
END_TEST

START_TEST(test_quantize_to_scales)
{
  const StNodeType* t   = st_registry_find("quantize");
  NodeRig*          rig = rig_new(t, RATE, NULL);  // C major
  // Semitones from A4: A#(1) is out of C major, its neighbours A(0) and B(2)
  // are equally near: down. C#(4) goes down to C(3); 5.4 (between D and D#) to D.
  static const float in_st[] = {1.0f, 4.0f, 5.4f, -12.6f, 0.2f};
  static const float want[]  = {0.0f, 3.0f, 5.0f, -12.0f, 0.0f};
  float              in[5], out[5];
  for (size_t i = 0; i < 5; ++i) {
    in[i] = in_st[i] / 12.0f;
  }
  rig_run1(rig, in, out, 0, 5);
  for (size_t i = 0; i < 5; ++i) {
    ck_assert_float_eq_tol(out[i] * 12.0f, want[i], 1e-5f);
  }
  rig_free(rig);
  // A user set of only E and B: A goes to B (2 up), C to B (1 down).
  rig = rig_new(t, RATE, NULL);
  rig_snap(rig, "scale", 11);
  rig_snap(rig, "e", 1);
  rig_snap(rig, "b", 1);
  in[0] = 0.0f;
  in[1] = 3.0f / 12.0f;
  rig_run1(rig, in, out, 0, 2);
  ck_assert_float_eq_tol(out[0] * 12.0f, 2.0f, 1e-5f);
  ck_assert_float_eq_tol(out[1] * 12.0f, 2.0f, 1e-5f);
  rig_free(rig);
  // D minor: root D; B flat (A#, 1) is in it, B (2) is not: it goes down.
  rig = rig_new(t, RATE, NULL);
  rig_snap(rig, "scale", 2);
  rig_snap(rig, "root", 2);
  in[0] = 1.0f / 12.0f;
  in[1] = 2.0f / 12.0f;
  rig_run1(rig, in, out, 0, 2);
  ck_assert_float_eq_tol(out[0] * 12.0f, 1.0f, 1e-5f);
  ck_assert_float_eq_tol(out[1] * 12.0f, 1.0f, 1e-5f);
  rig_free(rig);
}
END_TEST

START_TEST(test_cc_seven_and_fourteen_bits)
{
  const StNodeType* t   = st_registry_find("cc");
  NodeRig*          rig = rig_new(t, RATE, NULL);
  rig_snap(rig, "cc", 7);
  rig_snap(rig, "smooth", 0);
  const uint8_t vol[3] = {0xB0, 7, 127}, other[3] = {0xB0, 8, 0};
  rig_event(rig, vol, 3);
  rig_event(rig, other, 3);
  float out[64];
  rig_run1(rig, NULL, out, 0, 64);
  ck_assert_float_eq(out[0], 1.0f);
  rig_free(rig);
  // 14 bits: MSB 64, LSB 1 is 8193 / 16383; a new MSB clears the LSB.
  rig = rig_new(t, RATE, NULL);
  rig_snap(rig, "cc", 1);
  rig_snap(rig, "bits", 1);
  rig_snap(rig, "smooth", 0);
  const uint8_t msb[3] = {0xB0, 1, 64}, lsb[3] = {0xB0, 33, 1};
  rig_event(rig, msb, 3);
  rig_event(rig, lsb, 3);
  rig_run1(rig, NULL, out, 0, 64);
  ck_assert_float_eq_tol(out[63], 8193.0f / 16383.0f, 1e-7f);
  rig_event(rig, msb, 3);
  rig_run1(rig, NULL, out, 0, 64);
  ck_assert_float_eq_tol(out[63], 8192.0f / 16383.0f, 1e-7f);
  rig_free(rig);
  // Smoothed: a jump from 0 to 1 reaches 63 % in the time constant (480 frames).
  rig = rig_new(t, RATE, NULL);
  rig_snap(rig, "smooth", 0.01f);
  const uint8_t mod[3] = {0xB0, 1, 127};
  rig_event(rig, mod, 3);
  float* slow = rig_buffer(960);
  rig_run1(rig, NULL, slow, 0, 960);
  ck_assert_float_eq_tol(slow[479], 1.0f - expf(-1.0f), 1e-3f);
  for (size_t i = 1; i < 960; ++i) {
    ck_assert(slow[i] > slow[i - 1]);
  }
  free(slow);
  rig_free(rig);
}
END_TEST

/* --- Unsynced: unchanged --- */

/* With sync off (the default) lfo and delay do not look at the transport:
   the same output whatever the host's tempo and position. */
START_TEST(test_unsynced_ignore_the_transport)
{
  static const char* const types[] = {"lfo", "delay"};
  for (size_t k = 0; k < 2; ++k) {
    const StNodeType* t = st_registry_find(types[k]);
    NodeRig*          a = rig_new(t, RATE, NULL);
    NodeRig*          b = rig_new(t, RATE, NULL);
    b->host.transport   = at_beat(13.37, 97.3f);
    float* in           = rig_buffer(4800);
    float *x = rig_buffer(4800), *y = rig_buffer(4800);
    for (size_t i = 0; i < 4800; ++i) {
      in[i] = (float)((i * 7919) % 1000) / 500.0f - 1.0f;
    }
    rig_run1(a, in, x, 0, 4800);
    rig_run1(b, in, y, 0, 4800);
    ck_assert_mem_eq(x, y, 4800 * sizeof(float));
    free(in);
    free(x);
    free(y);
    rig_free(a);
    rig_free(b);
  }
}
END_TEST

/* --- Ten minutes on the host's beat --- */

/* The host's timeline: a tempo from an anchor frame and beat; the beat of a
   frame is what a host computes for its position. */
typedef struct {
  uint64_t frame;  ///< Anchor frame
  double   beat;   ///< Beat at the anchor
  double   bpm;    ///< Tempo from there on
} Segment;

static double
beat_of(const Segment* s, uint64_t frame)
{
  return s->beat + (double)(frame - s->frame) * s->bpm / 60.0 / RATE;
}

/* First frame >= `from` at or past beat `b` in segment `s`. */
static uint64_t
frame_of(const Segment* s, double b, uint64_t from)
{
  const double   exact = (double)s->frame + (b - s->beat) * 60.0 / s->bpm * RATE;
  const uint64_t f     = (uint64_t)ceil(exact - 1e-6);
  return f > from ? f : from;
}

typedef struct {
  uint64_t* frames;  ///< Onset frames found
  size_t    count;
  size_t    cap;
} Onsets;

static void
push(Onsets* o, uint64_t frame)
{
  if (o->count == o->cap) {
    o->cap    = o->cap ? o->cap * 2 : 4096;
    o->frames = realloc(o->frames, o->cap * sizeof(*o->frames));
    ck_assert_ptr_nonnull(o->frames);
  }
  o->frames[o->count++] = frame;
}

/* Onsets each `unit` beats expected in one segment between two frames. */
static void
expect(Onsets* o, const Segment* s, uint64_t end, double unit)
{
  double b = ceil(beat_of(s, s->frame) / unit - 1e-9) * unit;
  for (uint64_t f = frame_of(s, b, s->frame); f < end; f = frame_of(s, b, s->frame)) {
    push(o, f);
    b += unit;
  }
}

/* Largest distance in frames between matched onsets; counts must agree. */
static uint64_t
worst(const Onsets* want, const Onsets* got, const char* what, double bpm)
{
  ck_assert_msg(want->count == got->count, "%s at %g BPM: %zu onsets, expected %zu", what, bpm,
                got->count, want->count);
  uint64_t err = 0;
  for (size_t i = 0; i < want->count; ++i) {
    const uint64_t a = want->frames[i], b = got->frames[i];
    const uint64_t d = a > b ? a - b : b - a;
    ck_assert_msg(d <= 1, "%s at %g BPM: onset %zu at frame %llu, the beat at %llu", what, bpm,
                  i, (unsigned long long)b, (unsigned long long)a);
    err = d > err ? d : err;
  }
  return err;
}

/* Ten minutes: `bpm` from beat 0; at 4 min a relocation to a beat between
   steps; at 7 min a change to `then` BPM; both on frames inside a host block. */
static void
ten_minutes(double bpm, double then)
{
  StEngine* e = new_engine();
  // seq.trig on the left: a note on every 1/16 step; a synced saw on the
  // right: it falls from +1 to -1 at every quarter note.
  load(e, "node seq seq division=sixteenth\n"
          "node lfo lfo sync=on division=quarter wave=saw\n"
          "link seq.trig -> out.left\n"
          "link lfo.out -> out.right\n");
  const uint64_t total    = (uint64_t)(600.0 * RATE);
  const uint64_t relocate = (uint64_t)(240.0 * RATE) + 123;
  const uint64_t change   = (uint64_t)(420.0 * RATE) + 321;
  // The host counts in the tempo it sends: time:Position carries a float.
  const double sent = (float)bpm, sent_then = (float)then;
  Segment      seg[3]    = {{0, 0.0, sent}, {relocate, 0.0, sent}, {change, 0.0, sent_then}};
  seg[1].beat            = 1000.0 + 1.0 / 7.0;  // between steps: the next one is on the grid
  seg[2].beat            = beat_of(&seg[1], change);
  const uint64_t ends[3] = {relocate, change, total};

  Onsets want_steps = {0}, want_beats = {0}, got_steps = {0}, got_beats = {0};
  for (int k = 0; k < 3; ++k) {
    expect(&want_steps, &seg[k], ends[k], 0.25);
    expect(&want_beats, &seg[k], ends[k], 1.0);
  }
  float    l[HOST_BLOCK], r[HOST_BLOCK];
  float    last_r = 1.0f;
  uint64_t frame  = 0;
  int      next   = 0;
  while (frame < total) {
    // The host splits its block at the frame of a position change.
    uint64_t n = total - frame < HOST_BLOCK ? total - frame : HOST_BLOCK;
    if (next < 3 && frame == seg[next].frame) {
      const StTransport t = at_beat(seg[next].beat, (float)seg[next].bpm);
      ck_assert(st_engine_locate(e, &t));
      ++next;
    }
    if (next < 3 && seg[next].frame < frame + n) {
      n = seg[next].frame - frame;
    }
    float* const out[2] = {l, r};
    st_engine_begin(e);
    st_engine_process(e, NULL, out, (uint32_t)n);
    for (uint32_t i = 0; i < n; ++i) {
      if (l[i] > 0.5f) {
        push(&got_steps, frame + i);
      }
      if (r[i] < last_r) {  // a saw only falls where a cycle starts
        push(&got_beats, frame + i);
      }
      last_r = r[i];
    }
    frame += n;
  }
  // The relocation lands off the grid: a saw that falls there is no beat.
  for (size_t i = 0; i < got_beats.count; ++i) {
    if (got_beats.frames[i] == relocate) {
      memmove(got_beats.frames + i, got_beats.frames + i + 1,
              (got_beats.count - i - 1) * sizeof(uint64_t));
      --got_beats.count;
      break;
    }
  }
  const uint64_t e_steps = worst(&want_steps, &got_steps, "seq step", bpm);
  const uint64_t e_beats = worst(&want_beats, &got_beats, "lfo cycle", bpm);
  printf("%g then %g BPM, 10 min: %zu steps, worst %llu frames; %zu lfo cycles, worst %llu "
         "frames\n",
         bpm, then, got_steps.count, (unsigned long long)e_steps, got_beats.count,
         (unsigned long long)e_beats);
  free(want_steps.frames);
  free(want_beats.frames);
  free(got_steps.frames);
  free(got_beats.frames);
  st_engine_free(e);
}

START_TEST(test_ten_minutes_on_the_beat)
{
  static const double tempi[3][2] = {{120.0, 97.3}, {97.3, 180.0}, {180.0, 120.0}};
  ten_minutes(tempi[_i][0], tempi[_i][1]);
}
END_TEST

int
main(void)
{
  Suite* s    = suite_create("node_tempo");
  TCase* sync = tcase_create("sync");
  tcase_set_timeout(sync, 120);
  tcase_add_loop_test(sync, test_ten_minutes_on_the_beat, 0, 3);
  suite_add_tcase(s, sync);
  TCase* nodes = tcase_create("nodes");
  tcase_add_test(nodes, test_transport_free_runs_at_its_tempo);
  tcase_add_test(nodes, test_transport_follows_the_host);
  tcase_add_test(nodes, test_delay_synced_time);
  tcase_add_test(nodes, test_seq_steps);
  tcase_add_test(nodes, test_seq_probability_repeats);
  tcase_add_test(nodes, test_seq_64_steps);
  tcase_add_test(nodes, test_seq_clock_input);
  tcase_add_test(nodes, test_arp_modes);
  tcase_add_test(nodes, test_arp_latch);
  tcase_add_test(nodes, test_arp_follows_the_tempo);
  tcase_add_test(nodes, test_clockdiv_passes_every_nth);
  tcase_add_test(nodes, test_gatedelay_repeats_the_gate_later);
  tcase_add_test(nodes, test_quantize_to_scales);
  tcase_add_test(nodes, test_cc_seven_and_fourteen_bits);
  tcase_add_test(nodes, test_unsynced_ignore_the_transport);
  suite_add_tcase(s, nodes);
  SRunner* sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  const int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
