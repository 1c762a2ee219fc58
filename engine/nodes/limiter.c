/* SPDX-License-Identifier: ISC */
/* Look-ahead brickwall limiter. The signal is delayed by the look-ahead; the
   gain that keeps each incoming sample under the ceiling enters a sliding
   minimum over the look-ahead window and a moving average as long as the
   delay, so the gain has ramped down fully by the time the sample leaves:
   no output sample exceeds the ceiling, and the gain never steps. */
#include "dsp.h"
#include "types.h"

enum { P_CEILING, P_DRIVE, P_RELEASE, P_LOOKAHEAD };
enum { I_IN, I_SIDE };
enum { O_OUT, O_GAIN };

#define DB_TO_LN 0.11512925464970229  // ln(10) / 20: 10^(dB / 20) = e^(dB DB_TO_LN)
#define UNITY (1u << 30)              // a gain of 1 in the fixed-point gains averaged below
#define MARGIN (1.0 - 1e-6)           // keeps rounding from lifting a sample past the ceiling
#define LONGEST ((uint64_t)1 << 24)   // most samples of look-ahead

typedef struct {
  uint32_t delay;    ///< Look-ahead in samples (>= 1)
  uint32_t mask;     ///< Ring length - 1 (a power of two above delay + 1)
  uint32_t now;      ///< Frame counter: ring slot of the newest sample
  uint32_t head;     ///< Sliding minimum: oldest entry (count, wraps)
  uint32_t tail;     ///< Sliding minimum: one past the newest entry
  int64_t  sum;      ///< Sum of the last `delay` window minima
  float    gain;     ///< Gain after the release, 0..1
  float    release;  ///< Time the coefficient was made for
  float    rise;     ///< Release one-pole coefficient
  // Four rings of mask + 1 entries follow: the delayed signal, the window
  // minima, and the sliding minimum's candidate gains and their frames.
  float rings[];
} Limiter;

static uint64_t
delay_of(const float* params, float rate)
{
  const double d = ceil((double)params[P_LOOKAHEAD] * rate);
  if (!(d <= (double)LONGEST)) {  // too long, or NaN
    return LONGEST + 1;
  }
  return d < 1.0 ? 1 : (uint64_t)d;
}

static uint64_t
ring_length(uint64_t delay)
{
  uint64_t n = 64;
  while (n < delay + 2) {
    n *= 2;
  }
  return n;
}

static size_t
limiter_size(const float* params, float rate)
{
  const uint64_t d = delay_of(params, rate);
  if (d > LONGEST) {
    return SIZE_MAX;
  }
  const uint64_t n = ring_length(d);
  if (n > (SIZE_MAX - sizeof(Limiter)) / (4 * sizeof(float))) {
    return SIZE_MAX;
  }
  return sizeof(Limiter) + (size_t)n * 4 * sizeof(float);
}

static float*
line(Limiter* l)
{
  return l->rings;
}

static uint32_t*
minima(Limiter* l)
{
  return (uint32_t*)(l->rings + l->mask + 1);
}

static uint32_t*
candidates(Limiter* l)
{
  return (uint32_t*)(l->rings + 2 * ((size_t)l->mask + 1));
}

static uint32_t*
frames(Limiter* l)
{
  return (uint32_t*)(l->rings + 3 * ((size_t)l->mask + 1));
}

static void
limiter_init(void* state, const float* params, float rate)
{
  Limiter* l = state;
  l->delay   = (uint32_t)delay_of(params, rate);  // state_size refused longer ones
  l->mask    = (uint32_t)(ring_length(l->delay) - 1);
  l->gain    = 1.0f;
  l->release = -1.0f;
  l->sum     = (int64_t)l->delay * UNITY;
  for (uint32_t k = 0; k <= l->mask; ++k) {
    minima(l)[k] = UNITY;
  }
}

/* Adds the gain `g` that sample `now` needs to the sliding minimum over the
   last delay + 1 samples and returns that minimum. Each gain enters and
   leaves the queue once: amortised constant time, at most delay + 1 steps. */
static uint32_t
window_min(Limiter* l, uint32_t g)
{
  uint32_t* cand = candidates(l);
  uint32_t* when = frames(l);
  while (l->tail != l->head && cand[(l->tail - 1) & l->mask] >= g) {
    --l->tail;
  }
  cand[l->tail & l->mask] = g;
  when[l->tail & l->mask] = l->now;
  ++l->tail;
  while (l->now - when[l->head & l->mask] > l->delay) {
    ++l->head;
  }
  return cand[l->head & l->mask];
}

static void
limiter_process(void* state, const StProcess* p)
{
  Limiter* l = state;
  // The rings remember: only sane samples enter (NaN as 0).
  float        in[ST_BLOCK], key[ST_BLOCK];
  const bool   side = p->linked & (1u << I_SIDE);
  float* const sig  = line(l);
  uint32_t*    mins = minima(l);
  st_sane_block(in, p->in[I_IN], p->frames);
  st_sane_block(key, p->in[I_SIDE], p->frames);
  for (uint32_t i = 0; i < p->frames; ++i) {
    const double ceiling = exp(DB_TO_LN * st_param_next(&p->params[P_CEILING]));
    const float  drive   = (float)exp(DB_TO_LN * st_param_next(&p->params[P_DRIVE]));
    const float  release = st_param_next(&p->params[P_RELEASE]);
    if (release != l->release) {
      l->release = release;
      l->rise    = st_pole(release, p->rate);
    }
    const float  x    = st_clampf(in[i] * drive, -ST_SIGNAL_LIMIT, ST_SIGNAL_LIMIT);
    const float  k    = side ? fabsf(key[i] * drive) : 0.0f;
    const double peak = fabsf(x) > k ? fabsf(x) : k;
    // Fixed point, rounded down, so that the average below is exact.
    const uint32_t need = peak > ceiling ? (uint32_t)(ceiling / peak * MARGIN * UNITY) : UNITY;
    ++l->now;
    sig[l->now & l->mask] = x;
    const uint32_t m      = window_min(l, need);
    l->sum += (int64_t)m - mins[(l->now - l->delay) & l->mask];
    mins[l->now & l->mask] = m;
    const float box        = (float)((double)l->sum / ((double)l->delay * UNITY));
    // Every minimum in the average covers the leaving sample, so box is
    // at most its gain; the release only rises toward box, never above it.
    // Where the one-pole's step falls below float resolution it creeps one
    // ulp at a time, so that the gain still lands on box (on 1: transparent).
    float up          = l->gain + (box - l->gain) * l->rise;
    up                = up == l->gain ? nextafterf(up, box) : up;
    l->gain           = box <= l->gain ? box : (up < box ? up : box);
    p->out[O_OUT][i]  = sig[(l->now - l->delay) & l->mask] * l->gain;
    p->out[O_GAIN][i] = l->gain;
  }
}

static const StPortSpec inputs[] = {
  {"in", "Signal"},
  {"side", "Sidechain: when linked, its peaks (after drive) also lower the gain"},
};

static const StPortSpec outputs[] = {
  {"out", "The input after drive, delayed by the look-ahead, times the gain"},
  {"gain", "The gain applied, 0..1"},
};

static const StParamSpec params[] = {
  {"ceiling", "dB", "Largest output magnitude (dBFS)", -24, 0, -0.3f, 0.01f, 0, NULL},
  {"drive", "dB", "Gain before the limiter", 0, 24, 0, 0.01f, 0, NULL},
  {"release", "s", "Time constant of the gain's recovery", 0.001f, 2, 0.05f, 0, 0, NULL},
  {"lookahead", "s", "Delay that lets the gain fall before a peak: sizes the memory", 0.0005f,
   0.02f, 0.005f, 0, ST_PARAM_FIXED, NULL},
};

const StNodeType st_limiter_type = {
  .name       = "limiter",
  .family     = "Shapers",
  .doc        = "Look-ahead brickwall limiter. The input (times `drive`) is delayed by "
                "`lookahead`; the gain each incoming sample needs to stay under the ceiling "
                "(or that its sidechain sample needs, when `side` is linked) enters a "
                "minimum over the look-ahead and a moving average as long as it, so the gain "
                "ramps down over the look-ahead before a peak leaves and no output sample "
                "exceeds the ceiling, whatever the input. The gain then recovers with the "
                "`release` time constant. The output is late by the look-ahead, rounded up "
                "to whole samples (with a moving ceiling, only once the ceiling has settled "
                "is every sample under it).",
  .n_inputs   = 2,
  .inputs     = inputs,
  .n_outputs  = 2,
  .outputs    = outputs,
  .n_params   = 4,
  .params     = params,
  .cost       = 15.0f,
  .state_size = limiter_size,
  .init       = limiter_init,
  .process    = limiter_process,
};
