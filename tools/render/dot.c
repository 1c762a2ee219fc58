/* SPDX-License-Identifier: ISC */
#include "dot.h"

#include <string.h>

/* Writes `text` escaped for a DOT double-quoted string. */
static void
put_escaped(FILE* out, const char* text)
{
  for (const unsigned char* c = (const unsigned char*)text; *c; ++c) {
    if (*c == '"' || *c == '\\') {
      fputc('\\', out);
      fputc(*c, out);
    } else if (*c < 0x20 || *c == 0x7f) {
      fputc(' ', out);
    } else {
      fputc(*c, out);
    }
  }
}

/* The parameter's value as a patch would write it: a choice by name. */
static void
put_value(FILE* out, const StParamSpec* spec, float value)
{
  if ((spec->flags & ST_PARAM_CHOICE) && spec->choices && value >= 0) {
    for (int i = 0; spec->choices[i]; ++i) {
      if ((float)i == value) {
        fputs(spec->choices[i], out);
        return;
      }
    }
  }
  fprintf(out, "%g", (double)value);
}

static const char*
node_style(const StNodeType* type)
{
  if (type->flags & ST_NODE_SINK) {
    return ", shape=box, style=\"filled,bold\", fillcolor=\"#f4c7a1\"";
  }
  if (!strcmp(type->name, "input") || !strcmp(type->name, "midi")) {
    return ", shape=box, style=\"filled,bold\", fillcolor=\"#b7e1b0\"";
  }
  return "";
}

static void
put_node(FILE* out, const StNodeSlot* s)
{
  const StNodeType* type = s->type;
  fprintf(out, "  \"%s\" [label=\"%s\\n(%s)", s->name, s->name, type->name);
  unsigned shown = 0;
  for (uint32_t p = 0; p < type->n_params; ++p) {
    const StParamSpec* spec  = &type->params[p];
    const float        value = s->params[p].target;
    if (memcmp(&value, &spec->def, sizeof(float)) == 0) {
      continue;
    }
    fputs(shown++ % 2 ? " " : "\\n", out);
    fprintf(out, "%s=", spec->name);
    put_value(out, spec, value);
  }
  fprintf(out, "\"%s];\n", node_style(type));
}

/* The output port of `src` as "node" and "port" names; false when unlinked. */
static bool
source_names(const StGraph* g, StSource src, const char** node, const char** port)
{
  const StNodeSlot* from = src.node == ST_NO_NODE ? NULL : st_graph_node_at(g, src.node);
  if (!from) {
    return false;
  }
  *node = from->name;
  *port = src.port < from->type->n_outputs ? from->type->outputs[src.port].name : "?";
  return true;
}

static void
put_links(FILE* out, const StGraph* g, const StNodeSlot* s)
{
  for (uint32_t i = 0; i < s->type->n_inputs; ++i) {
    const char* from = NULL;
    const char* port = NULL;
    if (source_names(g, s->src[i], &from, &port)) {
      fprintf(out, "  \"%s\" -> \"%s\" [label=\"%s->%s\"];\n", from, s->name, port,
              s->type->inputs[i].name);
    }
  }
}

static void
put_macros(FILE* out, const StGraph* g)
{
  uint32_t drawn = 0; // Bit per slot: its macro node is written.
  for (uint32_t m = 0; m < st_graph_map_count(g); ++m) {
    const StMacroMap* map  = st_graph_map_at(g, m);
    const StNodeSlot* node = st_graph_node(g, map->node);
    if (!node || map->param >= node->type->n_params) {
      continue;
    }
    if (!(drawn & (1u << map->slot))) {
      fprintf(out, "  \"macro %u\" [label=\"macro %u", map->slot + 1, map->slot + 1);
      if (map->label[0]) {
        fputs("\\n", out);
        put_escaped(out, map->label);
      }
      fputs("\", shape=ellipse, style=dashed];\n", out);
      drawn |= 1u << map->slot;
    }
    fprintf(out, "  \"macro %u\" -> \"%s\" [label=\"%s %g..%g%s\", style=dashed];\n",
            map->slot + 1, node->name, node->type->params[map->param].name, (double)map->min,
            (double)map->max, map->curve == ST_CURVE_EXPONENTIAL ? " exp" : "");
  }
}

static void
put_taps(FILE* out, const StGraph* g)
{
  static const char* const side[2] = {"left", "right"};
  bool                     host    = false;
  for (uint32_t c = 0; c < 2; ++c) {
    const char* from = NULL;
    const char* port = NULL;
    if (!source_names(g, st_graph_tap(g, c), &from, &port)) {
      continue;
    }
    if (!host) {
      fputs("  \"host output\" [shape=box, style=\"filled,bold\", fillcolor=\"#f4c7a1\"];\n",
            out);
      host = true;
    }
    fprintf(out, "  \"%s\" -> \"host output\" [label=\"%s->%s (tap)\"];\n", from, port,
            side[c]);
  }
}

bool
sr_dot_write(FILE* out, const StGraph* g, const char* title)
{
  fputs("digraph \"", out);
  put_escaped(out, title);
  fputs("\" {\n  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, label=\"", out);
  put_escaped(out, title);
  fputs("\"];\n"
        "  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=11];\n"
        "  edge [fontname=\"Helvetica\", fontsize=9];\n",
        out);
  for (uint32_t i = 0; i < st_graph_capacity(g); ++i) {
    const StNodeSlot* s = st_graph_node_at(g, i);
    if (s) {
      put_node(out, s);
    }
  }
  for (uint32_t i = 0; i < st_graph_capacity(g); ++i) {
    const StNodeSlot* s = st_graph_node_at(g, i);
    if (s) {
      put_links(out, g, s);
    }
  }
  put_taps(out, g);
  put_macros(out, g);
  fputs("}\n", out);
  return !ferror(out);
}
