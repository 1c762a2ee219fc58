/* SPDX-License-Identifier: ISC */
#include "args.h"

#include "fail.h"
#include "notes.h"
#include "suggest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void
sr_args_usage(FILE* out)
{
  fputs(
    "Usage: strata-render [PATCH] [PLAY] [OPTIONS] -o OUT.wav\n"
    "       strata-render [PATCH] --dot [FILE] | --dot-expanded [FILE]\n"
    "       strata-render --list-presets | --list-nodes | --check FILE\n"
    "\n"
    "Renders the Strata plugin <urn:strata:modular>, loaded with lilv from LV2_PATH\n"
    "(or lilv's default LV2 path), to a 32-bit float stereo WAV file.\n"
    "\n"
    "PATCH (one of them; with neither, the plugin's default patch):\n"
    "  --preset NAME|URI   a preset, by label (any case) or URI (see --list-presets)\n"
    "  --patch FILE        a patch text file, sent to the plugin to replace its patch\n"
    "\n"
    "PLAY (--notes or --midi, and --in):\n"
    "  --notes SPEC        notes, separated by commas: PITCH[@VEL]:START:DURATION\n"
    "                        PITCH: C4 (MIDI 60), F#3, Bb2, c-1... or a MIDI number 0..127\n"
    "                        VEL: above 0, at most 1 (default 0.8)\n"
    "                        START, DURATION: seconds (START >= 0, DURATION > 0)\n"
    "                      e.g. \"C4:0:0.5,E4:0.5:0.5,G4@0.8:1:1\"; \"none\" plays no notes\n"
    "  --midi FILE.mid     a Standard MIDI File (format 0 or 1)\n"
    "  --in FILE.wav       audio input, mono or stereo, at the render's sample rate\n"
    "  With none of them, C4, E4 and G4 are held together for 2 s (\"" SR_DEFAULT_NOTES
    "\").\n"
    "\n"
    "OPTIONS:\n"
    "  -o, --output FILE   the WAV file to write (32-bit float, stereo)\n"
    "  --macro N=VALUE     sets macro control N (1..16) to VALUE (0..1), over the\n"
    "                      preset's value; may be repeated\n"
    "  --seconds S         length in seconds, at most 86400 (default: the end of the\n"
    "                      notes, the MIDI file or the input, plus 2 s; 4 s otherwise)\n"
    "  --rate HZ           sample rate, 1000..768000 (default: the rate of --in, else\n"
    "                      48000)\n"
    "  --block N           frames per run() call, 1..8192 (default 512)\n"
    "  --bpm N             plays as a host rolling at N beats per minute (1..999) in\n"
    "                      4/4 from bar 1: a time:Position (tempo, bar, beat, speed 1)\n"
    "                      at the start of every block\n"
    "  -q, --quiet         no progress on stderr\n"
    "  --dot [FILE]        writes the patch graph as Graphviz DOT to FILE (none or \"-\":\n"
    "                      stdout), then stops unless -o is given too; a sub-patch\n"
    "                      instance or voice group is one box\n"
    "  --dot-expanded [FILE]\n"
    "                      like --dot, with each sub-patch instance and voice group\n"
    "                      drawn as a cluster holding its definition's body\n"
    "  --list-presets      prints every preset: its label, a tab, its URI\n"
    "  --list-nodes        prints the node reference (Markdown)\n"
    "  --check FILE        reads a patch file and prints \"FILE: ok (N nodes, M links)\",\n"
    "                      or \"FILE:LINE:COLUMN: message\" on stderr with exit status 1\n"
    "  -h, --help          shows this help\n"
    "  --version           shows the version\n"
    "\n"
    "The patch is loaded and settled (crossfade, smoothing) before frame 0; MIDI\n"
    "events reach the plugin at their exact frame. Progress goes to stderr: a bar on\n"
    "a terminal, a line every 10 % otherwise. The last line, on stdout, reads\n"
    "  peak -3.1 dBFS (0.700000), RMS -18.2 dBFS (0.123000), wrote out.wav\n"
    "\n"
    "Exit status: 0 done; 1 a file, patch, preset, plugin or render error; 2 a bad\n"
    "command line. Every error message starts with \"strata-render: \".\n"
    "\n"
    "Examples:\n"
    "  LV2_PATH=build/lv2 strata-render --preset \"acid bass\" --notes C2:0:0.3,C3:0.5:0.3 -o acid.wav\n"
    "  strata-render --patch voice.patch --midi song.mid --macro 1=0.7 -o song.wav\n"
    "  strata-render --patch voice.patch --dot | dot -Tsvg > voice.svg\n",
    out);
}

typedef enum {
  OPT_PRESET, OPT_PATCH, OPT_IN, OPT_NOTES, OPT_MIDI, OPT_OUTPUT, OPT_MACRO, OPT_SECONDS,
  OPT_RATE, OPT_BLOCK, OPT_BPM, OPT_QUIET, OPT_DOT, OPT_DOT_EXPANDED, OPT_LIST_PRESETS, OPT_LIST_NODES, OPT_CHECK,
  OPT_HELP, OPT_VERSION,
} OptId;

typedef enum {
  NO_VALUE,
  VALUE,
  OPTIONAL_VALUE,
} OptValue;

typedef struct {
  const char* name;
  OptId       id;
  OptValue    value;
} Option;

static const Option options[] = {
  {"--preset", OPT_PRESET, VALUE},
  {"--patch", OPT_PATCH, VALUE},
  {"--in", OPT_IN, VALUE},
  {"--notes", OPT_NOTES, VALUE},
  {"--midi", OPT_MIDI, VALUE},
  {"--output", OPT_OUTPUT, VALUE},
  {"-o", OPT_OUTPUT, VALUE},
  {"--macro", OPT_MACRO, VALUE},
  {"--seconds", OPT_SECONDS, VALUE},
  {"--rate", OPT_RATE, VALUE},
  {"--block", OPT_BLOCK, VALUE},
  {"--bpm", OPT_BPM, VALUE},
  {"--quiet", OPT_QUIET, NO_VALUE},
  {"-q", OPT_QUIET, NO_VALUE},
  {"--dot", OPT_DOT, OPTIONAL_VALUE},
  {"--dot-expanded", OPT_DOT_EXPANDED, OPTIONAL_VALUE},
  {"--list-presets", OPT_LIST_PRESETS, NO_VALUE},
  {"--list-nodes", OPT_LIST_NODES, NO_VALUE},
  {"--check", OPT_CHECK, VALUE},
  {"--help", OPT_HELP, NO_VALUE},
  {"-h", OPT_HELP, NO_VALUE},
  {"--version", OPT_VERSION, NO_VALUE},
};

#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

static const char*
option_name_at(const void* source, size_t index)
{
  (void)source;
  return index < N_OPTIONS ? options[index].name : NULL;
}

static int
unknown(const char* arg)
{
  char name[64];
  snprintf(name, sizeof(name), "%.*s", (int)strcspn(arg, "="), arg);
  const char* near = st_suggest(name, NULL, N_OPTIONS, option_name_at);
  if (arg[0] != '-') {
    return sr_fail(SR_EXIT_USAGE, "unexpected argument '%s' (options start with --; see --help)",
                   arg);
  }
  if (near) {
    return sr_fail(SR_EXIT_USAGE, "unknown option '%s' (did you mean %s?)", name, near);
  }
  return sr_fail(SR_EXIT_USAGE, "unknown option '%s' (see --help)", name);
}

static bool
whole_number(const char* text, double lo, double hi, uint32_t* out)
{
  double v = 0;
  if (!sr_parse_number(text, &v) || v != floor(v) || v < lo || v > hi) {
    return false;
  }
  *out = (uint32_t)v;
  return true;
}

static int
parse_macro(const char* value, SrArgs* a)
{
  const char* eq = strchr(value, '=');
  char        slot_text[32];
  uint32_t    slot = 0;
  double      v    = 0;
  if (!eq || (size_t)(eq - value) >= sizeof(slot_text)) {
    return sr_fail(SR_EXIT_USAGE, "--macro '%s': expected N=VALUE, e.g. --macro 1=0.5", value);
  }
  snprintf(slot_text, sizeof(slot_text), "%.*s", (int)(eq - value), value);
  if (!whole_number(slot_text, 1, SR_MACROS, &slot)) {
    return sr_fail(SR_EXIT_USAGE, "--macro '%s': bad macro number '%s' (1..%d)", value,
                   slot_text, SR_MACROS);
  }
  if (!sr_parse_number(eq + 1, &v) || v < 0 || v > 1) {
    return sr_fail(SR_EXIT_USAGE, "--macro '%s': bad value '%s' (0..1)", value, eq + 1);
  }
  a->macro_set[slot - 1] = true;
  a->macro[slot - 1]     = (float)v;
  return SR_EXIT_OK;
}

/* Sets a file or text option, refusing an empty value. */
static int
set_text(const char** field, const char* name, const char* value)
{
  if (!*value) {
    return sr_fail(SR_EXIT_USAGE, "%s: empty value", name);
  }
  *field = value;
  return SR_EXIT_OK;
}

static int
apply(SrArgs* a, const Option* opt, const char* value)
{
  char why[SR_WHY];
  switch (opt->id) {
  case OPT_PRESET: return set_text(&a->preset, opt->name, value);
  case OPT_PATCH:  return set_text(&a->patch, opt->name, value);
  case OPT_IN:     return set_text(&a->in, opt->name, value);
  case OPT_MIDI:   return set_text(&a->midi, opt->name, value);
  case OPT_OUTPUT: return set_text(&a->out, opt->name, value);
  case OPT_CHECK:  return set_text(&a->check, opt->name, value);
  case OPT_NOTES:
    if (a->notes) {
      return sr_fail(SR_EXIT_USAGE, "--notes given twice (write all notes in one spec)");
    }
    a->notes = value;
    if (!sr_notes_parse(value, &a->events, why, sizeof(why))) {
      return sr_fail(SR_EXIT_USAGE, "--notes: %s", why);
    }
    return SR_EXIT_OK;
  case OPT_MACRO: return parse_macro(value, a);
  case OPT_SECONDS:
    if (!sr_parse_number(value, &a->seconds) || !(a->seconds > 0) ||
        a->seconds > SR_MAX_SECONDS) {
      return sr_fail(SR_EXIT_USAGE, "--seconds: bad value '%s' (above 0, at most %.0f)", value,
                     SR_MAX_SECONDS);
    }
    return SR_EXIT_OK;
  case OPT_RATE:
    if (!whole_number(value, SR_MIN_RATE, SR_MAX_RATE, &a->rate)) {
      return sr_fail(SR_EXIT_USAGE, "--rate: bad value '%s' (a whole number of Hz, %u..%u)",
                     value, SR_MIN_RATE, SR_MAX_RATE);
    }
    return SR_EXIT_OK;
  case OPT_BLOCK:
    if (!whole_number(value, 1, SR_MAX_BLOCK, &a->block)) {
      return sr_fail(SR_EXIT_USAGE, "--block: bad value '%s' (a whole number of frames, 1..%u)",
                     value, SR_MAX_BLOCK);
    }
    return SR_EXIT_OK;
  case OPT_BPM:
    if (!sr_parse_number(value, &a->bpm) || !(a->bpm >= SR_MIN_BPM) || a->bpm > SR_MAX_BPM) {
      return sr_fail(SR_EXIT_USAGE, "--bpm: bad value '%s' (%g..%g beats per minute)", value,
                     SR_MIN_BPM, SR_MAX_BPM);
    }
    return SR_EXIT_OK;
  case OPT_DOT:
  case OPT_DOT_EXPANDED:
    if (a->dot) {
      return sr_fail(SR_EXIT_USAGE, "--dot and --dot-expanded cannot be used together");
    }
    a->dot          = true;
    a->dot_expanded = opt->id == OPT_DOT_EXPANDED;
    a->dot_file     = value;
    return SR_EXIT_OK;
  case OPT_QUIET:         a->quiet = true; return SR_EXIT_OK;
  case OPT_LIST_PRESETS:  a->list_presets = true; return SR_EXIT_OK;
  case OPT_LIST_NODES:    a->list_nodes = true; return SR_EXIT_OK;
  case OPT_HELP:          a->help = true; return SR_EXIT_OK;
  case OPT_VERSION:       a->version = true; return SR_EXIT_OK;
  }
  return SR_EXIT_USAGE;
}

/* Finds the option of `arg` ("--name", "--name=value", "-oFILE"); its
   inline value goes to *inline_value. */
static const Option*
find_option(const char* arg, const char** inline_value)
{
  *inline_value = NULL;
  for (size_t i = 0; i < N_OPTIONS; ++i) {
    const Option* o   = &options[i];
    const size_t  len = strlen(o->name);
    if (strncmp(arg, o->name, len)) {
      continue;
    }
    if (!arg[len]) {
      return o;
    }
    if (arg[len] == '=' && o->name[1] == '-' && o->value != NO_VALUE) {
      *inline_value = arg + len + 1;
      return o;
    }
    if (o->name[1] != '-' && o->value == VALUE) {
      *inline_value = arg + len; // -oFILE
      return o;
    }
  }
  return NULL;
}

static int
check_combinations(const SrArgs* a)
{
  const int infos = a->list_presets + a->list_nodes + (a->check != NULL);
  if (infos > 1) {
    return sr_fail(SR_EXIT_USAGE,
                   "--list-presets, --list-nodes and --check cannot be used together");
  }
  if (a->preset && a->patch) {
    return sr_fail(SR_EXIT_USAGE, "--preset and --patch cannot be used together");
  }
  if (a->notes && a->midi) {
    return sr_fail(SR_EXIT_USAGE, "--notes and --midi cannot be used together");
  }
  if (!infos && !a->help && !a->version && !a->dot && !a->out) {
    return sr_fail(SR_EXIT_USAGE,
                   "no output file: give -o OUT.wav (or --dot, --list-presets, --list-nodes, "
                   "--check FILE; see --help)");
  }
  return SR_EXIT_OK;
}

int
sr_args_parse(int argc, char** argv, SrArgs* a)
{
  memset(a, 0, sizeof(*a));
  a->block = SR_DEFAULT_BLOCK;
  for (int i = 1; i < argc; ++i) {
    const char*   value = NULL;
    const Option* opt   = find_option(argv[i], &value);
    if (!opt) {
      return unknown(argv[i]);
    }
    if (opt->value == VALUE && !value) {
      if (i + 1 >= argc) {
        return sr_fail(SR_EXIT_USAGE, "option %s needs a value (see --help)", opt->name);
      }
      value = argv[++i];
    } else if (opt->value == OPTIONAL_VALUE && !value && i + 1 < argc &&
               (argv[i + 1][0] != '-' || !strcmp(argv[i + 1], "-"))) {
      value = argv[++i];
    }
    const int st = apply(a, opt, value ? value : NULL);
    if (st) {
      return st;
    }
  }
  return a->help || a->version ? SR_EXIT_OK : check_combinations(a);
}

void
sr_args_free(SrArgs* a)
{
  sr_events_free(&a->events);
}
