/* SPDX-License-Identifier: ISC */
/* Pitch quantizer: a pitch in octaves (as `midi.pitch`, 0 = A4) moved to the
   nearest note of a scale, so a random or modulated pitch plays in key. */
#include "dsp.h"
#include "zeroed.h"
#include "types.h"

enum { P_SCALE, P_ROOT, P_USER };
enum {
  CHROMATIC,
  MAJOR,
  MINOR,
  DORIAN,
  PHRYGIAN,
  LYDIAN,
  MIXOLYDIAN,
  LOCRIAN,
  HARMONIC,
  PENTA_MAJOR,
  PENTA_MINOR,
  USER,
  N_SCALES
};
enum { O_OUT, O_TRIG };

/* Notes of each scale from its root: bit n set when n semitones above is in. */
static const uint16_t masks[USER] = {
  0xFFF,                                                     // chromatic
  1 | 1 << 2 | 1 << 4 | 1 << 5 | 1 << 7 | 1 << 9 | 1 << 11,  // major
  1 | 1 << 2 | 1 << 3 | 1 << 5 | 1 << 7 | 1 << 8 | 1 << 10,  // natural minor
  1 | 1 << 2 | 1 << 3 | 1 << 5 | 1 << 7 | 1 << 9 | 1 << 10,  // dorian
  1 | 1 << 1 | 1 << 3 | 1 << 5 | 1 << 7 | 1 << 8 | 1 << 10,  // phrygian
  1 | 1 << 2 | 1 << 4 | 1 << 6 | 1 << 7 | 1 << 9 | 1 << 11,  // lydian
  1 | 1 << 2 | 1 << 4 | 1 << 5 | 1 << 7 | 1 << 9 | 1 << 10,  // mixolydian
  1 | 1 << 1 | 1 << 3 | 1 << 5 | 1 << 6 | 1 << 8 | 1 << 10,  // locrian
  1 | 1 << 2 | 1 << 3 | 1 << 5 | 1 << 7 | 1 << 8 | 1 << 11,  // harmonic minor
  1 | 1 << 2 | 1 << 4 | 1 << 7 | 1 << 9,                     // major pentatonic
  1 | 1 << 3 | 1 << 5 | 1 << 7 | 1 << 10,                    // minor pentatonic
};

typedef struct {
  float    last;  ///< Last output, for the trigger
  float    in;    ///< Last input, and the mask it was quantized with:
  uint32_t mask;  ///< a held pitch is not searched again
} Quantize;

/* Pitch classes (bit 0 = C) the current parameters allow; 0 for none. */
static uint32_t
allowed(const StProcess* p)
{
  const int scale = st_choice(&p->params[P_SCALE], N_SCALES);
  if (scale == USER) {
    uint32_t m = 0;
    for (uint32_t n = 0; n < 12; ++n) {
      m |= (p->params[P_USER + n].value >= 0.5f ? 1u : 0u) << n;
    }
    return m;
  }
  const uint32_t root = (uint32_t)st_choice(&p->params[P_ROOT], 12);
  const uint32_t m    = masks[scale];
  return ((m << root) | (m >> (12 - root))) & 0xFFF;
}

static bool
in_scale(uint32_t mask, long semitone)
{
  const long c = ((semitone + 9) % 12 + 12) % 12;  // semitone 0 is A, pitch class 9
  return mask >> c & 1u;
}

/* The nearest allowed semitone to `s` (semitones from A4); ties go down.
   The search goes out from the nearest semitone and stops once no farther
   note can be nearer. */
static float
nearest(uint32_t mask, float s)
{
  const long r    = lrintf(s);
  long       best = r;
  float      gap  = INFINITY;
  for (long d = 0; d <= 12 && gap > (float)d - 0.5f; ++d) {
    const long two[2] = {r - d, r + d};
    for (int k = 0; k < 2; ++k) {
      const float g = fabsf(s - (float)two[k]);
      if (in_scale(mask, two[k]) && (g < gap || (g == gap && two[k] < best))) {
        best = two[k];
        gap  = g;
      }
    }
  }
  return (float)best;
}

static size_t
quantize_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Quantize);
}

static void
quantize_process(void* state, const StProcess* p)
{
  Quantize*      q    = state;
  const uint32_t mask = allowed(p);
  for (uint32_t i = 0; i < p->frames; ++i) {
    // Within +-100 octaves, so the semitone fits a long; NaN reads as 0.
    const float s     = st_clampf(p->in[0][i], -100.0f, 100.0f) * 12.0f;
    const float out   = s == q->in && mask == q->mask ? q->last
                        : mask                        ? nearest(mask, s) / 12.0f
                                                      : s / 12.0f;
    q->in             = s;
    q->mask           = mask;
    p->out[O_OUT][i]  = out;
    p->out[O_TRIG][i] = out != q->last ? 1.0f : 0.0f;
    q->last           = out;
  }
}

static const StPortSpec inputs[] = {
  {"in", "Pitch in octaves from A4 (as midi.pitch)"},
};

static const StPortSpec outputs[] = {
  {"out", "The nearest note of the scale, in octaves from A4"},
  {"trig", "1 on the frame the output note changes, else 0"},
};

static const char* const scales[] = {
  "chromatic",        "major",      "minor",   "dorian",         "phrygian",
  "lydian",           "mixolydian", "locrian", "harmonic_minor", "pentatonic_major",
  "pentatonic_minor", "user",       NULL};
static const char* const notes[] = {"c", "c_sharp", "d", "d_sharp", "e", "f", "f_sharp",
                                    "g", "g_sharp", "a", "a_sharp", "b", NULL};
static const char* const onoff[] = {"off", "on", NULL};

#define USER_NOTE(name, doc)                                                                   \
  {name, "", doc " in the user scale", 0, 1, 0, 0, ST_PARAM_CHOICE, onoff},

static const StParamSpec params[] = {
  {"scale", "",
   "Scale: chromatic, major, minor, the modes, harmonic minor, pentatonics, or user", 0,
   N_SCALES - 1, MAJOR, 0, ST_PARAM_CHOICE, scales},
  {"root", "", "Key note of the scale (user scales name their notes directly)", 0, 11, 0, 0,
   ST_PARAM_CHOICE, notes},
  USER_NOTE("c", "C") USER_NOTE("c_sharp", "C#") USER_NOTE("d", "D") USER_NOTE("d_sharp", "D#")
    USER_NOTE("e", "E") USER_NOTE("f", "F") USER_NOTE("f_sharp", "F#") USER_NOTE("g", "G")
      USER_NOTE("g_sharp", "G#") USER_NOTE("a", "A") USER_NOTE("a_sharp", "A#")
        USER_NOTE("b", "B")};

const StNodeType st_quantize_type = {
  .name       = "quantize",
  .family     = "Sequencing",
  .doc        = "Pitch quantizer: a pitch in octaves from A4 (as midi.pitch or seq.pitch "
                "give it) moved to the nearest note of a scale in a key (ties go down), or "
                "of a user set of notes; `trig` marks each change of note.",
  .n_inputs   = 1,
  .inputs     = inputs,
  .n_outputs  = 2,
  .outputs    = outputs,
  .n_params   = P_USER + 12,
  .params     = params,
  .flags      = ST_NODE_BOUNDED,
  .cost       = 8.0f,
  .state_size = quantize_size,
  .init       = st_zeroed_init,
  .process    = quantize_process,
};
