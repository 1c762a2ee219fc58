/* SPDX-License-Identifier: ISC */
/* The host's musical time as signals: tempo, playing, bar and beat phase and
   a clock at a note division, every one computed from the song position of
   each frame, so that it follows tempo changes and relocations at the frame
   they happen. Without a host position it runs at its own tempo. */
#include "division.h"
#include "dsp.h"
#include "types.h"

enum { P_BPM, P_DIVISION, P_BEATS };
enum { O_BPM, O_PLAYING, O_BAR, O_BEAT, O_CLOCK, N_OUTPUTS };

typedef struct {
  double   start;  ///< Beat where the free-running tempo last changed
  uint64_t since;  ///< Frames run since then
  float    bpm;    ///< Free-running tempo in use
} Transport;

static size_t
transport_size(const float* params, float rate)
{
  (void)params;
  (void)rate;
  return sizeof(Transport);
}

static void
transport_init(void* state, const float* params, float rate)
{
  Transport* t = state;
  (void)rate;
  t->bpm = params[P_BPM];
}

/* The free-running position: its own tempo and meter from beat 0, rolling;
   a tempo change goes on from the beat reached. */
static StTransport
free_running(Transport* t, const StProcess* p)
{
  const float bpm = st_clampf(p->params[P_BPM].value, 1.0f, 999.0f);
  if (bpm != t->bpm) {
    t->start += (double)t->since * t->bpm / 60.0 / p->rate;
    t->since = 0;
    t->bpm   = bpm;
  }
  const double per_bar = p->params[P_BEATS].value;
  const double beat    = t->start + (double)t->since * t->bpm / 60.0 / p->rate;
  t->since += p->frames;
  return (StTransport){beat, fmod(beat, per_bar), bpm, (float)per_bar, 4.0f, 1u, 0u};
}

static void
transport_process(void* state, const StProcess* p)
{
  Transport*        t    = state;
  const StTransport now  = p->host->transport.from_host ? p->host->transport
                                                        : free_running(t, p);
  const double      bpm  = st_transport_bpm(&now);
  const double      step = st_transport_step(&now, p->rate);
  const double      bar  = now.beats_per_bar > 0.0f ? now.beats_per_bar : 4.0;
  const double      div =
    st_division_beats((uint32_t)st_choice(&p->params[P_DIVISION], ST_DIV_COUNT), now.beat_unit);
  for (uint32_t i = 0; i < p->frames; ++i) {
    // A frame on a beat counts as on it, not a rounding error before it.
    const double beat    = now.beat + i * step + 1e-9;
    const double in_bar  = fmod(now.bar_beat + i * step + 1e-9, bar);
    const double clock   = beat / div;
    p->out[O_BPM][i]     = (float)bpm;
    p->out[O_PLAYING][i] = now.playing ? 1.0f : 0.0f;
    p->out[O_BAR][i]     = (float)(in_bar / bar);
    p->out[O_BEAT][i]    = (float)(beat - floor(beat));
    p->out[O_CLOCK][i]   = now.playing && clock - floor(clock) < 0.5 ? 1.0f : 0.0f;
  }
}

static const StPortSpec outputs[] = {
  {"bpm", "Tempo in beats per minute"},
  {"playing", "1 while the transport rolls, else 0"},
  {"bar", "Phase in the bar, 0..1 (0 on its first beat)"},
  {"beat", "Phase in the beat, 0..1 (0 on the beat)"},
  {"clock", "1 for the first half of each division, 0 for the rest and while stopped"},
};

static const StParamSpec params[] = {
  {"bpm", "BPM", "Tempo when the host sends no position", 20, 300, 120, 0, 0, NULL},
  {"division", "", "Length of a clock cycle as a note division", 0, ST_DIV_COUNT - 1,
   ST_DIV_1_16, 0, ST_PARAM_CHOICE, st_division_names},
  {"beats", "", "Beats per bar when the host sends no position", 1, 32, 4, 0, ST_PARAM_INT,
   NULL},
};

const StNodeType st_transport_type = {
  .name       = "transport",
  .family     = "Sequencing",
  .doc        = "The host's tempo and position as signals: tempo, playing, bar and beat phase "
                "and a clock at any note division, exact to the frame through tempo changes "
                "and relocations (the host's time:Position). Where the host sends none it "
                "runs at its own `bpm` and `beats` per bar from beat 0. `link transport.clock "
                "-> seq.clock` steps a sequencer at the division.",
  .n_outputs  = N_OUTPUTS,
  .outputs    = outputs,
  .n_params   = 3,
  .params     = params,
  .flags      = ST_NODE_BOUNDED,
  .cost       = 4.0f,
  .state_size = transport_size,
  .init       = transport_init,
  .process    = transport_process,
};
