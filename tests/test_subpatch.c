/* SPDX-License-Identifier: ISC */
/* Sub-patches in the patch text: definitions read into a library, the node
   types made from them, instances and voice groups, writing, round trips
   (hand-written and random) and equality. */
#include "graph.h"
#include "library.h"
#include "patch.h"
#include "patch_support.h"
#include "test_patch_catalog.h"
#include "voices.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The brief's voice, in the test catalog's types. */
static const char* const voice_patch = "subpatch voice\n"
                                       "  inlet  gate pitch\n"
                                       "  inlet  bright\n"
                                       "  outlet out\n"
                                       "  node osc testosc wave=square\n"
                                       "  node vcf testfilt cutoff=1200 res=0.3 size=4\n"
                                       "  node env testenv attack=0.02\n"
                                       "  node amp testmix\n"
                                       "  link pitch   -> osc.pitch\n"
                                       "  link gate    -> env.gate\n"
                                       "  link osc.out -> vcf.in\n"
                                       "  link bright  -> vcf.cutoff\n"
                                       "  link vcf.lp  -> amp.a\n"
                                       "  link env.out -> amp.b\n"
                                       "  link amp.out -> out\n"
                                       "  param cutoff vcf.cutoff\n"
                                       "  param size vcf.size\n"
                                       "  place osc 40 120\n"
                                       "end\n"
                                       "\n"
                                       "node fx voice cutoff=900\n"
                                       "voices pad voice count=4 mode=mono cutoff=2000\n"
                                       "link midi.gate -> fx.gate\n"
                                       "link fx.out -> out.left\n"
                                       "link pad.out -> out.right\n"
                                       "macro 1 pad.cutoff 80..12000 exp \"Cutoff\"\n";

/* --- Reading --- */

START_TEST(test_definition)
{
  StGraph* g = parse_ok(voice_patch);
  ck_assert_ptr_nonnull(g->library);
  ck_assert_uint_eq(g->library->count, 1);
  const StSubpatch* def = st_library_find(g->library, "voice");
  ck_assert_ptr_eq(def, g->library->defs[0]);
  ck_assert_ptr_null(st_library_find(g->library, "voic"));
  ck_assert_ptr_null(def->body->library);
  ck_assert_uint_eq(st_graph_count(def->body), 4);
  ck_assert_uint_eq(def->flat_nodes, 4);
  ck_assert_uint_eq(def->n_inlets, 3);
  ck_assert_str_eq(def->inlets[2], "bright");
  ck_assert_uint_eq(def->n_outlets, 1);
  // Inlet links in the order written; body links in the body.
  ck_assert_uint_eq(def->n_inlet_links, 3);
  const uint32_t osc = st_graph_find(def->body, "osc").index;
  const uint32_t vcf = st_graph_find(def->body, "vcf").index;
  const uint32_t amp = st_graph_find(def->body, "amp").index;
  ck_assert_uint_eq(def->inlet_links[0].inlet, 1);
  ck_assert_uint_eq(def->inlet_links[0].node, osc);
  ck_assert_uint_eq(def->inlet_links[0].input, 0);
  ck_assert_uint_eq(def->inlet_links[2].inlet, 2);
  ck_assert_uint_eq(def->inlet_links[2].node, vcf);
  ck_assert_uint_eq(def->inlet_links[2].input, 1);
  ck_assert_uint_eq(def->body->slots[vcf].src[0].node, osc);
  ck_assert_uint_eq(def->outlet_src[0].node, amp);
  ck_assert_uint_eq(def->outlet_src[0].port, 0);
  ck_assert_uint_eq(def->outlet_src[1].node, ST_NO_NODE);
  ck_assert(def->body->slots[osc].placed);

  // One copy: inlets in, outlets out, exposed parameters with the body's values.
  const StNodeType* type = &def->type;
  ck_assert_str_eq(type->name, "voice");
  ck_assert_str_eq(type->family, "Sub-patches");
  ck_assert_uint_eq(type->flags, ST_NODE_SUBPATCH);
  ck_assert_uint_eq(type->n_inputs, 3);
  ck_assert_str_eq(type->inputs[1].name, "pitch");
  ck_assert_uint_eq(type->n_outputs, 1);
  ck_assert_str_eq(type->outputs[0].name, "out");
  ck_assert_uint_eq(type->n_params, 2);
  ck_assert_str_eq(type->params[0].name, "cutoff");
  ck_assert_str_eq(type->params[0].unit, "Hz");
  ck_assert_float_eq(type->params[0].min, 20.0f);
  ck_assert_float_eq(type->params[0].def, 1200.0f);
  ck_assert_uint_eq(type->params[1].flags, ST_PARAM_FIXED | ST_PARAM_INT);
  ck_assert_float_eq(type->params[1].def, 4.0f);
  ck_assert_float_eq(type->cost, 4.0f);
  ck_assert(type->process == NULL && type->state_size == NULL && type->init == NULL);

  // A voice group: the inlets the allocator does not feed, settings, then exposed.
  const StNodeType* group = &def->group;
  ck_assert_uint_eq(group->flags, ST_NODE_GROUP | ST_NODE_EVENTS);
  ck_assert_uint_eq(group->n_inputs, 1);
  ck_assert_str_eq(group->inputs[0].name, "bright");
  ck_assert_uint_eq(def->group_inlet[0], 2);
  ck_assert_uint_eq(group->n_outputs, 1);
  ck_assert_uint_eq(group->n_params, ST_GROUP_PARAMS + 2);
  for (uint32_t i = 0; i < ST_GROUP_PARAMS; ++i) {
    ck_assert_str_eq(group->params[i].name, st_voice_group_params[i].name);
  }
  ck_assert_str_eq(group->params[ST_GROUP_PARAMS].name, "cutoff");
  ck_assert_float_eq(group->cost, 32.0f);

  // Instances and groups are nodes like any other.
  const StNodeSlot* fx  = node(g, "fx");
  const StNodeSlot* pad = node(g, "pad");
  ck_assert_ptr_eq(fx->type, type);
  ck_assert_ptr_eq(pad->type, group);
  ck_assert_ptr_eq(st_subpatch_of(fx->type), def);
  ck_assert_ptr_eq(st_subpatch_of(pad->type), def);
  ck_assert_ptr_null(st_subpatch_of(node(g, "out")->type));
  ck_assert_float_eq(fx->params[0].target, 900.0f);
  ck_assert_float_eq(fx->params[1].target, 4.0f);
  ck_assert_float_eq(pad->params[ST_GROUP_COUNT].target, 4.0f);
  ck_assert_float_eq(pad->params[ST_GROUP_MODE].target, 1.0f);
  ck_assert_float_eq(pad->params[ST_GROUP_PARAMS].target, 2000.0f);
  ck_assert_uint_eq(fx->src[0].node, st_graph_find(g, "midi").index);
  ck_assert_uint_eq(g->n_maps, 1);
  ck_assert_uint_eq(g->maps[0].param, ST_GROUP_PARAMS);
  ck_assert(st_graph_has_instances(g));
  st_graph_free(g);
}
END_TEST

START_TEST(test_nested)
{
  StGraph*          g    = parse_ok("subpatch tone\n"
                                                "  outlet out\n"
                                                "  node o testosc freq=220\n"
                                                "  node f testfilt\n"
                                                "  link o.out -> f.in\n"
                                                "  link f.lp -> out\n"
                                                "  param freq o.freq\n"
                                                "  param size f.size\n"
                                                "end\n"
                                                "subpatch pair\n"
                                                "  outlet a b\n"
                                                "  node t1 tone freq=330\n"
                                                "  node t2 tone\n"
                                                "  node m testmix\n"
                                                "  link t1.out -> m.a\n"
                                                "  link t2.out -> m.b\n"
                                                "  link m.out -> a\n"
                                                "  link t1.out -> b\n"
                                                "  param pitch t1.freq\n"
                                                "  param size t2.size\n"
                                                "end\n"
                                                "node p pair\n"
                                                "macro 2 p.pitch 100..200\n");
  const StSubpatch* tone = g->library->defs[0];
  const StSubpatch* pair = g->library->defs[1];
  ck_assert_uint_eq(tone->flat_nodes, 2);
  ck_assert_uint_eq(pair->flat_nodes, 5);
  ck_assert_float_eq(tone->type.cost, 2.0f);
  ck_assert_float_eq(pair->type.cost, 5.0f);
  // A nested instance's exposed parameter, exposed again: its value in the body.
  ck_assert_float_eq(pair->type.params[0].def, 330.0f);
  ck_assert_str_eq(pair->type.params[0].unit, "Hz");
  ck_assert_uint_eq(pair->type.params[1].flags, ST_PARAM_FIXED | ST_PARAM_INT);
  ck_assert_ptr_eq(node(pair->body, "t1")->type, &tone->type);
  ck_assert_uint_eq(tone->type.n_inputs, 0);
  ck_assert_uint_eq(tone->group.n_inputs, 0);
  ck_assert_uint_eq(g->maps[0].param, 0);
  check_round_trip(g);
  st_graph_free(g);
}
END_TEST

START_TEST(test_library_shared)
{
  StGraph*   g       = parse_ok(voice_patch);
  StGraph*   h       = new_model();
  StLibrary* library = g->library;
  ck_assert_uint_eq(library->refs, 1);
  st_graph_copy(h, g);
  ck_assert_ptr_eq(h->library, library);
  ck_assert_uint_eq(library->refs, 2);
  ck_assert(st_patch_equal(g, h));
  st_graph_clear(h);
  ck_assert_ptr_eq(h->library, library);

  // A failed parse keeps the library; a good one replaces it, or drops it.
  StPatchError e;
  ck_assert_int_eq(parse("subpatch a\nend\nnode x nope\n", g, &e), ST_ERR_UNKNOWN);
  ck_assert_ptr_eq(g->library, library);
  ck_assert_uint_eq(library->refs, 2);
  ck_assert_int_eq(parse("subpatch a\nend\n", g, &e), ST_OK);
  ck_assert_ptr_ne(g->library, library);
  ck_assert_uint_eq(g->library->count, 1);
  ck_assert_uint_eq(library->refs, 1);
  ck_assert_int_eq(parse("node x testosc\n", g, &e), ST_OK);
  ck_assert_ptr_null(g->library);
  ck_assert(!st_graph_has_instances(g));
  st_graph_copy(h, g);
  ck_assert_ptr_null(h->library);  // The last reference went with it.
  st_graph_free(g);
  st_graph_free(h);
}
END_TEST

START_TEST(test_rules)
{
  // Inlets fan out; links from inlets and between nodes come in any order;
  // an inlet, outlet or node may be named like the implicit nodes inside.
  StGraph*          g   = parse_ok("subpatch s\n"
                                              "  inlet in\n"
                                              "  node a testmix\n"
                                              "  link in -> a.c\n"
                                              "  node b testmix\n"
                                              "  link a.out -> b.a\n"
                                              "  link in -> b.b\n"
                                              "  node midi testenv\n"
                                              "  outlet out\n"
                                              "end\n"
                                              "voices v s\n");
  const StSubpatch* def = g->library->defs[0];
  ck_assert_uint_eq(def->n_inlet_links, 2);
  ck_assert_uint_eq(def->outlet_src[0].node, ST_NO_NODE);
  ck_assert_uint_eq(node(g, "v")->type->n_inputs, 1);  // "in" is no voice inlet.
  ck_assert_float_eq(node(g, "v")->params[ST_GROUP_COUNT].target,
                     st_voice_group_params[ST_GROUP_COUNT].def);
  check_round_trip(g);
  st_graph_free(g);
}
END_TEST

/* --- Writing --- */

START_TEST(test_write_format)
{
  StGraph* g    = parse_ok(voice_patch);
  char*    text = st_patch_write(g);
  ck_assert_str_eq(text, "# Strata patch\n"
                         "\n"
                         "subpatch voice\n"
                         "  inlet gate pitch bright\n"
                         "  outlet out\n"
                         "  node osc testosc  wave=square\n"
                         "  node vcf testfilt cutoff=1200 res=0.3 size=4\n"
                         "  node env testenv  attack=0.02\n"
                         "  node amp testmix\n"
                         "\n"
                         "  link osc.out -> vcf.in\n"
                         "  link vcf.lp  -> amp.a\n"
                         "  link env.out -> amp.b\n"
                         "  link pitch   -> osc.pitch\n"
                         "  link gate    -> env.gate\n"
                         "  link bright  -> vcf.cutoff\n"
                         "  link amp.out -> out\n"
                         "\n"
                         "  param cutoff vcf.cutoff\n"
                         "  param size vcf.size\n"
                         "\n"
                         "  place osc 40 120\n"
                         "end\n"
                         "\n"
                         "node   fx   voice  cutoff=900\n"
                         "voices pad  voice  count=4 mode=mono cutoff=2000\n"
                         "node   midi midi\n"
                         "node   out  output\n"
                         "\n"
                         "link midi.gate -> fx.gate\n"
                         "link fx.out    -> out.left\n"
                         "link pad.out   -> out.right\n"
                         "\n"
                         "macro 1 pad.cutoff 80..12000 exp \"Cutoff\"\n");
  free(text);
  check_round_trip(g);
  st_graph_free(g);
}
END_TEST

START_TEST(test_write_unused)
{
  // A definition used nowhere, an empty one, and a patch name.
  StGraph* g    = parse_ok("name \"Kept\"\nsubpatch e\nend\nsubpatch u\n  inlet x\n"
                              "  node a testenv\n  link x -> a.gate\nend\nnode n testmix\n");
  char*    text = st_patch_write(g);
  ck_assert_str_eq(text, "# Strata patch\n"
                         "name \"Kept\"\n"
                         "\n"
                         "subpatch e\n"
                         "end\n"
                         "\n"
                         "subpatch u\n"
                         "  inlet x\n"
                         "  node a testenv\n"
                         "\n"
                         "  link x -> a.gate\n"
                         "end\n"
                         "\n"
                         "node n testmix\n");
  free(text);
  check_round_trip(g);
  st_graph_free(g);
}
END_TEST

/* --- Random round trips --- */

/* A random value of a parameter as patch text: an edge, the default or between. */
static void
random_value(uint64_t* seed, const StParamSpec* spec, char* out, size_t size)
{
  float v;
  switch (test_rand(seed) % 4) {
  case 0:
    v = spec->min;
    break;
  case 1:
    v = spec->max;
    break;
  case 2:
    v = spec->def;
    break;
  default: {
    const float f = (float)(test_rand(seed) % 1000) / 1000.0f;
    v             = spec->min * (1.0f - f) + spec->max * f;  // No overflow on huge ranges.
  }
  }
  if (spec->flags & (ST_PARAM_INT | ST_PARAM_CHOICE)) {
    v = (float)(int)v;
  }
  snprintf(out, size, "%.9g", (double)v);
}

/* " p=v" for some parameters of `type`. */
static void
random_params(uint64_t* seed, const StNodeType* type, uint32_t skip, char* out, size_t size)
{
  size_t len = strlen(out);
  for (uint32_t p = skip; p < type->n_params; ++p) {
    if (test_rand(seed) % 3 == 0) {
      char value[64];
      random_value(seed, &type->params[p], value, sizeof(value));
      len += (size_t)snprintf(out + len, size - len, " %s=%s", type->params[p].name, value);
    }
  }
}

typedef struct {
  char*  data;
  size_t length;
} Out;

#ifdef __GNUC__
__attribute__((format(printf, 2, 3)))
#endif
static void
emit(Out* o, const char* fmt, ...)
{
  va_list args;
  va_start(args, fmt);
  o->length += (size_t)vsnprintf(o->data + o->length, 65536 - o->length, fmt, args);
  va_end(args);
}

/* A node type for a random node: built in, or an earlier definition. */
static const StNodeType*
random_type(uint64_t* seed, const StGraph* parsed_so_far, uint32_t defs)
{
  static const char* const builtin[] = {"testosc", "testfilt", "testmix", "testenv"};
  const uint32_t           pick      = test_rand(seed) % (4 + defs);
  return pick < 4 ? test_find(builtin[pick]) : &parsed_so_far->library->defs[pick - 4]->type;
}

/* Parses what was emitted so far plus the closing text, to know the types built. */
static StGraph*
parse_prefix(const Out* o)
{
  return parse_ok(o->data);
}

/* One random definition: inlets, outlets, nodes (built-in or earlier
   definitions), links from lower to higher nodes, inlet and outlet links,
   exposed parameters, places. */
static void
random_definition(Out* o, uint64_t* seed, uint32_t d)
{
  StGraph*          known = parse_prefix(o);  // The earlier definitions, as types.
  const uint32_t    n_in = test_rand(seed) % 4, n_out = test_rand(seed) % 3;
  const uint32_t    n = test_rand(seed) % 6;
  const StNodeType* types[6];
  uint32_t          linked[6] = {0};
  emit(o, "subpatch d%u\n", d);
  for (uint32_t i = 0; i < n_in; ++i) {
    emit(o, "%s i%u", i == 0 ? "  inlet" : "", i);
  }
  emit(o, "%s", n_in ? "\n" : "");
  for (uint32_t i = 0; i < n_out; ++i) {
    emit(o, "  outlet o%u\n", i);
  }
  for (uint32_t k = 0; k < n; ++k) {
    char params[1024] = "";
    types[k]          = random_type(seed, known, d);
    random_params(seed, types[k], 0, params, sizeof(params));
    emit(o, "  node n%u %s%s\n", k, types[k]->name, params);
  }
  for (uint32_t l = 0; n && l < 2 * n; ++l) {
    const uint32_t a = test_rand(seed) % n, b = test_rand(seed) % n;
    const bool     from_inlet = n_in && test_rand(seed) % 3 == 0;
    if ((!from_inlet && a >= b) || !types[b]->n_inputs ||
        (!from_inlet && !types[a]->n_outputs)) {
      continue;
    }
    const uint32_t in = test_rand(seed) % types[b]->n_inputs;
    if (linked[b] & (1u << in)) {
      continue;
    }
    linked[b] |= 1u << in;
    if (from_inlet) {
      emit(o, "  link i%u -> n%u.%s\n", test_rand(seed) % n_in, b, types[b]->inputs[in].name);
    } else {
      emit(o, "  link n%u.%s -> n%u.%s\n", a,
           types[a]->outputs[test_rand(seed) % types[a]->n_outputs].name, b,
           types[b]->inputs[in].name);
    }
  }
  for (uint32_t i = 0; n && i < n_out; ++i) {
    const uint32_t a = test_rand(seed) % n;
    if (types[a]->n_outputs && test_rand(seed) % 4) {
      emit(o, "  link n%u.%s -> o%u\n", a,
           types[a]->outputs[test_rand(seed) % types[a]->n_outputs].name, i);
    }
  }
  uint32_t exposed = 0;
  for (uint32_t k = 0; k < n; ++k) {
    for (uint32_t p = 0; p < types[k]->n_params; ++p) {
      if (test_rand(seed) % 4 == 0) {
        emit(o, "  param p%u n%u.%s\n", exposed++, k, types[k]->params[p].name);
      }
    }
  }
  for (uint32_t k = 0; k < n; ++k) {
    if (test_rand(seed) % 2) {
      emit(o, "  place n%u %d %d\n", k, (int)(test_rand(seed) % 400) - 200,
           (int)(test_rand(seed) % 400));
    }
  }
  emit(o, "end\n");
  st_graph_free(known);
}

/* A random top level: nodes, instances and voice groups, links, macros. */
static void
random_top(Out* o, uint64_t* seed, uint32_t defs)
{
  StGraph*          known = parse_prefix(o);
  const uint32_t    n     = 1 + test_rand(seed) % 6;
  const StNodeType* types[6];
  for (uint32_t k = 0; k < n; ++k) {
    char       params[2048] = "";
    const bool group        = defs && test_rand(seed) % 3 == 0;
    types[k]                = group ? &known->library->defs[test_rand(seed) % defs]->group
                                    : random_type(seed, known, defs);
    random_params(seed, types[k], 0, params, sizeof(params));
    emit(o, "%s t%u %s%s\n", group ? "voices" : "node", k, types[k]->name, params);
  }
  uint32_t linked[6] = {0};
  for (uint32_t l = 0; l < 2 * n; ++l) {
    const uint32_t a = test_rand(seed) % n, b = test_rand(seed) % n;
    if (a >= b || !types[a]->n_outputs || !types[b]->n_inputs) {
      continue;
    }
    const uint32_t in = test_rand(seed) % types[b]->n_inputs;
    if (!(linked[b] & (1u << in))) {
      linked[b] |= 1u << in;
      emit(o, "link t%u.%s -> t%u.%s\n", a,
           types[a]->outputs[test_rand(seed) % types[a]->n_outputs].name, b,
           types[b]->inputs[in].name);
    }
  }
  for (uint32_t k = 0; k < n; ++k) {
    for (uint32_t p = 0; p < types[k]->n_params; ++p) {
      const StParamSpec* spec = &types[k]->params[p];
      if (!(spec->flags & ST_PARAM_FIXED) && test_rand(seed) % 8 == 0) {
        char min[64], max[64];
        random_value(seed, spec, min, sizeof(min));
        random_value(seed, spec, max, sizeof(max));
        emit(o, "macro %u t%u.%s %s..%s\n", 1 + test_rand(seed) % 16, k, spec->name, min, max);
      }
    }
  }
  st_graph_free(known);
}

START_TEST(test_round_trip_random)
{
  for (uint64_t i = 1; i <= 200; ++i) {
    uint64_t       seed = i * 0x9e3779b97f4a7c15ull;
    Out            o    = {calloc(1, 65536), 0};
    const uint32_t defs = test_rand(&seed) % 4;
    for (uint32_t d = 0; d < defs; ++d) {
      random_definition(&o, &seed, d);
    }
    random_top(&o, &seed, defs);
    StGraph* g = parse_ok(o.data);
    check_round_trip(g);
    st_graph_free(g);
    free(o.data);
  }
}
END_TEST

/* --- Equality --- */

START_TEST(test_equal)
{
  const char* base = "subpatch s\n  inlet i j\n  outlet o\n  node a testmix\n"
                     "  node b testmix\n  link a.out -> b.a\n  link i -> a.a\n"
                     "  link j -> a.b\n  link b.out -> o\n  param lev b.level\nend\n"
                     "node x s\n";
  StGraph*    g    = parse_ok(base);
  StGraph*    h    = parse_ok(base);
  ck_assert(st_patch_equal(g, h));
  st_graph_free(g);
  st_graph_free(h);
  check_differs(base, "node x testmix\n");
  check_differs(base, "subpatch s\nend\nnode x s\n");
  // Each part of a definition counts.
  check_differs(base, "subpatch t\n  inlet i j\n  outlet o\n  node a testmix\n"
                      "  node b testmix\n  link a.out -> b.a\n  link i -> a.a\n"
                      "  link j -> a.b\n  link b.out -> o\n  param lev b.level\nend\n"
                      "node x t\n");
  check_differs(base, "subpatch s\n  inlet i k\n  outlet o\n  node a testmix\n"
                      "  node b testmix\n  link a.out -> b.a\n  link i -> a.a\n"
                      "  link k -> a.b\n  link b.out -> o\n  param lev b.level\nend\n"
                      "node x s\n");
  check_differs(base, "subpatch s\n  inlet i j\n  outlet o\n  node a testmix\n"
                      "  node b testmix\n  link a.out -> b.a\n  link j -> a.b\n"
                      "  link i -> a.a\n  link b.out -> o\n  param lev b.level\nend\n"
                      "node x s\n");
  check_differs(base, "subpatch s\n  inlet i j\n  outlet o\n  node a testmix\n"
                      "  node b testmix\n  link a.out -> b.a\n  link i -> a.a\n"
                      "  link j -> a.b\n  link a.out -> o\n  param lev b.level\nend\n"
                      "node x s\n");
  check_differs(base, "subpatch s\n  inlet i j\n  outlet o\n  node a testmix\n"
                      "  node b testmix\n  link a.out -> b.a\n  link i -> a.a\n"
                      "  link j -> a.b\n  link b.out -> o\n  param lev a.level\nend\n"
                      "node x s\n");
  check_differs(base, "subpatch s\n  inlet i j\n  outlet o\n  node a testmix\n"
                      "  node b testmix pan=0.5\n  link a.out -> b.a\n  link i -> a.a\n"
                      "  link j -> a.b\n  link b.out -> o\n  param lev b.level\nend\n"
                      "node x s\n");
  check_differs(base, "subpatch s\n  inlet i j\n  outlet o\n  node a testmix\n"
                      "  node b testmix\n  link a.out -> b.a\n  link i -> a.a\n"
                      "  link j -> a.b\n  link b.out -> o\n  param lev b.level\nend\n"
                      "voices x s\n");
  check_differs(base, "subpatch s\n  inlet i j\n  outlet o\n  node a testmix\n"
                      "  node b testmix\n  link a.out -> b.a\n  link i -> a.a\n"
                      "  link j -> a.b\n  link b.out -> o\n  param lev b.level\n"
                      "  place a 1 2\nend\nnode x s\n");
}
END_TEST

static Suite*
subpatch_suite(void)
{
  Suite* s    = suite_create("subpatch");
  TCase* read = tcase_create("read");
  tcase_add_test(read, test_definition);
  tcase_add_test(read, test_nested);
  tcase_add_test(read, test_library_shared);
  tcase_add_test(read, test_rules);
  suite_add_tcase(s, read);
  TCase* write = tcase_create("write");
  tcase_add_test(write, test_write_format);
  tcase_add_test(write, test_write_unused);
  tcase_add_test(write, test_round_trip_random);
  tcase_add_test(write, test_equal);
  suite_add_tcase(s, write);
  return s;
}

int
main(void)
{
  SRunner* runner = srunner_create(subpatch_suite());
  srunner_run_all(runner, CK_NORMAL);
  const int failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
