/* SPDX-License-Identifier: ISC */
/* strata-render: renders a preset or a patch file through the real plugin
   (loaded with lilv) to a WAV file; also lists presets and nodes, checks
   patch files and draws patches as Graphviz DOT. See args.c for --help. */
#include "args.h"
#include "dot.h"
#include "events.h"
#include "fail.h"
#include "meter.h"
#include "midifile.h"
#include "notes.h"
#include "session.h"
#include "wav.h"

#include "graph.h"
#include "nodes/reference.h"
#include "patch.h"
#include "st_config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SR_MAX_PATCH_BYTES (1u << 20) ///< Largest patch file read (the plugin's limit too)

#ifndef SR_VERSION
#define SR_VERSION "unknown"
#endif

/* Everything a render needs besides the options. */
typedef struct {
  char*    patch;         ///< --patch file text, or NULL
  size_t   patch_length;
  StGraph* model;         ///< The patch parsed, for --dot and the counts
  SrEvents midi;          ///< --midi events
  double   midi_length;   ///< Seconds to the MIDI file's last end of track
  SrAudio  input;         ///< --in
  bool     has_input;
} SrJob;

/* --- Files --- */

/* A whole patch file; NULL after printing why. */
static char*
read_patch_file(const char* path, size_t* length)
{
  FILE* f = fopen(path, "rb");
  if (!f) {
    sr_fail(SR_EXIT_FAIL, "%s: %s", path, strerror(errno));
    return NULL;
  }
  char*  text = malloc(SR_MAX_PATCH_BYTES + 1);
  size_t n    = text ? fread(text, 1, SR_MAX_PATCH_BYTES + 1, f) : 0;
  const bool bad = !text || ferror(f);
  fclose(f);
  if (bad || n > SR_MAX_PATCH_BYTES) {
    sr_fail(SR_EXIT_FAIL, "%s: %s", path,
            !text ? "out of memory"
            : bad ? "read error (is it a directory?)"
                  : "larger than 1 MiB");
    free(text);
    return NULL;
  }
  text[n] = '\0';
  *length = n;
  return text;
}

static StGraph*
new_model(void)
{
  return st_graph_new(ST_DEFAULT_MAX_NODES, ST_DEFAULT_POOL_BUFFERS, 48000.0f);
}

/* Parses patch text into a new model; NULL after printing the error as
   PREFIX + "FILE:LINE:COLUMN: message". */
static StGraph*
parse_patch(const char* text, size_t length, const char* name, const char* prefix)
{
  StGraph*     model = new_model();
  StPatchError err   = {0};
  if (!model) {
    fprintf(stderr, "%s%s: out of memory\n", prefix, name);
    return NULL;
  }
  if (st_patch_parse(text, length, NULL, model, &err)) {
    const char* message = err.message;
    const char* colon   = err.line ? strstr(message, ": ") : NULL;
    if (colon && !strncmp(message, "line ", 5)) {
      message = colon + 2; // The position is written as FILE:LINE:COLUMN instead.
    }
    if (err.line) {
      fprintf(stderr, "%s%s:%u:%u: %s\n", prefix, name, err.line, err.column, message);
    } else {
      fprintf(stderr, "%s%s: %s\n", prefix, name, message);
    }
    st_graph_free(model);
    return NULL;
  }
  return model;
}

static uint32_t
count_links(const StGraph* g)
{
  uint32_t links = 0;
  for (uint32_t i = 0; i < st_graph_capacity(g); ++i) {
    const StNodeSlot* s = st_graph_node_at(g, i);
    for (uint32_t p = 0; s && p < s->type->n_inputs; ++p) {
      links += s->src[p].node != ST_NO_NODE;
    }
  }
  return links;
}

/* --- Actions that render nothing --- */

static int
check_file(const char* path)
{
  size_t length = 0;
  char*  text   = read_patch_file(path, &length);
  if (!text) {
    return SR_EXIT_FAIL;
  }
  StGraph* model = parse_patch(text, length, path, "");
  free(text);
  if (!model) {
    return SR_EXIT_FAIL;
  }
  printf("%s: ok (%u nodes, %u links)\n", path, st_graph_count(model), count_links(model));
  st_graph_free(model);
  return SR_EXIT_OK;
}

static int
list_presets(void)
{
  SrSession s;
  const int st = sr_session_world(&s);
  if (st) {
    return st;
  }
  size_t    n    = 0;
  ShPreset* list = sh_presets(s.world, &n);
  for (size_t i = 0; i < n; ++i) {
    printf("%s\t%s\n", list[i].label, list[i].uri);
  }
  sh_presets_free(list, n);
  sr_session_close(&s);
  return SR_EXIT_OK;
}

static int
write_dot(const SrArgs* a, const StGraph* model, const char* title)
{
  const char* option    = a->dot_expanded ? "--dot-expanded" : "--dot";
  const bool  to_stdout = !a->dot_file || !strcmp(a->dot_file, "-");
  FILE*       out       = to_stdout ? stdout : fopen(a->dot_file, "w");
  if (!out) {
    return sr_fail(SR_EXIT_FAIL, "%s %s: %s", option, a->dot_file, strerror(errno));
  }
  bool ok = sr_dot_write(out, model, title, a->dot_expanded);
  ok      = (to_stdout ? fflush(out) == 0 : fclose(out) == 0) && ok;
  return ok ? SR_EXIT_OK
            : sr_fail(SR_EXIT_FAIL, "%s %s: write error", option,
                      to_stdout ? "(stdout)" : a->dot_file);
}

/* --- Render --- */

static int
load_inputs(const SrArgs* a, SrJob* job)
{
  char why[SR_WHY];
  if (a->patch) {
    if (!(job->patch = read_patch_file(a->patch, &job->patch_length)) ||
        !(job->model = parse_patch(job->patch, job->patch_length, a->patch, "strata-render: "))) {
      return SR_EXIT_FAIL;
    }
  }
  if (a->midi && !sr_midi_read(a->midi, &job->midi, &job->midi_length, why, sizeof(why))) {
    return sr_fail(SR_EXIT_FAIL, "%s: %s", a->midi, why);
  }
  if (a->in) {
    if (!sr_audio_read(a->in, &job->input, why, sizeof(why))) {
      return sr_fail(SR_EXIT_FAIL, "%s: %s", a->in, why);
    }
    job->has_input = true;
    if (a->rate && a->rate != job->input.rate) {
      return sr_fail(SR_EXIT_FAIL,
                     "%s: its sample rate is %u Hz, not the --rate of %u Hz (resample it, or "
                     "leave out --rate)",
                     a->in, job->input.rate, a->rate);
    }
  }
  return SR_EXIT_OK;
}

/* The length to render when --seconds is not given. */
static double
default_seconds(const SrArgs* a, const SrJob* job, const SrEvents* events, uint32_t rate)
{
  double end = a->midi ? job->midi_length : sr_events_end(events);
  if (job->has_input) {
    const double in = (double)job->input.frames / rate;
    end             = in > end ? in : end;
  }
  return end > 0 ? end + SR_TAIL_SECONDS : SR_DEFAULT_SECONDS;
}

static int
dot_of_plugin(const SrArgs* a, SrSession* s)
{
  char* text = sr_session_patch_text(s);
  if (!text) {
    return SR_EXIT_FAIL;
  }
  StGraph* model = parse_patch(text, strlen(text), "the plugin's patch", "strata-render: ");
  free(text);
  if (!model) {
    return SR_EXIT_FAIL;
  }
  const int st = write_dot(a, model, a->preset ? a->preset : "default patch");
  st_graph_free(model);
  return st;
}

static void
summary(const SrMeter* m, const char* path)
{
  const double rms = sr_meter_rms(m);
  printf("peak %.1f dBFS (%.6f), RMS %.1f dBFS (%.6f), wrote %s\n", sr_dbfs(m->peak), m->peak,
         sr_dbfs(rms), rms, path);
}

static int
render(const SrArgs* a, SrJob* job, SrSession* s, const SrEvents* events)
{
  char           why[SR_WHY];
  const uint32_t rate    = s->rate;
  const double   seconds = a->seconds > 0 ? a->seconds : default_seconds(a, job, events, rate);
  const uint64_t frames  = (uint64_t)llround(seconds * rate);
  sr_session_settle(s, a);
  SrWavWriter* wav = sr_wav_create(a->out, rate, why, sizeof(why));
  if (!wav) {
    return sr_fail(SR_EXIT_FAIL, "%s: %s", a->out, why);
  }
  SrMeter meter = {0};
  int     st    = sr_session_render(s, events, job->has_input ? &job->input : NULL, frames, wav,
                                    a->out, &meter, a->quiet);
  if (!sr_wav_close(wav, why, sizeof(why)) && !st) {
    st = sr_fail(SR_EXIT_FAIL, "%s: %s", a->out, why);
  }
  if (st) {
    remove(a->out);
    return st;
  }
  summary(&meter, a->out);
  if (meter.nonfinite) {
    return sr_fail(SR_EXIT_FAIL, "%s: the plugin produced %llu NaN or infinite samples", a->out,
                   (unsigned long long)meter.nonfinite);
  }
  return SR_EXIT_OK;
}

static int
run(SrArgs* a, SrJob* job)
{
  int st = load_inputs(a, job);
  if (st) {
    return st;
  }
  if (a->dot && a->patch) {
    if ((st = write_dot(a, job->model, a->patch)) || !a->out) {
      return st;
    }
  }
  SrEvents defaults = {0};
  char     why[SR_WHY];
  if (!a->notes && !a->midi && !a->in &&
      !sr_notes_parse(SR_DEFAULT_NOTES, &defaults, why, sizeof(why))) {
    return sr_fail(SR_EXIT_FAIL, "default notes: %s", why);
  }
  SrEvents* events = a->midi ? &job->midi : a->notes ? &a->events : &defaults;
  sr_events_sort(events);
  const uint32_t rate = a->rate ? a->rate : job->has_input ? job->input.rate : SR_DEFAULT_RATE;
  SrSession      s    = {0};
  st = sr_session_open(&s, rate, a->block, a->preset, job->patch, job->patch_length, a->patch);
  s.bpm = a->bpm;
  if (!st && a->dot && !a->patch) {
    st = dot_of_plugin(a, &s);
  }
  if (!st && a->out) {
    st = render(a, job, &s, events);
  }
  sr_session_close(&s);
  sr_events_free(&defaults);
  return st;
}

int
main(int argc, char** argv)
{
  SrArgs args;
  int    st = sr_args_parse(argc, argv, &args);
  if (st) {
    sr_args_free(&args);
    return st;
  }
  if (args.help) {
    sr_args_usage(stdout);
  } else if (args.version) {
    printf("strata-render %s\n", SR_VERSION);
  } else if (args.list_nodes) {
    st = st_reference_write(stdout) && fflush(stdout) == 0
           ? SR_EXIT_OK
           : sr_fail(SR_EXIT_FAIL, "cannot write the node reference");
  } else if (args.check) {
    st = check_file(args.check);
  } else if (args.list_presets) {
    st = list_presets();
  } else {
    SrJob job = {0};
    st        = run(&args, &job);
    free(job.patch);
    st_graph_free(job.model);
    sr_events_free(&job.midi);
    sr_audio_free(&job.input);
  }
  sr_args_free(&args);
  return st;
}
