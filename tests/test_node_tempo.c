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
  StGraph* model = st_engine_new_model(e);
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
  render(e, L, R, 48000); // 150 BPM: a beat is 19200 frames
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
  } cases[] = {{"dotted_eighth", 18000}, {"eighth_triplet", 8000}, {"quarter", 24000}};
  StEngine* e = new_engine();
  for (size_t c = 0; c < 3; ++c) {
    char text[256];
    snprintf(text, sizeof(text),
             "node d delay sync=on division=%s mix=1 feedback=0 max=2\n"
             "link in.left -> d.in\nlink d.out -> out.left\n",
             cases[c].division);
    load(e, text);
    render(e, L, R, 48000); // Flush the line
    float* in = calloc(48000, sizeof(float));
    in[10]    = 1.0f;
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
  const double   sent     = (float)bpm, sent_then = (float)then;
  Segment        seg[3]   = {{0, 0.0, sent}, {relocate, 0.0, sent}, {change, 0.0, sent_then}};
  seg[1].beat             = 1000.0 + 1.0 / 7.0; // between steps: the next one is on the grid
  seg[2].beat             = beat_of(&seg[1], change);
  const uint64_t ends[3]  = {relocate, change, total};

  Onsets want_steps = {0}, want_beats = {0}, got_steps = {0}, got_beats = {0};
  for (int k = 0; k < 3; ++k) {
    expect(&want_steps, &seg[k], ends[k], 0.25);
    expect(&want_beats, &seg[k], ends[k], 1.0);
  }
  float        l[HOST_BLOCK], r[HOST_BLOCK];
  float        last_r = 1.0f;
  uint64_t     frame  = 0;
  int          next   = 0;
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
      if (r[i] < last_r) { // a saw only falls where a cycle starts
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
  suite_add_tcase(s, nodes);
  SRunner* sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  const int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
