/* SPDX-License-Identifier: ISC */
/* Step sequencer. A node holds up to 64 steps as parameters (pitch, gate
   length, velocity, probability, tie each), so macros and the editor reach
   every one. Driven by the song position (each step a note division from
   beat 0, so it follows tempo changes and relocations at once) or by rising
   edges on its clock input. */
#include "division.h"
#include "dsp.h"
#include "types.h"

#define MAX_STEPS 64  // steps one node holds

enum { P_STEPS, P_DIVISION, P_SWING, P_SEED, P_LANES };
enum { L_PITCH, L_GATE, L_VEL, L_PROB, L_TIE, N_LANES };
enum { I_CLOCK, I_RESET };
enum { O_GATE, O_PITCH, O_VELOCITY, O_TRIG, O_STEP, N_OUTPUTS };

typedef struct {
  int64_t step;      ///< Steps from the start of the song (or clock) of the current step
  bool    started;   ///< A step has begun since creation
  bool    sounding;  ///< The current step's note plays (or a tie carries it on)
  float   pitch;     ///< Octaves of the sounding note
  float   velocity;  ///< Its velocity
  // Clock input mode
  float    clock;    ///< Previous sample of the clock input
  float    reset;    ///< Previous sample of the reset input
  int64_t  edges;    ///< Clock edges since the last reset, -1 before the first
  uint64_t since;    ///< Frames since the last clock edge
  uint64_t period;   ///< Frames between the last two clock edges
  uint64_t due;      ///< Frames after the edge at which a swung step starts
  bool     pending;  ///< A swung step waits for `due`
} Seq;

static float
lane(const StProcess* p, int which, uint32_t slot)
{
  return p->params[P_LANES + which * MAX_STEPS + slot].value;
}

/* A fixed random number 0..1 for step occurrence `k`: the same on every pass
   through the same song position, so a relocation replays the same notes. */
static float
chance(int64_t k, uint32_t seed)
{
  uint64_t h = (uint64_t)k * 0x9E3779B97F4A7C15ull ^ (uint64_t)seed * 0xBF58476D1CE4E5B9ull;
  h ^= h >> 31;
  h *= 0x94D049BB133111EBull;
  h ^= h >> 29;
  return (float)(h >> 40) / 16777216.0f;
}

/* The step of the sequence that step occurrence `k` plays, 0..steps-1. */
static uint32_t
slot_of(const StProcess* p, int64_t k)
{
  const int64_t n = (int64_t)st_clampf(p->params[P_STEPS].value + 0.5f, 1, MAX_STEPS);
  const int64_t j = k % n;
  return (uint32_t)(j < 0 ? j + n : j);
}

/* Step `k` begins: a tie carries the sounding note on, otherwise the step
   plays with its probability. True when a new note starts. */
static bool
begin(Seq* s, const StProcess* p, int64_t k)
{
  const uint32_t slot = slot_of(p, k);
  s->step             = k;
  s->started          = true;
  if (lane(p, L_TIE, slot) >= 0.5f && s->sounding) {
    return false;
  }
  const uint32_t seed = (uint32_t)p->params[P_SEED].value;
  s->sounding         = chance(k, seed) < lane(p, L_PROB, slot);
  if (s->sounding) {
    s->pitch    = lane(p, L_PITCH, slot) / 12.0f;
    s->velocity = lane(p, L_VEL, slot);
  }
  return s->sounding;
}

/* The gate at `phase` (0..1) of the current step: open for its gate length,
   and to its end when the next step ties on. */
static bool
gate_at(const Seq* s, const StProcess* p, double phase)
{
  if (!s->sounding) {
    return false;
  }
  if (lane(p, L_TIE, slot_of(p, s->step + 1)) >= 0.5f) {
    return true;
  }
  const float length = lane(p, L_GATE, slot_of(p, s->step));
  return phase < length || length >= 1.0f;
}

static void
emit(const Seq* s, const StProcess* p, uint32_t i, bool trig, double phase)
{
  const bool gate       = s->started && gate_at(s, p, phase);
  p->out[O_GATE][i]     = gate ? 1.0f : 0.0f;
  p->out[O_PITCH][i]    = s->sounding ? s->pitch : 0.0f;
  p->out[O_VELOCITY][i] = s->sounding ? s->velocity : 0.0f;
  p->out[O_TRIG][i]     = trig ? 1.0f : 0.0f;
  p->out[O_STEP][i]     = s->started ? (float)slot_of(p, s->step) : 0.0f;
}

/* Step and phase of song position `u` (in steps): with swing s, even steps
   last 1 + s and odd steps 1 - s, *length. */
static int64_t
swung(double u, double swing, double* phase, double* length)
{
  const double pair = floor(u / 2.0);
  const double r    = u - 2.0 * pair;
  const double odd  = 1.0 + swing;
  if (r < odd) {
    *length = odd;
    *phase  = r / odd;
    return (int64_t)pair * 2;
  }
  *length = 1.0 - swing;
  *phase  = (r - odd) / *length;
  return (int64_t)pair * 2 + 1;
}

/* A step begins on the frame where the song position reaches it, however it
   got there (rolling on, a tempo change, a relocation onto it); a relocation
   into the middle of a step stays silent until the next one. */
static void
from_transport(Seq* s, const StProcess* p)
{
  const StTransport* t = &p->host->transport;
  const double       div =
    st_division_beats((uint32_t)st_choice(&p->params[P_DIVISION], ST_DIV_COUNT), t->beat_unit);
  const double step  = st_transport_step(t, p->rate) / div;
  const double swing = st_clampf(p->params[P_SWING].value, 0.0f, 0.5f);
  for (uint32_t i = 0; i < p->frames; ++i) {
    double phase = 0.0, length = 1.0;
    // A frame on the step counts as on it, not a rounding error before it.
    const int64_t k    = swung(t->beat / div + i * step + 1e-9, swing, &phase, &length);
    bool          trig = false;
    if (phase * length < step) {
      trig = begin(s, p, k);
    } else if (k != s->step) {
      s->step     = k;
      s->sounding = false;
    }
    emit(s, p, i, trig, phase);
    if (!t->playing) {
      p->out[O_GATE][i] = 0.0f;
    }
  }
}

static void
clock_edge(Seq* s, const StProcess* p)
{
  s->period = s->since;
  s->since  = 0;
  ++s->edges;
  const double swing = st_clampf(p->params[P_SWING].value, 0.0f, 0.5f);
  s->due             = (s->edges & 1) ? (uint64_t)(swing * (double)s->period) : 0;
  s->pending         = true;
}

static void
from_clock(Seq* s, const StProcess* p)
{
  for (uint32_t i = 0; i < p->frames; ++i) {
    const float clock = p->in[I_CLOCK][i];
    const float reset = p->in[I_RESET][i];
    if (st_rising(s->reset, reset)) {
      s->edges   = -1;
      s->pending = false;
    }
    if (st_rising(s->clock, clock)) {
      clock_edge(s, p);
    }
    s->clock  = clock;
    s->reset  = reset;
    bool trig = false;
    if (s->pending && s->since >= s->due) {
      s->pending = false;
      trig       = begin(s, p, s->edges);
    }
    const double length = s->period ? (double)s->period : 1.0;
    const double phase  = (double)(s->since - (s->pending ? 0 : s->due)) / length;
    emit(s, p, i, trig, phase);
    ++s->since;
  }
}

static size_t
seq_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Seq);
}

static void
seq_init(void* state, const float* params, float rate)
{
  Seq* s = state;
  (void)params;
  (void)rate;
  s->edges = -1;
}

static void
seq_process(void* state, const StProcess* p)
{
  if (p->linked & (1u << I_CLOCK)) {
    from_clock(state, p);
  } else {
    from_transport(state, p);
  }
}

static const StPortSpec inputs[] = {
  {"clock", "Linked: each rising edge starts the next step (else the song position does)"},
  {"reset", "A rising edge makes the next clock edge start step 1"},
};

static const StPortSpec outputs[] = {
  {"gate", "1 while a step's note is held, else 0"},
  {"pitch", "Octaves of the sounding step's pitch (pitch / 12)"},
  {"velocity", "Velocity of the sounding step, 0..1"},
  {"trig", "1 on the first frame of each note (not on tied steps), else 0"},
  {"step", "Index of the current step in the sequence, 0..steps-1"},
};

static const char* const ties[] = {"off", "on", NULL};

// clang-format off
#define STEP_PARAMS(n) {"pitch" #n, "st", "Pitch of step " #n, -48, 48, 0, 0, 0, NULL},
#define GATE_PARAMS(n) {"gate" #n, "", "Gate length of step " #n " as a part of the step " \
                        "(1: legato)", 0, 1, 0.5f, 0, 0, NULL},
#define VEL_PARAMS(n)  {"vel" #n, "", "Velocity of step " #n, 0, 1, 0.8f, 0, 0, NULL},
#define PROB_PARAMS(n) {"prob" #n, "", "Probability that step " #n " plays", 0, 1, 1, 0, 0, NULL},
#define TIE_PARAMS(n)  {"tie" #n, "", "on: step " #n " holds the note before it on", 0, 1, 0, 0, \
                        ST_PARAM_CHOICE, ties},
#define SIXTY_FOUR(X)                             \
  X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8)         \
  X(9) X(10) X(11) X(12) X(13) X(14) X(15) X(16)  \
  X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) \
  X(25) X(26) X(27) X(28) X(29) X(30) X(31) X(32) \
  X(33) X(34) X(35) X(36) X(37) X(38) X(39) X(40) \
  X(41) X(42) X(43) X(44) X(45) X(46) X(47) X(48) \
  X(49) X(50) X(51) X(52) X(53) X(54) X(55) X(56) \
  X(57) X(58) X(59) X(60) X(61) X(62) X(63) X(64)
// clang-format on

static const StParamSpec params[] = {
  {"steps", "", "Steps in the sequence", 1, MAX_STEPS, 16, 0, ST_PARAM_INT, NULL},
  {"division", "", "Step length as a note division, from the song position", 0,
   ST_DIV_COUNT - 1, ST_DIV_1_16, 0, ST_PARAM_CHOICE, st_division_names},
  {"swing", "", "Part of a step the even-numbered steps start late (1/3: triplet feel)", 0,
   0.5f, 0, 0, 0, NULL},
  {"seed", "", "Random sequence of the probabilities", 1, 65535, 1, 0, ST_PARAM_INT, NULL},
  SIXTY_FOUR(STEP_PARAMS) SIXTY_FOUR(GATE_PARAMS) SIXTY_FOUR(VEL_PARAMS) SIXTY_FOUR(PROB_PARAMS)
    SIXTY_FOUR(TIE_PARAMS)};
_Static_assert(sizeof(params) / sizeof(params[0]) == P_LANES + N_LANES * MAX_STEPS &&
                 P_LANES + N_LANES * MAX_STEPS <= ST_MAX_PARAMS,
               "every step's lanes are parameters, within the engine's limit");

const StNodeType st_seq_type = {
  .name       = "seq",
  .family     = "Sequencing",
  .doc        = "Step sequencer of 1 to 64 steps, each with pitch, gate length, velocity, "
                "probability and tie parameters, and swing. Without a clock link each step is "
                "a note division of the host's song position: it plays while the transport "
                "rolls, on the frame of its beat. Probabilities draw the same for the same "
                "song position.",
  .n_inputs   = 2,
  .inputs     = inputs,
  .n_outputs  = N_OUTPUTS,
  .outputs    = outputs,
  .n_params   = P_LANES + N_LANES * MAX_STEPS,
  .params     = params,
  .flags      = ST_NODE_BOUNDED | ST_NODE_HOLDS,
  .cost       = 6.0f,
  .state_size = seq_size,
  .init       = seq_init,
  .process    = seq_process,
};
