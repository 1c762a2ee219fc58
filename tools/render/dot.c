/* SPDX-License-Identifier: ISC */
#include "dot.h"

#include "library.h"
#include "voices.h"

#include <string.h>

#define PREFIX_MAX (ST_SUBPATCH_MAX * ST_NAME_MAX + 1) ///< Bytes of a path through nested
                                                      ///< sub-patches ("pad/fx/"), each at most once

/* A DOT node id: `prefix` (the path of the clusters it is in), the node's
   name, and for an inlet or outlet node ":in:" or ":out:" and its name. */
typedef struct {
  const char* prefix;
  const char* node;
  const char* kind;
  const char* port;
} DotId;

static void
put_id(FILE* out, DotId id)
{
  fprintf(out, "\"%s%s%s%s\"", id.prefix, id.node, id.kind, id.port);
}

/* `prefix` followed by "name/": the prefix of the nodes inside `name`. */
static void
join_prefix(char* dst, const char* prefix, const char* name)
{
  const size_t p = strlen(prefix);
  const size_t n = strlen(name);
  if (p + n + 2 > PREFIX_MAX) { // Deeper than definitions can nest: cut, stay a string.
    memcpy(dst, prefix, p + 1);
    return;
  }
  memcpy(dst, prefix, p);
  memcpy(dst + p, name, n);
  dst[p + n]     = '/';
  dst[p + n + 1] = '\0';
}

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

static bool
is_group(const StNodeType* type)
{
  return (type->flags & ST_NODE_GROUP) != 0;
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
  if (type->flags & (ST_NODE_SUBPATCH | ST_NODE_GROUP)) {
    return ", style=\"rounded,filled\", fillcolor=\"#dbe4f3\", peripheries=2";
  }
  return "";
}

/* The parameters that differ from their defaults, two a line, but for
   those with their bit set in `skip`. */
static void
put_params(FILE* out, const StNodeSlot* s, uint32_t skip)
{
  unsigned shown = 0;
  for (uint32_t p = 0; p < s->type->n_params; ++p) {
    const StParamSpec* spec  = &s->type->params[p];
    const float        value = s->params[p].target;
    if ((p < 32 && (skip & (1u << p))) || memcmp(&value, &spec->def, sizeof(float)) == 0) {
      continue;
    }
    fputs(shown++ % 2 ? " " : "\\n", out);
    fprintf(out, "%s=", spec->name);
    put_value(out, spec, value);
  }
}

/* "name", "(type)", or for a voice group "name", "definition ×8 (poly)"; and
   the parameters set apart from their defaults (a group's count and mode
   are already said). */
static void
put_label(FILE* out, const StNodeSlot* s)
{
  if (!is_group(s->type)) {
    fprintf(out, "%s\\n(%s)", s->name, s->type->name);
    put_params(out, s, 0);
    return;
  }
  fprintf(out, "%s\\n%s \xc3\x97%g (", s->name, s->type->name,
          (double)s->params[ST_GROUP_COUNT].target);
  put_value(out, &s->type->params[ST_GROUP_MODE], s->params[ST_GROUP_MODE].target);
  fputc(')', out);
  put_params(out, s, (1u << ST_GROUP_COUNT) | (1u << ST_GROUP_MODE));
}

static void
put_node(FILE* out, const char* prefix, const StNodeSlot* s)
{
  fprintf(out, "  \"%s%s\" [label=\"", prefix, s->name);
  put_label(out, s);
  fprintf(out, "\"%s];\n", node_style(s->type));
}

/* The DOT id of output `port` of `s`: the node itself, or for an expanded
   sub-patch the outlet node inside its cluster. */
static DotId
output_id(const char* prefix, const StNodeSlot* s, uint32_t port, bool expanded)
{
  const StSubpatch* def = expanded ? st_subpatch_of(s->type) : NULL;
  if (def && port < def->n_outlets) {
    return (DotId){prefix, s->name, ":out:", def->outlets[port]};
  }
  return (DotId){prefix, s->name, "", ""};
}

/* The DOT id of input `input` of `s`, likewise through an inlet node. */
static DotId
input_id(const char* prefix, const StNodeSlot* s, uint32_t input, bool expanded)
{
  const StSubpatch* def = expanded ? st_subpatch_of(s->type) : NULL;
  if (def) {
    const uint32_t inlet = is_group(s->type) ? def->group_inlet[input] : input;
    return (DotId){prefix, s->name, ":in:", def->inlets[inlet]};
  }
  return (DotId){prefix, s->name, "", ""};
}

static const char*
port_name(const StPortSpec* ports, uint32_t n, uint32_t port)
{
  return port < n ? ports[port].name : "?";
}

static void
put_edge(FILE* out, DotId from, DotId to)
{
  fputs("  ", out);
  put_id(out, from);
  fputs(" -> ", out);
  put_id(out, to);
}

static void
put_links(FILE* out, const StGraph* g, const char* prefix, const StNodeSlot* s, bool expanded)
{
  for (uint32_t i = 0; i < s->type->n_inputs; ++i) {
    const StNodeSlot* from = s->src[i].node == ST_NO_NODE ? NULL
                                                         : st_graph_node_at(g, s->src[i].node);
    if (from) {
      put_edge(out, output_id(prefix, from, s->src[i].port, expanded),
               input_id(prefix, s, i, expanded));
      fprintf(out, " [label=\"%s->%s\"];\n",
              port_name(from->type->outputs, from->type->n_outputs, s->src[i].port),
              s->type->inputs[i].name);
    }
  }
}

static void put_graph(FILE* out, const StGraph* g, const char* prefix, bool expanded);

/* A voice group's allocator, inside its cluster: it feeds the inlets named
   in st_voice_inlets. */
static void
put_allocator(FILE* out, const char* prefix, const StNodeSlot* s, const StSubpatch* def)
{
  const DotId allocator = {prefix, s->name, ":voices", ""};
  fputs("  ", out);
  put_id(out, allocator);
  fputs(" [label=\"voice allocator\", shape=ellipse, style=filled, fillcolor=\"#b7e1b0\"];\n",
        out);
  for (uint32_t i = 0; i < def->n_inlets; ++i) {
    if (st_voice_inlet_index(def->inlets[i]) >= 0) {
      put_edge(out, allocator, (DotId){prefix, s->name, ":in:", def->inlets[i]});
      fputs(";\n", out);
    }
  }
}

static void
put_port_node(FILE* out, DotId id)
{
  fputs("  ", out);
  put_id(out, id);
  fprintf(out, " [label=\"%s\", shape=cds, style=filled, fillcolor=\"#eeeeee\"];\n", id.port);
}

/* The inlet and outlet nodes of the cluster of `s`. */
static void
put_port_nodes(FILE* out, const char* prefix, const StNodeSlot* s, const StSubpatch* def)
{
  for (uint32_t i = 0; i < def->n_inlets; ++i) {
    put_port_node(out, (DotId){prefix, s->name, ":in:", def->inlets[i]});
  }
  for (uint32_t o = 0; o < def->n_outlets; ++o) {
    put_port_node(out, (DotId){prefix, s->name, ":out:", def->outlets[o]});
  }
}

/* The links from the inlets of the cluster of `s` into the body, and from
   the body to its outlets. */
static void
put_port_links(FILE* out, const char* prefix, const StNodeSlot* s, const StSubpatch* def,
               const char* body_prefix)
{
  for (uint32_t l = 0; l < def->n_inlet_links; ++l) {
    const StInletLink* link = &def->inlet_links[l];
    const StNodeSlot*  to   = st_graph_node_at(def->body, link->node);
    if (to) {
      put_edge(out, (DotId){prefix, s->name, ":in:", def->inlets[link->inlet]},
               input_id(body_prefix, to, link->input, true));
      fprintf(out, " [label=\"->%s\"];\n",
              port_name(to->type->inputs, to->type->n_inputs, link->input));
    }
  }
  for (uint32_t o = 0; o < def->n_outlets; ++o) {
    const StSource    src  = def->outlet_src[o];
    const StNodeSlot* from = src.node == ST_NO_NODE ? NULL : st_graph_node_at(def->body, src.node);
    if (from) {
      put_edge(out, output_id(body_prefix, from, src.port, true),
               (DotId){prefix, s->name, ":out:", def->outlets[o]});
      fprintf(out, " [label=\"%s->\"];\n",
              port_name(from->type->outputs, from->type->n_outputs, src.port));
    }
  }
}

/* An instance or voice group as a cluster holding its definition's body. */
static void
put_cluster(FILE* out, const char* prefix, const StNodeSlot* s)
{
  const StSubpatch* def = st_subpatch_of(s->type);
  char              body_prefix[PREFIX_MAX];
  join_prefix(body_prefix, prefix, s->name);
  fprintf(out, "  subgraph \"cluster %s%s\" {\n  label=\"", prefix, s->name);
  put_label(out, s);
  fputs("\";\n  style=\"rounded,filled\";\n  fillcolor=\"#f3f6fb\";\n", out);
  put_port_nodes(out, prefix, s, def);
  put_graph(out, def->body, body_prefix, true);
  if (is_group(s->type)) {
    put_allocator(out, prefix, s, def);
  }
  put_port_links(out, prefix, s, def, body_prefix);
  fputs("  }\n", out);
}

/* The nodes (clusters when expanded) and links of one graph, ids under `prefix`. */
static void
put_graph(FILE* out, const StGraph* g, const char* prefix, bool expanded)
{
  for (uint32_t i = 0; i < st_graph_capacity(g); ++i) {
    const StNodeSlot* s = st_graph_node_at(g, i);
    if (s && expanded && st_subpatch_of(s->type)) {
      put_cluster(out, prefix, s);
    } else if (s) {
      put_node(out, prefix, s);
    }
  }
  for (uint32_t i = 0; i < st_graph_capacity(g); ++i) {
    const StNodeSlot* s = st_graph_node_at(g, i);
    if (s) {
      put_links(out, g, prefix, s, expanded);
    }
  }
}

/* The DOT id a macro map of parameter `param` of `s` points at: expanded,
   the body node an exposed parameter belongs to, or a group's allocator
   for its group settings. */
static void
put_param_id(FILE* out, const char* prefix, const StNodeSlot* s, uint32_t param, bool expanded)
{
  const StSubpatch* def = expanded ? st_subpatch_of(s->type) : NULL;
  if (!def) {
    put_id(out, (DotId){prefix, s->name, "", ""});
  } else if (is_group(s->type) && param < ST_GROUP_PARAMS) {
    put_id(out, (DotId){prefix, s->name, ":voices", ""});
  } else {
    char body_prefix[PREFIX_MAX];
    join_prefix(body_prefix, prefix, s->name);
    const StExposed* e = &def->exposed[is_group(s->type) ? param - ST_GROUP_PARAMS : param];
    put_param_id(out, body_prefix, st_graph_node_at(def->body, e->node), e->param, true);
  }
}

static void
put_macros(FILE* out, const StGraph* g, bool expanded)
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
    fprintf(out, "  \"macro %u\" -> ", map->slot + 1);
    put_param_id(out, "", node, map->param, expanded);
    fprintf(out, " [label=\"%s %g..%g%s\", style=dashed];\n",
            node->type->params[map->param].name, (double)map->min,
            (double)map->max, map->curve == ST_CURVE_EXPONENTIAL ? " exp" : "");
  }
}

static void
put_taps(FILE* out, const StGraph* g, bool expanded)
{
  static const char* const side[2] = {"left", "right"};
  bool                     host    = false;
  for (uint32_t c = 0; c < 2; ++c) {
    const StSource    src  = st_graph_tap(g, c);
    const StNodeSlot* from = src.node == ST_NO_NODE ? NULL : st_graph_node_at(g, src.node);
    if (!from) {
      continue;
    }
    if (!host) {
      fputs("  \"host output\" [shape=box, style=\"filled,bold\", fillcolor=\"#f4c7a1\"];\n",
            out);
      host = true;
    }
    fputs("  ", out);
    put_id(out, output_id("", from, src.port, expanded));
    fprintf(out, " -> \"host output\" [label=\"%s->%s (tap)\"];\n",
            port_name(from->type->outputs, from->type->n_outputs, src.port), side[c]);
  }
}

bool
sr_dot_write(FILE* out, const StGraph* g, const char* title, bool expanded)
{
  fputs("digraph \"", out);
  put_escaped(out, title);
  fputs("\" {\n  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, label=\"", out);
  put_escaped(out, title);
  fputs("\"];\n"
        "  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=11];\n"
        "  edge [fontname=\"Helvetica\", fontsize=9];\n",
        out);
  put_graph(out, g, "", expanded);
  put_taps(out, g, expanded);
  put_macros(out, g, expanded);
  fputs("}\n", out);
  return !ferror(out);
}
