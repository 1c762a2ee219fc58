/* SPDX-License-Identifier: ISC */
#include "reference.h"

#include "registry.h"
#include "voices.h"

#include <string.h>

static void
write_ports(FILE* out, const char* title, const StPortSpec* ports, uint32_t n)
{
  if (!n) {
    return;
  }
  fprintf(out, "| %s | description |\n|---|---|\n", title);
  for (uint32_t i = 0; i < n; ++i) {
    fprintf(out, "| `%s` | %s |\n", ports[i].name, ports[i].doc);
  }
  fputc('\n', out);
}

static void
write_choices(FILE* out, const StParamSpec* p)
{
  for (uint32_t i = 0; p->choices[i]; ++i) {
    fprintf(out, "%s`%s`", i ? ", " : "", p->choices[i]);
  }
}

static void
write_param(FILE* out, const StParamSpec* p)
{
  fprintf(out, "| `%s` | %s | ", p->name, p->unit);
  if (p->flags & ST_PARAM_CHOICE) {
    write_choices(out, p);
    fprintf(out, " | `%s` |", p->choices[(int)p->def]);
  } else {
    fprintf(out, "%g..%g%s | %g |", (double)p->min, (double)p->max,
            (p->flags & ST_PARAM_INT) ? " (integer)" : "", (double)p->def);
  }
  if (p->flags & ST_PARAM_FIXED) {
    fputs(" fixed at creation |", out);
  } else if (p->smooth > 0.0f) {
    fprintf(out, " %g ms |", (double)p->smooth * 1000.0);
  } else {
    fputs(" none |", out);
  }
  fprintf(out, " %s |\n", p->doc);
}

static void
write_type(FILE* out, const StNodeType* t)
{
  fprintf(out, "#### `%s`\n\n%s\n\n", t->name, t->doc);
  if (t->flags & ST_NODE_SINK) {
    fputs("Sink: its inputs are summed into the plugin output.\n\n", out);
  }
  if (t->flags & ST_NODE_EVENTS) {
    fputs("Receives the plugin's MIDI input, sample-accurately.\n\n", out);
  }
  if (t->quiet) {
    fputs("In a voice, lets it sleep only once what it holds is below -90 dBFS.\n\n", out);
  } else if (st_voice_keeps_awake(t)) {
    fputs("In a voice, keeps the voice from ever sleeping.\n\n", out);
  }
  write_ports(out, "input", t->inputs, t->n_inputs);
  write_ports(out, "output", t->outputs, t->n_outputs);
  if (t->n_params) {
    fputs("| parameter | unit | range | default | smoothing | description |\n"
          "|---|---|---|---|---|---|\n",
          out);
    for (uint32_t i = 0; i < t->n_params; ++i) {
      write_param(out, &t->params[i]);
    }
    fputc('\n', out);
  }
  fprintf(out, "Estimated cost: %g ns per frame.\n\n", (double)t->cost);
}

bool
st_reference_write(FILE* out)
{
  const char* family = "";
  fputs("## Node reference\n\n"
        "Generated from the type tables in `engine/nodes/` by `strata-reference`; "
        "do not edit by hand, run `ninja -C build update-reference`. Smoothing is the "
        "time constant with which a parameter follows a change (63 % of the way). An "
        "unlinked input reads 0. Pitch inputs and outputs are in octaves (1 per "
        "octave).\n\n",
        out);
  for (size_t i = 0; i < st_registry_count(); ++i) {
    const StNodeType* t = st_registry_at(i);
    if (strcmp(t->family, family)) {
      family = t->family;
      fprintf(out, "### %s\n\n", family);
    }
    write_type(out, t);
  }
  fputs("### Voice groups\n\n"
        "`voices NAME SUBPATCH` plays a sub-patch as a voice group ([voices.md](voices.md)). Its "
        "settings come before the parameters the sub-patch exposes.\n\n",
        out);
  fputs("| parameter | unit | range | default | smoothing | description |\n"
        "|---|---|---|---|---|---|\n",
        out);
  for (uint32_t i = 0; i < ST_GROUP_PARAMS; ++i) {
    write_param(out, &st_voice_group_params[i]);
  }
  fputs("\nThe group feeds each copy's inlets of these names:\n\n", out);
  write_ports(out, "inlet", st_voice_in_type.outputs, st_voice_in_type.n_outputs);
  return !ferror(out);
}
