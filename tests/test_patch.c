/* SPDX-License-Identifier: ISC */
/* The patch text format: reading, writing, round trips and equality. */
#include "graph.h"
#include "nodes/registry.h"
#include "patch.h"
#include "patch_support.h"
#include "suggest.h"
#include "test_patch_catalog.h"

#include <check.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static float
param(const StGraph* g, const char* name, const char* param_name)
{
  const StNodeSlot* slot = node(g, name);
  const int         p    = st_node_param_index(slot->type, param_name);
  ck_assert_int_ge(p, 0);
  return slot->params[p].target;
}

/* --- Reading --- */

static const char* const example =
  "# A mono synth voice\n"
  "node osc testosc  freq=110 wave=square   # a comment\n"
  "node vcf testfilt cutoff=800 res=0.4\n"
  "node env testenv  attack=0.005 decay=0.2 sustain=0.6 release=0.4\n"
  "node amp testmix\n"
  "\n"
  "link midi.gate  -> env.gate\n"
  "link midi.pitch -> osc.pitch\n"
  "link osc.out    -> vcf.in\n"
  "link vcf.lp     -> amp.a\n"
  "link env.out    -> vcf.cutoff\n"
  "link amp.out    -> out.left\n"
  "link amp.out    -> out.right\n"
  "macro 1 vcf.cutoff 80..12000 exp \"Cutoff\"\n";

START_TEST(test_parse_example)
{
  StGraph* g = parse_ok(example);
  ck_assert_uint_eq(st_graph_count(g), 6);
  ck_assert_float_eq(param(g, "osc", "freq"), 110.0f);
  ck_assert_float_eq(param(g, "osc", "wave"), 2.0f);
  ck_assert_float_eq(param(g, "osc", "detune"), 0.0f);
  ck_assert_float_eq(param(g, "vcf", "res"), 0.4f);
  ck_assert_float_eq(param(g, "env", "attack"), 0.005f);
  // Implicit nodes take the next index on first reference: midi, then out.
  ck_assert_str_eq(g->slots[4].name, "midi");
  ck_assert_str_eq(g->slots[4].type->name, "midi");
  ck_assert_str_eq(g->slots[5].name, "out");
  ck_assert_ptr_eq(g->slots[5].type, test_find("output"));
  const StNodeSlot* vcf = node(g, "vcf");
  ck_assert_uint_eq(vcf->src[0].node, 0);
  ck_assert_uint_eq(vcf->src[0].port, 0);
  ck_assert_uint_eq(vcf->src[1].node, 2);
  ck_assert_uint_eq(node(g, "out")->src[1].node, 3);
  ck_assert_uint_eq(g->n_maps, 1);
  ck_assert_uint_eq(g->maps[0].slot, 0);
  ck_assert_uint_eq(g->maps[0].node.index, 1);
  ck_assert_uint_eq(g->maps[0].param, 0);
  ck_assert_float_eq(g->maps[0].min, 80.0f);
  ck_assert_float_eq(g->maps[0].max, 12000.0f);
  ck_assert_int_eq(g->maps[0].curve, ST_CURVE_EXPONENTIAL);
  ck_assert_str_eq(g->maps[0].label, "Cutoff");
  ck_assert_uint_eq(g->taps[0].node, ST_NO_NODE);
  st_graph_free(g);
}
END_TEST

/* A patch saved by the editor: a name, and positions for some nodes. */
static const char placed[] = "# Strata patch\n"
                             "name \"Poly \\\"Pad\\\" \\x09\"\n"
                             "node osc testosc\n"
                             "node vcf testfilt\n"
                             "node out output\n"
                             "\n"
                             "link osc.out -> vcf.in\n"
                             "link vcf.lp  -> out.left\n"
                             "\n"
                             "place osc -120.5 40\n"
                             "place out 1e-45 -0\n";

START_TEST(test_parse_place_name)
{
  StGraph* g = parse_ok(placed);
  ck_assert_str_eq(g->name, "Poly \"Pad\" \t");
  const StNodeSlot* osc = node(g, "osc");
  ck_assert(osc->placed);
  ck_assert_float_eq(osc->x, -120.5f);
  ck_assert_float_eq(osc->y, 40.0f);
  ck_assert(!node(g, "vcf")->placed);
  const StNodeSlot* out = node(g, "out");
  ck_assert(out->placed && out->x == 1e-45f && out->y == 0.0f && signbit(out->y));
  // The writer gives back the same text: name first, places last in node order.
  char* text = st_patch_write(g);
  ck_assert_str_eq(text, placed);
  free(text);
  // Places may come anywhere after their node, in any order.
  StGraph* h = parse_ok("node a testosc\nplace a 1 2\nnode b testosc\nplace b 3 4\n"
                        "name \"x\"\n");
  ck_assert(node(h, "a")->placed && node(h, "b")->x == 3.0f);
  ck_assert_str_eq(h->name, "x");
  st_graph_free(h);
  st_graph_free(g);
}
END_TEST

/* A patch written before places and names reads as before: nothing placed, no name. */
START_TEST(test_parse_without_places)
{
  StGraph* g = parse_ok(example);
  ck_assert_str_eq(g->name, "");
  for (uint32_t i = 0; i < st_graph_capacity(g); ++i) {
    ck_assert(!st_graph_node_at(g, i) || !st_graph_node_at(g, i)->placed);
  }
  char* text = st_patch_write(g);
  ck_assert_ptr_null(strstr(text, "place"));
  ck_assert_ptr_null(strstr(text, "name"));
  free(text);
  st_graph_free(g);
}
END_TEST

/* Positions and the name take part in equality. */
START_TEST(test_equal_places)
{
  StGraph* a = parse_ok(placed);
  StGraph* b = parse_ok(placed);
  ck_assert(st_patch_equal(a, b));
  ck_assert_int_eq(st_graph_place(b, st_graph_find(b, "vcf"), 0, 0), ST_OK);
  ck_assert(!st_patch_equal(a, b));
  ck_assert_int_eq(st_graph_place(a, st_graph_find(a, "vcf"), 0, 0), ST_OK);
  ck_assert(st_patch_equal(a, b));
  ck_assert_int_eq(st_graph_place(a, st_graph_find(a, "vcf"), -0.0f, 0), ST_OK);
  ck_assert(!st_patch_equal(a, b));
  ck_assert_int_eq(st_graph_place(a, st_graph_find(a, "vcf"), 0, 0), ST_OK);
  ck_assert_int_eq(st_graph_set_name(a, "other"), ST_OK);
  ck_assert(!st_patch_equal(a, b));
  st_graph_free(a);
  st_graph_free(b);
}
END_TEST

START_TEST(test_parse_spacing)
{
  StGraph* g = parse_ok("\r\n\t node\ta  testmix\tlevel = -3.5  pan= 1 # c\r\n"
                        "node b testmix#no space before the comment\n"
                        "link a . out->b . c\n"
                        "link b.out->out.left#tight\n"
                        "tap   right   a.out\n"
                        "macro 16 a.level -60 .. 12\n"
                        "   # only a comment\n"
                        "macro 2 b.pan -1..+1 lin \"\"");
  ck_assert_uint_eq(st_graph_count(g), 3);
  ck_assert_float_eq(param(g, "a", "level"), -3.5f);
  ck_assert_float_eq(param(g, "a", "pan"), 1.0f);
  ck_assert_uint_eq(node(g, "b")->src[2].node, 0);
  ck_assert_uint_eq(g->taps[1].node, 0);
  ck_assert_uint_eq(g->maps[0].slot, 15);
  ck_assert_int_eq(g->maps[0].curve, ST_CURVE_LINEAR);
  ck_assert_str_eq(g->maps[1].label, "");
  st_graph_free(g);
}
END_TEST

START_TEST(test_parse_values)
{
  StGraph* g = parse_ok("node a testmix level=-3.5 pan=.5 wide=1e3\n"
                        "node b testmix level=+2 pan=-0.25e0 wide=1E-2\n"
                        "node c testmix wide=0.1 pan=-0\n"
                        "node o testosc wave=2 voices=16 freq=20000\n"
                        "node f testfilt mode=ladder size=8\n");
  ck_assert_float_eq(param(g, "a", "pan"), 0.5f);
  ck_assert_float_eq(param(g, "a", "wide"), 1000.0f);
  ck_assert_float_eq(param(g, "b", "level"), 2.0f);
  ck_assert_float_eq(param(g, "b", "pan"), -0.25f);
  ck_assert_float_eq(param(g, "b", "wide"), 0.01f);
  ck_assert(param(g, "c", "wide") == 0.1f); // Nearest float, as strtof rounds.
  ck_assert(signbit(param(g, "c", "pan")));
  ck_assert_float_eq(param(g, "o", "wave"), 2.0f);
  ck_assert_float_eq(param(g, "o", "voices"), 16.0f);
  ck_assert_float_eq(param(g, "f", "mode"), 1.0f);
  ck_assert_float_eq(param(g, "f", "size"), 8.0f);
  st_graph_free(g);
}
END_TEST

START_TEST(test_parse_implicit_nodes)
{
  // A declared node keeps its parameters; an implicit one gets the defaults.
  StGraph* g = parse_ok("node out output gain=-6\n"
                        "link in.left -> out.left\n"
                        "tap left midi.gate\n");
  ck_assert_str_eq(g->slots[0].name, "out");
  ck_assert_str_eq(g->slots[1].name, "in");
  ck_assert_str_eq(g->slots[2].name, "midi");
  ck_assert_float_eq(param(g, "out", "gain"), -6.0f);
  ck_assert_float_eq(param(g, "in", "gain"), 0.0f);
  st_graph_free(g);

  // The implicit names are only names: "out" may be any type when declared.
  g = parse_ok("node out testmix\nnode x testmix\nlink out.out -> x.a\n");
  ck_assert_ptr_eq(node(g, "out")->type, test_find("testmix"));
  st_graph_free(g);
}
END_TEST

START_TEST(test_parse_replaces_model)
{
  StGraph* g = parse_ok("node a testosc\nnode b testosc\nmacro 1 a.freq 1..2\n");
  StPatchError e;
  ck_assert_int_eq(parse("node z testmix\n", g, &e), ST_OK);
  ck_assert_uint_eq(st_graph_count(g), 1);
  ck_assert_str_eq(g->slots[0].name, "z");
  ck_assert_uint_eq(g->n_maps, 0);
  ck_assert_int_eq(parse("", g, &e), ST_OK);
  ck_assert_uint_eq(st_graph_count(g), 0);
  ck_assert_int_eq(st_patch_parse(NULL, 0, test_catalog(false), g, NULL), ST_OK);
  st_graph_free(g);
}
END_TEST

START_TEST(test_parse_labels)
{
  StGraph* g = parse_ok("node a testmix\n"
                        "macro 1 a.pan -1..1 \"say \\\"hi\\\" \\\\ # not a comment\"\n"
                        "macro 2 a.pan -1..1 \"\\x41\\x7f\\x0a\xc3\xa9\"\n");
  ck_assert_str_eq(g->maps[0].label, "say \"hi\" \\ # not a comment");
  ck_assert_str_eq(g->maps[1].label, "A\x7f\n\xc3\xa9");
  st_graph_free(g);
}
END_TEST

/* --- Writing --- */

START_TEST(test_write_format)
{
  StGraph* g = parse_ok(example);
  char*    text = st_patch_write(g);
  ck_assert_str_eq(text, "# Strata patch\n"
                         "node osc  testosc  freq=110 wave=square\n"
                         "node vcf  testfilt cutoff=800 res=0.4\n"
                         "node env  testenv  attack=0.005\n"
                         "node amp  testmix\n"
                         "node midi midi\n"
                         "node out  output\n"
                         "\n"
                         "link midi.pitch -> osc.pitch\n"
                         "link osc.out    -> vcf.in\n"
                         "link env.out    -> vcf.cutoff\n"
                         "link midi.gate  -> env.gate\n"
                         "link vcf.lp     -> amp.a\n"
                         "link amp.out    -> out.left\n"
                         "link amp.out    -> out.right\n"
                         "\n"
                         "macro 1 vcf.cutoff 80..12000 exp \"Cutoff\"\n");
  free(text);
  st_graph_free(g);
}
END_TEST

START_TEST(test_write_taps_labels_choices)
{
  StGraph* g = new_model();
  StHandle f, m;
  const float filt[] = {1000.0f, 0.5f, 2.0f, 8.0f};
  ck_assert_int_eq(st_graph_add(g, test_find("testfilt"), "f", filt, &f), ST_OK);
  ck_assert_int_eq(st_graph_add(g, test_find("testmix"), "m", NULL, &m), ST_OK);
  ck_assert_int_eq(st_graph_set_output(g, 1, f, 2), ST_OK);
  ck_assert_int_eq(st_graph_map(g, 3, m, 1, -1.0f, 0.1f, ST_CURVE_LINEAR, "a\"b\\c\n\x7f\xc3\xa9"),
                   ST_OK);
  ck_assert_int_eq(st_graph_map(g, 0, f, 2, 0.0f, 2.0f, ST_CURVE_LINEAR, NULL), ST_OK);
  char* text = st_patch_write(g);
  // "12dB" is no name the parser reads, so that choice is written as its index.
  ck_assert_str_eq(text, "# Strata patch\n"
                         "node f testfilt mode=2 size=8\n"
                         "node m testmix\n"
                         "\n"
                         "tap right f.hp\n"
                         "\n"
                         "macro 4 m.pan -1..0.1 \"a\\\"b\\\\c\\x0a\\x7f\xc3\xa9\"\n"
                         "macro 1 f.mode svf..2\n");
  free(text);
  check_round_trip(g);
  st_graph_free(g);
}
END_TEST

START_TEST(test_write_empty)
{
  StGraph* g    = new_model();
  char*    text = st_patch_write(g);
  ck_assert_str_eq(text, "# Strata patch\n");
  free(text);
  ck_assert_ptr_null(st_patch_write(NULL));
  st_graph_free(g);
}
END_TEST

START_TEST(test_write_exact_numbers)
{
  StGraph*    g = new_model();
  const float values[][3] = {
    {-60.0f, -1.0f, FLT_MAX},     {12.0f, 1.0f, -FLT_MAX},      {0.1f, 0.3f, 1e-45f},
    {-0.0f, -0.0f, -1e-45f},      {1.17549435e-38f, 1e-7f, 3.14159274f},
    {-59.9999962f, 0.99999994f, 16777217.0f},
  };
  for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); ++i) {
    char name[8];
    snprintf(name, sizeof(name), "m%zu", i);
    ck_assert_int_eq(st_graph_add(g, test_find("testmix"), name, values[i], NULL), ST_OK);
  }
  char* text = st_patch_write(g);
  ck_assert_ptr_nonnull(strstr(text, "node m0 testmix level=-60 pan=-1 wide=3.4028235e+38\n"));
  ck_assert_ptr_nonnull(strstr(text, "node m2 testmix level=0.1 pan=0.3 wide=1e-45\n"));
  ck_assert_ptr_nonnull(strstr(text, "node m3 testmix level=-0 pan=-0 wide=-1e-45\n"));
  free(text);
  check_round_trip(g);
  st_graph_free(g);
}
END_TEST

START_TEST(test_write_running_graph)
{
  StGraph* g       = parse_ok(example);
  StGraph* running = st_graph_instantiate(g);
  ck_assert_ptr_nonnull(running);
  // A running graph writes its parameter targets, not the smoothed values.
  const StHandle osc = st_graph_find(running, "osc");
  ck_assert_int_eq(st_graph_set_param(running, osc, 0, 220.0f), ST_OK);
  ck_assert_int_eq(st_graph_set_param(g, st_graph_find(g, "osc"), 0, 220.0f), ST_OK);
  char* a = st_patch_write(g);
  char* b = st_patch_write(running);
  ck_assert_str_eq(a, b);
  ck_assert(st_patch_equal(g, running));
  free(a);
  free(b);
  st_graph_free(running);
  st_graph_free(g);
}
END_TEST

/* --- Round trips --- */

START_TEST(test_round_trip_hand)
{
  static const char* const patches[] = {
    "",
    example,
    "node a testosc wave=noise voices=3 detune=-99.5\nnode b testosc\nlink a.sync -> b.fm\n",
    "link in.left -> out.right\nlink in.right -> out.left\ntap left in.left\ntap right in.right\n",
    "node m testmix wide=-3.40282347e38\n"
    "macro 16 m.wide 1e-45..1e38 exp \"\\\\\\\"#\"\n"
    "macro 16 m.level -60..12\nmacro 1 m.wide 5..-5\n",
    "node f testfilt size=1 mode=2\nmacro 2 f.mode ladder..svf\n",
  };
  for (size_t i = 0; i < sizeof(patches) / sizeof(patches[0]); ++i) {
    StGraph* g = parse_ok(patches[i]);
    check_round_trip(g);
    st_graph_free(g);
  }
}
END_TEST

/* A random value of a parameter: often an edge or the default, else anywhere in range. */
static float
random_value(uint64_t* seed, const StParamSpec* spec)
{
  const uint32_t r = test_rand(seed);
  const float    u = (float)(test_rand(seed) >> 8) / 16777216.0f;
  float          v = spec->min + (spec->max - spec->min) * u;
  if (!isfinite(v)) {
    v = u * spec->max; // The span of a -FLT_MAX..FLT_MAX parameter overflows.
  }
  switch (r % 6) {
  case 0: v = spec->def; break;
  case 1: v = spec->min; break;
  case 2: v = spec->max; break;
  case 3: v = spec->min <= 0.0f && spec->max >= 0.0f ? -0.0f : v; break;
  default: break;
  }
  if (spec->flags & (ST_PARAM_CHOICE | ST_PARAM_INT)) {
    v = floorf(v);
  }
  return v < spec->min ? spec->min : v > spec->max ? spec->max : v;
}

static void
random_label(uint64_t* seed, char* label, size_t size)
{
  static const char alphabet[] = "ab Z_#\"\\\x01\n\t\x7f\xc3\xa9.-";
  const size_t n = test_rand(seed) % size;
  for (size_t i = 0; i < n; ++i) {
    label[i] = alphabet[test_rand(seed) % (sizeof(alphabet) - 1)];
  }
  label[n] = '\0';
}

static StHandle
random_node(StGraph* g, uint64_t* seed)
{
  StHandle h;
  do {
    h = st_arena_handle(&g->arena, test_rand(seed) % g->arena.capacity);
  } while (!st_arena_valid(&g->arena, h));
  return h;
}

static void
random_nodes(StGraph* g, uint64_t* seed, uint32_t n)
{
  for (uint32_t i = 0; i < n; ++i) {
    const StNodeType* type = &test_types[test_rand(seed) % TEST_N_TYPES];
    float             values[ST_MAX_PARAMS];
    char              name[ST_NAME_MAX];
    for (uint32_t p = 0; p < type->n_params; ++p) {
      values[p] = random_value(seed, &type->params[p]);
    }
    snprintf(name, sizeof(name), "%c%u", "abcxyz_"[test_rand(seed) % 7], i);
    ck_assert_int_eq(st_graph_add(g, type, name, values, NULL), ST_OK);
  }
}

/* Random links (the graph refuses cycles and occupied inputs), taps and maps. */
static void
random_edges(StGraph* g, uint64_t* seed, uint32_t n)
{
  for (uint32_t i = 0; i < n && st_graph_count(g); ++i) {
    const StHandle    src = random_node(g, seed), dst = random_node(g, seed);
    const StNodeType* s = st_graph_node(g, src)->type;
    const StNodeType* d = st_graph_node(g, dst)->type;
    const uint32_t    r = test_rand(seed);
    if (r % 8 == 0 && s->n_outputs) {
      st_graph_set_output(g, r / 8 % 2, src, test_rand(seed) % s->n_outputs);
    } else if (r % 8 == 1 && d->n_params) {
      const uint32_t     p    = test_rand(seed) % d->n_params;
      const float        min  = random_value(seed, &d->params[p]);
      const float        max  = random_value(seed, &d->params[p]);
      const StCurve      c    = min * max > 0.0f && r % 3 ? ST_CURVE_EXPONENTIAL : ST_CURVE_LINEAR;
      char               label[ST_NAME_MAX];
      random_label(seed, label, sizeof(label));
      st_graph_map(g, test_rand(seed) % ST_MACRO_SLOTS, dst, p, min, max, c, label);
    } else if (s->n_outputs && d->n_inputs) {
      st_graph_connect(g, src, test_rand(seed) % s->n_outputs, dst, test_rand(seed) % d->n_inputs);
    }
  }
}

/* A random canvas coordinate: often an edge of the float range, else a fraction. */
static float
random_coordinate(uint64_t* seed)
{
  static const float edges[] = {0.0f, -0.0f, 1e-45f, -3.40282347e38f, 3.40282347e38f, -1.5f};
  const uint32_t     r       = test_rand(seed);
  return r % 3 == 0 ? edges[r / 3 % 6] : (float)((int32_t)(r % 20001) - 10000) / 7.0f;
}

/* Positions for about half the nodes, and a patch name half of the time. */
static void
random_places(StGraph* g, uint64_t* seed)
{
  for (uint32_t i = 0; i < st_graph_capacity(g); ++i) {
    if (st_graph_node_at(g, i) && test_rand(seed) % 2) {
      const float x = random_coordinate(seed), y = random_coordinate(seed);
      ck_assert_int_eq(st_graph_place(g, st_arena_handle(&g->arena, i), x, y), ST_OK);
    }
  }
  if (test_rand(seed) % 2) {
    char name[ST_PATCH_NAME_MAX];
    random_label(seed, name, sizeof(name));
    ck_assert_int_eq(st_graph_set_name(g, name), ST_OK);
  }
}

/* A random patch built through the graph API, with holes left by removals. */
static StGraph*
random_patch(uint64_t seed)
{
  StGraph*       g = new_model();
  const uint32_t n = test_rand(&seed) % 40;
  random_nodes(g, &seed, n);
  random_edges(g, &seed, n * 3);
  for (uint32_t r = test_rand(&seed) % 4; r > 0 && st_graph_count(g); --r) {
    ck_assert_int_eq(st_graph_remove(g, random_node(g, &seed)), ST_OK);
  }
  random_places(g, &seed);
  return g;
}

START_TEST(test_round_trip_random)
{
  for (uint64_t i = 1; i <= 400; ++i) {
    StGraph* g = random_patch(i * 0x9e3779b97f4a7c15ull);
    check_round_trip(g);
    st_graph_free(g);
  }
}
END_TEST

START_TEST(test_round_trip_running)
{
  for (uint64_t i = 1; i <= 40; ++i) {
    StGraph* g       = random_patch(i * 0x2545f4914f6cdd1dull);
    StGraph* running = st_graph_instantiate(g);
    ck_assert_ptr_nonnull(running);
    ck_assert(st_patch_equal(g, running));
    char* a = st_patch_write(g);
    char* b = st_patch_write(running);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    st_graph_free(running);
    st_graph_free(g);
  }
}
END_TEST

/* --- Equality --- */

START_TEST(test_equal)
{
  const char* base = "node a testmix\nnode b testmix\nlink a.out -> b.a\n"
                     "tap left a.out\nmacro 1 b.pan -1..1 \"x\"\n";
  StGraph* g = parse_ok(base);
  StGraph* h = parse_ok(base);
  ck_assert(st_patch_equal(g, h));
  // Free slots and generations are not part of the patch.
  StHandle c;
  ck_assert_int_eq(st_graph_add(h, test_find("testmix"), "c", NULL, &c), ST_OK);
  ck_assert(!st_patch_equal(g, h));
  ck_assert_int_eq(st_graph_remove(h, c), ST_OK);
  ck_assert(st_patch_equal(g, h));
  st_graph_free(g);
  st_graph_free(h);

  const char* pre = "node a testmix\nnode b testmix\n";
  check_differs(pre, "node b testmix\nnode a testmix\n");
  check_differs(pre, "node a testmix\nnode c testmix\n");
  check_differs(pre, "node a testmix\nnode b testenv\n");
  check_differs(pre, "node a testmix\nnode b testmix pan=-0\n");
  check_differs(pre, "node a testmix\nnode b testmix\nnode c testmix\n");
  check_differs(base, "node a testmix\nnode b testmix\nlink a.out -> b.b\n"
                      "tap left a.out\nmacro 1 b.pan -1..1 \"x\"\n");
  check_differs(base, "node a testmix\nnode b testmix\nlink b.out -> a.a\n"
                      "tap left a.out\nmacro 1 b.pan -1..1 \"x\"\n");
  check_differs(base, "node a testmix\nnode b testmix\nlink a.out -> b.a\n"
                      "tap right a.out\nmacro 1 b.pan -1..1 \"x\"\n");
  check_differs(base, "node a testmix\nnode b testmix\nlink a.out -> b.a\n"
                      "tap left b.out\nmacro 1 b.pan -1..1 \"x\"\n");
  check_differs(base, "node a testmix\nnode b testmix\nlink a.out -> b.a\n"
                      "tap left a.out\nmacro 2 b.pan -1..1 \"x\"\n");
  check_differs(base, "node a testmix\nnode b testmix\nlink a.out -> b.a\n"
                      "tap left a.out\nmacro 1 a.pan -1..1 \"x\"\n");
  check_differs(base, "node a testmix\nnode b testmix\nlink a.out -> b.a\n"
                      "tap left a.out\nmacro 1 b.level -1..1 \"x\"\n");
  check_differs(base, "node a testmix\nnode b testmix\nlink a.out -> b.a\n"
                      "tap left a.out\nmacro 1 b.pan -1..0.5 \"x\"\n");
  check_differs(base, "node a testmix\nnode b testmix\nlink a.out -> b.a\n"
                      "tap left a.out\nmacro 1 b.pan -0.5..1 \"x\"\n");
  check_differs(base, "node a testmix\nnode b testmix\nlink a.out -> b.a\n"
                      "tap left a.out\nmacro 1 b.pan -1..1 \"y\"\n");
  check_differs("node b testmix\nmacro 1 b.pan 0.5..1\n",
                "node b testmix\nmacro 1 b.pan 0.5..1 exp\n");
  check_differs("node b testmix\nmacro 1 b.pan 0.5..1\nmacro 2 b.pan 0.5..1\n",
                "node b testmix\nmacro 2 b.pan 0.5..1\nmacro 1 b.pan 0.5..1\n");
}
END_TEST

/* --- Suggestions --- */

START_TEST(test_suggest)
{
  static const char* const names[] = {"cutoff", "res", "mode", "vcf", "left", "right", NULL};
  const size_t n = st_suggest_count(names);
  ck_assert_uint_eq(n, 6);
  ck_assert_str_eq(st_suggest("cutof", names, n, st_suggest_name_at), "cutoff");
  ck_assert_str_eq(st_suggest("cutofff", names, n, st_suggest_name_at), "cutoff");
  ck_assert_str_eq(st_suggest("cuttof", names, n, st_suggest_name_at), "cutoff");
  ck_assert_str_eq(st_suggest("CUTOFF", names, n, st_suggest_name_at), "cutoff");
  ck_assert_str_eq(st_suggest("vfc", names, n, st_suggest_name_at), "vcf");
  ck_assert_str_eq(st_suggest("lef", names, n, st_suggest_name_at), "left");
  ck_assert_str_eq(st_suggest("rigth", names, n, st_suggest_name_at), "right");
  ck_assert_ptr_null(st_suggest("x", names, n, st_suggest_name_at));
  ck_assert_ptr_null(st_suggest("frequency", names, n, st_suggest_name_at));
  ck_assert_ptr_null(st_suggest("cutoff", names, n, st_suggest_name_at));
  ck_assert_ptr_null(st_suggest("", names, n, st_suggest_name_at));
  ck_assert_ptr_null(st_suggest("res", names, 0, st_suggest_name_at));
  // Ties go to the first candidate; NULL entries are skipped.
  static const char* const ties[] = {NULL, "mode", "node", NULL};
  ck_assert_str_eq(st_suggest("rode", ties, 3, st_suggest_name_at), "mode");
  ck_assert_uint_eq(st_suggest_count(NULL), 0);
}
END_TEST

/* --- The registry --- */

static bool
is_identifier(const char* s)
{
  if (!s || !*s || strlen(s) >= ST_NAME_MAX || !(isalpha((unsigned char)*s) || *s == '_')) {
    return false;
  }
  for (; *s; ++s) {
    if (!(isalnum((unsigned char)*s) || *s == '_')) {
      return false;
    }
  }
  return true;
}

/* Every name a patch can hold must read back: types, ports, parameters (choices
   that are no identifier fall back to numbers, so they are not checked). */
START_TEST(test_registry_names)
{
  const StTypeCatalog* reg = st_patch_registry();
  ck_assert_uint_eq(reg->count(), st_registry_count());
  for (size_t t = 0; t < reg->count(); ++t) {
    const StNodeType* type = reg->at(t);
    ck_assert_ptr_eq(reg->find(type->name), type);
    ck_assert_msg(is_identifier(type->name), "type '%s'", type->name);
    for (uint32_t i = 0; i < type->n_inputs; ++i) {
      ck_assert_msg(is_identifier(type->inputs[i].name), "%s input %u", type->name, i);
    }
    for (uint32_t i = 0; i < type->n_outputs; ++i) {
      ck_assert_msg(is_identifier(type->outputs[i].name), "%s output %u", type->name, i);
    }
    for (uint32_t i = 0; i < type->n_params; ++i) {
      ck_assert_msg(is_identifier(type->params[i].name), "%s param %u", type->name, i);
    }
  }
  ck_assert_ptr_null(reg->find("no such type"));
}
END_TEST

START_TEST(test_registry_round_trip)
{
  const StTypeCatalog* reg  = st_patch_registry();
  uint64_t             seed = 42;
  StGraph*             g    = new_model();
  for (size_t t = 0; t < reg->count() && t < CAPACITY; ++t) {
    const StNodeType* type = reg->at(t);
    float             values[ST_MAX_PARAMS];
    char              name[ST_NAME_MAX];
    for (uint32_t p = 0; p < type->n_params; ++p) {
      values[p] = random_value(&seed, &type->params[p]);
    }
    snprintf(name, sizeof(name), "n%zu", t);
    ck_assert_int_eq(st_graph_add(g, type, name, values, NULL), ST_OK);
  }
  char*        text = st_patch_write(g);
  StGraph*     back = new_model();
  StPatchError e;
  ck_assert_msg(st_patch_parse(text, strlen(text), NULL, back, &e) == ST_OK, "%s", e.message);
  ck_assert(st_patch_equal(g, back));
  free(text);
  st_graph_free(back);
  st_graph_free(g);
}
END_TEST

static Suite*
patch_suite(void)
{
  Suite* s = suite_create("patch");
  TCase* read = tcase_create("read");
  tcase_add_test(read, test_parse_example);
  tcase_add_test(read, test_parse_spacing);
  tcase_add_test(read, test_parse_values);
  tcase_add_test(read, test_parse_implicit_nodes);
  tcase_add_test(read, test_parse_replaces_model);
  tcase_add_test(read, test_parse_labels);
  tcase_add_test(read, test_parse_place_name);
  tcase_add_test(read, test_parse_without_places);
  suite_add_tcase(s, read);
  TCase* write = tcase_create("write");
  tcase_add_test(write, test_write_format);
  tcase_add_test(write, test_write_taps_labels_choices);
  tcase_add_test(write, test_write_empty);
  tcase_add_test(write, test_write_exact_numbers);
  tcase_add_test(write, test_write_running_graph);
  suite_add_tcase(s, write);
  TCase* trip = tcase_create("round trip");
  tcase_add_test(trip, test_round_trip_hand);
  tcase_add_test(trip, test_round_trip_random);
  tcase_add_test(trip, test_round_trip_running);
  tcase_add_test(trip, test_equal);
  tcase_add_test(trip, test_equal_places);
  suite_add_tcase(s, trip);
  TCase* names = tcase_create("names");
  tcase_add_test(names, test_suggest);
  tcase_add_test(names, test_registry_names);
  tcase_add_test(names, test_registry_round_trip);
  suite_add_tcase(s, names);
  return s;
}

int
main(void)
{
  SRunner* runner = srunner_create(patch_suite());
  srunner_run_all(runner, CK_NORMAL);
  const int failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
