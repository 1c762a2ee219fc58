/* SPDX-License-Identifier: ISC */
/* Graph to patch text: the patch name, the sub-patch definitions, every
   node declared in index order (the implicit ones too, so reading the text
   back gives each node the same index), then links, taps, macros and node
   positions. */
#include "patch.h"

#include "library.h"

#include "patch_number.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENDPOINT_BYTES 128 ///< Bytes of "node.port" with the zero
#define BODY_INDENT "  "   ///< Before each statement inside a definition

/* A growing text; `failed` once an allocation failed. */
typedef struct {
  char*  data;
  size_t length;
  size_t capacity;
  bool   failed;
} Text;

#ifdef __GNUC__
__attribute__((format(printf, 2, 3)))
#endif
static void
put(Text* t, const char* fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  const int n = vsnprintf(NULL, 0, fmt, args);
  va_end(args);
  const size_t need = t->length + (size_t)(n > 0 ? n : 0) + 1;
  if (t->failed || n < 0) {
    t->failed = true;
    return;
  }
  if (need > t->capacity) {
    const size_t capacity = need > 2 * t->capacity ? need : 2 * t->capacity;
    char*        data     = realloc(t->data, capacity);
    if (!data) {
      t->failed = true;
      return;
    }
    t->data     = data;
    t->capacity = capacity;
  }
  va_start(args, fmt);
  vsnprintf(t->data + t->length, t->capacity - t->length, fmt, args);
  va_end(args);
  t->length += (size_t)n;
}

static bool
is_name(const char* s)
{
  if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_')) {
    return false;
  }
  while (*++s) {
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
          *s == '_')) {
      return false;
    }
  }
  return true;
}

static size_t
count_choices(const StParamSpec* spec)
{
  size_t n = 0;
  while (spec->choices && spec->choices[n]) {
    ++n;
  }
  return n;
}

/* A value as the patch writes it: a choice by name when it has one the
   parser can read back (not for -0, which a name would turn into +0), any
   other value as the shortest exact number. */
static const char*
format_value(const StParamSpec* spec, float value, char text[ST_NUMBER_TEXT])
{
  if ((spec->flags & ST_PARAM_CHOICE) && !signbit(value) && value < (float)count_choices(spec) &&
      value == floorf(value) && is_name(spec->choices[(size_t)value])) {
    return spec->choices[(size_t)value];
  }
  st_number_format(value, text);
  return text;
}

static bool
same_bits(float a, float b)
{
  return !memcmp(&a, &b, sizeof(float));
}

static bool
has_changed_params(const StNodeSlot* slot)
{
  for (uint32_t i = 0; i < slot->type->n_params; ++i) {
    if (!same_bits(slot->params[i].target, slot->type->params[i].def)) {
      return true;
    }
  }
  return false;
}

static void
endpoint(char out[ENDPOINT_BYTES], const StNodeSlot* slot, const char* item)
{
  snprintf(out, ENDPOINT_BYTES, "%s.%s", slot->name, item);
}

static int
width(size_t length)
{
  return length < ENDPOINT_BYTES ? (int)length : ENDPOINT_BYTES;
}

static bool
has_groups(const StGraph* g)
{
  for (uint32_t n = 0; n < g->arena.capacity; ++n) {
    if (st_arena_live(&g->arena, n) && (g->slots[n].type->flags & ST_NODE_GROUP)) {
      return true;
    }
  }
  return false;
}

/* Nodes (and voice groups) with the parameters that differ from their
   defaults, names and types aligned. */
static void
write_nodes(Text* t, const StGraph* g, const char* indent)
{
  size_t    name_w = 0, type_w = 0;
  const int word_w = has_groups(g) ? (int)strlen("voices") : 0;
  for (uint32_t n = 0; n < g->arena.capacity; ++n) {
    if (st_arena_live(&g->arena, n)) {
      const size_t nl = strlen(g->slots[n].name), tl = strlen(g->slots[n].type->name);
      name_w = nl > name_w ? nl : name_w;
      type_w = tl > type_w ? tl : type_w;
    }
  }
  for (uint32_t n = 0; n < g->arena.capacity; ++n) {
    const StNodeSlot* slot = &g->slots[n];
    if (!st_arena_live(&g->arena, n)) {
      continue;
    }
    const bool params = has_changed_params(slot);
    put(t, "%s%-*s %-*s %-*s", indent, word_w,
        slot->type->flags & ST_NODE_GROUP ? "voices" : "node", width(name_w), slot->name,
        params ? width(type_w) : 0, slot->type->name);
    for (uint32_t i = 0; i < slot->type->n_params; ++i) {
      const StParamSpec* spec = &slot->type->params[i];
      char               text[ST_NUMBER_TEXT];
      if (!same_bits(slot->params[i].target, spec->def)) {
        put(t, " %s=%s", spec->name, format_value(spec, slot->params[i].target, text));
      }
    }
    put(t, "\n");
  }
}

/* One link line, or on the measuring pass (`pass` 0) its source's width. */
static void
link_line(Text* t, int pass, size_t* from_w, const char* indent, const char* from,
          const char* to)
{
  if (pass == 0) {
    *from_w = strlen(from) > *from_w ? strlen(from) : *from_w;
  } else {
    put(t, "%slink %-*s -> %s\n", indent, width(*from_w), from, to);
  }
}

/* The links between a graph's nodes by destination, in index and port order. */
static void
graph_links(Text* t, int pass, size_t* from_w, const StGraph* g, const char* indent)
{
  char from[ENDPOINT_BYTES], to[ENDPOINT_BYTES];
  for (uint32_t n = 0; n < g->arena.capacity; ++n) {
    const StNodeSlot* slot = &g->slots[n];
    for (uint32_t i = 0; st_arena_live(&g->arena, n) && i < slot->type->n_inputs; ++i) {
      const StSource src = slot->src[i];
      if (src.node == ST_NO_NODE) {
        continue;
      }
      const StNodeSlot* s = &g->slots[src.node];
      endpoint(from, s, s->type->outputs[src.port].name);
      endpoint(to, slot, slot->type->inputs[i].name);
      link_line(t, pass, from_w, indent, from, to);
    }
  }
}

/* Links, arrows aligned, after a blank line. */
static void
write_links(Text* t, const StGraph* g)
{
  size_t from_w = 0;
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1 && from_w) {
      put(t, "\n");
    }
    graph_links(t, pass, &from_w, g, "");
  }
}

static void
write_taps(Text* t, const StGraph* g)
{
  static const char* const sides[] = {"left", "right"};
  for (uint32_t c = 0; c < 2; ++c) {
    const StSource tap = g->taps[c];
    if (tap.node != ST_NO_NODE) {
      const StNodeSlot* s = &g->slots[tap.node];
      put(t, "%stap %s %s.%s\n", c == 0 || g->taps[0].node == ST_NO_NODE ? "\n" : "", sides[c],
          s->name, s->type->outputs[tap.port].name);
    }
  }
}

/* A label in quotes: '"' and '\' escaped, control bytes as \xHH, the rest as is. */
static void
write_label(Text* t, const char* label)
{
  put(t, " \"");
  for (const unsigned char* c = (const unsigned char*)label; *c; ++c) {
    if (*c == '"' || *c == '\\') {
      put(t, "\\%c", *c);
    } else if (*c < 0x20 || *c == 0x7f) {
      put(t, "\\x%02x", *c);
    } else {
      put(t, "%c", *c);
    }
  }
  put(t, "\"");
}

static void
write_macros(Text* t, const StGraph* g)
{
  for (uint32_t m = 0; m < g->n_maps; ++m) {
    const StMacroMap*  map  = &g->maps[m];
    const StNodeSlot*  s    = &g->slots[map->node.index];
    const StParamSpec* spec = &s->type->params[map->param];
    char               min[ST_NUMBER_TEXT], max[ST_NUMBER_TEXT];
    put(t, "%smacro %u %s.%s %s..%s%s", m == 0 ? "\n" : "", map->slot + 1, s->name, spec->name,
        format_value(spec, map->min, min), format_value(spec, map->max, max),
        map->curve == ST_CURVE_EXPONENTIAL ? " exp" : "");
    if (map->label[0]) {
      write_label(t, map->label);
    }
    put(t, "\n");
  }
}

/* Positions of the placed nodes, in node order. */
static void
write_places(Text* t, const StGraph* g, const char* indent)
{
  bool first = true;
  for (uint32_t n = 0; n < g->arena.capacity; ++n) {
    const StNodeSlot* slot = &g->slots[n];
    if (st_arena_live(&g->arena, n) && slot->placed) {
      char x[ST_NUMBER_TEXT], y[ST_NUMBER_TEXT];
      st_number_format(slot->x, x);
      st_number_format(slot->y, y);
      put(t, "%s%splace %s %s %s\n", first ? "\n" : "", indent, slot->name, x, y);
      first = false;
    }
  }
}

/* A definition's links: between body nodes, from inlets, into outlets. */
static void
write_def_links(Text* t, const StSubpatch* def)
{
  char   from[ENDPOINT_BYTES], to[ENDPOINT_BYTES];
  size_t from_w = 0;
  for (int pass = 0; pass < 2; ++pass) {
    if (pass == 1 && from_w) {
      put(t, "\n");
    }
    graph_links(t, pass, &from_w, def->body, BODY_INDENT);
    for (uint32_t k = 0; k < def->n_inlet_links; ++k) {
      const StInletLink* l    = &def->inlet_links[k];
      const StNodeSlot*  slot = &def->body->slots[l->node];
      endpoint(to, slot, slot->type->inputs[l->input].name);
      link_line(t, pass, &from_w, BODY_INDENT, def->inlets[l->inlet], to);
    }
    for (uint32_t o = 0; o < def->n_outlets; ++o) {
      const StSource src = def->outlet_src[o];
      if (src.node != ST_NO_NODE) {
        const StNodeSlot* s = &def->body->slots[src.node];
        endpoint(from, s, s->type->outputs[src.port].name);
        link_line(t, pass, &from_w, BODY_INDENT, from, def->outlets[o]);
      }
    }
  }
}

/* `inlet a b c` or `outlet x y`, when there are any. */
static void
write_ports(Text* t, const char* word, const char (*names)[ST_NAME_MAX], uint32_t n)
{
  if (n == 0) {
    return;
  }
  put(t, BODY_INDENT "%s", word);
  for (uint32_t i = 0; i < n; ++i) {
    put(t, " %s", names[i]);
  }
  put(t, "\n");
}

static void
write_exposed(Text* t, const StSubpatch* def)
{
  for (uint32_t e = 0; e < def->n_exposed; ++e) {
    const StExposed*  x    = &def->exposed[e];
    const StNodeSlot* slot = &def->body->slots[x->node];
    put(t, "%s" BODY_INDENT "param %s %s.%s\n", e == 0 ? "\n" : "", x->name, slot->name,
        slot->type->params[x->param].name);
  }
}

static void
write_definition(Text* t, const StSubpatch* def)
{
  put(t, "\nsubpatch %s\n", def->name);
  write_ports(t, "inlet", def->inlets, def->n_inlets);
  write_ports(t, "outlet", def->outlets, def->n_outlets);
  write_nodes(t, def->body, BODY_INDENT);
  write_def_links(t, def);
  write_exposed(t, def);
  write_places(t, def->body, BODY_INDENT);
  put(t, "end\n");
}

char*
st_patch_write(const StGraph* model)
{
  StNumberLocale locale;
  if (!model || st_number_begin(&locale)) {
    return NULL;
  }
  Text t = {NULL, 0, 0, false};
  put(&t, "# Strata patch\n");
  if (model->name[0]) {
    put(&t, "name");
    write_label(&t, model->name);
    put(&t, "\n");
  }
  for (uint32_t d = 0; model->library && d < model->library->count; ++d) {
    write_definition(&t, model->library->defs[d]);
    put(&t, "%s", d + 1 == model->library->count ? "\n" : "");
  }
  write_nodes(&t, model, "");
  write_links(&t, model);
  write_taps(&t, model);
  write_macros(&t, model);
  write_places(&t, model, "");
  st_number_end(&locale);
  if (t.failed) {
    free(t.data);
    return NULL;
  }
  return t.data;
}
