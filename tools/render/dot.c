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

static void
put_links(FILE* out, const StGraph* g, const StNodeSlot* s)
{
  for (uint32_t i = 0; i < s->type->n_inputs; ++i) {
    const StSource src = s->src[i];
    if (src.node == ST_NO_NODE || src.node >= g->arena.capacity ||
        !st_arena_live(&g->arena, src.node)) {
      continue;
    }
    const StNodeSlot* from = &g->slots[src.node];
    const char* port = src.port < from->type->n_outputs ? from->type->outputs[src.port].name : "?";
    fprintf(out, "  \"%s\" -> \"%s\" [label=\"%s->%s\"];\n", from->name, s->name, port,
            s->type->inputs[i].name);
  }
}

static void
put_macros(FILE* out, const StGraph* g)
{
  uint32_t drawn = 0; // Bit per slot: its macro node is written.
  for (uint32_t m = 0; m < g->n_maps; ++m) {
    const StMacroMap* map  = &g->maps[m];
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
    const StSource tap = g->taps[c];
    if (tap.node == ST_NO_NODE || tap.node >= g->arena.capacity ||
        !st_arena_live(&g->arena, tap.node)) {
      continue;
    }
    if (!host) {
      fputs("  \"host output\" [shape=box, style=\"filled,bold\", fillcolor=\"#f4c7a1\"];\n",
            out);
      host = true;
    }
    const StNodeSlot* from = &g->slots[tap.node];
    const char* port = tap.port < from->type->n_outputs ? from->type->outputs[tap.port].name : "?";
    fprintf(out, "  \"%s\" -> \"host output\" [label=\"%s->%s (tap)\"];\n", from->name, port,
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
  for (uint32_t i = 0; i < g->arena.capacity; ++i) {
    if (st_arena_live(&g->arena, i)) {
      put_node(out, &g->slots[i]);
    }
  }
  for (uint32_t i = 0; i < g->arena.capacity; ++i) {
    if (st_arena_live(&g->arena, i)) {
      put_links(out, g, &g->slots[i]);
    }
  }
  put_taps(out, g);
  put_macros(out, g);
  fputs("}\n", out);
  return !ferror(out);
}
