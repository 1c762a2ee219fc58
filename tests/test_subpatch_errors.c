/* SPDX-License-Identifier: ISC */
/* Sub-patch text refused: every error of definitions, instances and voice
   groups with its exact message, line and column; the limits of a
   definition; and the caller's model unchanged by a failed parse. */
#include "graph.h"
#include "library.h"
#include "patch.h"
#include "patch_error_support.h"
#include "test_patch_catalog.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_BYTES 65536

/* A model that already holds a patch with a definition, to see that failures leave it alone. */
static StGraph*
filled_model(void)
{
  StGraph*     g = st_graph_new(64, 4096, 48000.0f);
  StPatchError e;
  const char*  text = "subpatch keep\n  outlet o\nend\nnode k keep\n";
  ck_assert_ptr_nonnull(g);
  ck_assert_int_eq(st_patch_parse(text, strlen(text), test_catalog(false), g, &e), ST_OK);
  return g;
}

#define DEF_M "subpatch a\n  node m testmix\n"

static const ErrorCase error_cases[] = {
  // Where definitions stand, and their names.
  {"subpatch a\nsubpatch b\nend\nend", ST_ERR_SYNTAX,
   "line 2, column 1: a sub-patch cannot be defined inside another (end 'a' first)"},
  {"subpatch testosc\nend", ST_ERR_NAME,
   "line 1, column 10: 'testosc' is a node type: a sub-patch needs a name of its own"},
  {"subpatch a\nend\nsubpatch a\nend", ST_ERR_NAME,
   "line 3, column 10: sub-patch 'a' is defined twice"},
  {"\nsubpatch voice\n  node a testmix\n", ST_ERR_SYNTAX,
   "line 2, column 1: sub-patch 'voice' has no end"},
  {"subpatch", ST_ERR_SYNTAX, "line 1, column 9: expected a sub-patch name, found end of line"},
  {"subpatch a b\nend", ST_ERR_SYNTAX, "line 1, column 12: expected end of line, found 'b'"},
  {"subpatch a\nend x", ST_ERR_SYNTAX, "line 2, column 5: expected end of line, found 'x'"},
  {"subpatc a", ST_ERR_SYNTAX,
   "line 1, column 1: unknown statement 'subpatc' (did you mean 'subpatch'?)"},
  {"vocies v a", ST_ERR_SYNTAX,
   "line 1, column 1: unknown statement 'vocies' (did you mean 'voices'?)"},
  // Statements in the wrong place.
  {"subpatch a\n  voices v a\nend", ST_ERR_SYNTAX,
   "line 2, column 3: voice groups are played at the top level of a patch"},
  {DEF_M "  macro 1 m.pan 0..1\nend", ST_ERR_SYNTAX,
   "line 3, column 3: macros are mapped at the top level of a patch"},
  {DEF_M "  tap left m.out\nend", ST_ERR_SYNTAX,
   "line 3, column 3: taps are set at the top level of a patch"},
  {"subpatch a\n  name \"x\"\nend", ST_ERR_SYNTAX,
   "line 2, column 3: a patch is named at its top level"},
  {"inlet a", ST_ERR_SYNTAX,
   "line 1, column 1: inlets are declared inside a sub-patch (subpatch NAME ... end)"},
  {"outlet a", ST_ERR_SYNTAX,
   "line 1, column 1: outlets are declared inside a sub-patch (subpatch NAME ... end)"},
  {"node m testmix\nparam l m.level", ST_ERR_SYNTAX,
   "line 2, column 1: parameters are exposed inside a sub-patch (subpatch NAME ... end)"},
  {"end", ST_ERR_SYNTAX, "line 1, column 1: 'end' with no sub-patch to end"},
  // No implicit nodes inside.
  {DEF_M "  link m.out -> out.left\nend", ST_ERR_UNKNOWN,
   "line 3, column 17: unknown node 'out'"},
  // One namespace for inlets, outlets and nodes.
  {"subpatch a\n  inlet g\n  node g testmix\nend", ST_ERR_NAME,
   "line 3, column 8: 'g' is already an inlet of sub-patch 'a'"},
  {"subpatch a\n  outlet o\n  inlet o\nend", ST_ERR_NAME,
   "line 3, column 9: 'o' is already an outlet of sub-patch 'a'"},
  {DEF_M "  outlet m\nend", ST_ERR_NAME, "line 3, column 10: a node named 'm' already exists"},
  {"subpatch a\n  inlet g g\nend", ST_ERR_NAME,
   "line 2, column 11: 'g' is already an inlet of sub-patch 'a'"},
  {"subpatch a\n  inlet\nend", ST_ERR_SYNTAX,
   "line 2, column 8: expected an inlet name, found end of line"},
  {"subpatch a\n  outlet 1\nend", ST_ERR_SYNTAX,
   "line 2, column 10: expected an outlet name, found '1'"},
  // Types: built in or defined earlier (no recursion).
  {"subpatch a\n  node x a\nend", ST_ERR_UNKNOWN, "line 2, column 10: unknown node type 'a'"},
  {"subpatch a\n  node x b\nend\nsubpatch b\nend", ST_ERR_UNKNOWN,
   "line 2, column 10: unknown node type 'b'"},
  {"subpatch voice\nend\nnode v voise", ST_ERR_UNKNOWN,
   "line 3, column 8: unknown node type 'voise' (did you mean 'voice'?)"},
  // Links inside a definition.
  {"subpatch a\n  inlet g h\n  node e testenv\n  link g -> e.gate\n  link h -> e.gate\nend",
   ST_ERR_PORT, "line 5, column 13: cannot link h -> e.gate: e.gate is already linked from g"},
  {"subpatch a\n  inlet g\n  node o testosc\n  node e testenv\n  link g -> e.gate\n"
   "  link o.out -> e.gate\nend",
   ST_ERR_PORT,
   "line 6, column 17: cannot link o.out -> e.gate: e.gate is already linked from g"},
  {"subpatch a\n  inlet g\n  node o testosc\n  node e testenv\n  link o.out -> e.gate\n"
   "  link g -> e.gate\nend",
   ST_ERR_PORT,
   "line 6, column 13: cannot link g -> e.gate: e.gate is already linked from o.out"},
  {"subpatch a\n  outlet o\n  node m testmix\n  link m.out -> o\n  link m.out -> o\nend",
   ST_ERR_PORT, "line 5, column 17: cannot link m.out -> o: o is already linked from m.out"},
  {"subpatch a\n  inlet i\n  outlet o\n  link i -> o\nend", ST_ERR_PORT,
   "line 4, column 13: an outlet takes a node's output, not an inlet"},
  {"subpatch a\n  inlet gate\n  node e testenv\n  link gte -> e.gate\nend", ST_ERR_UNKNOWN,
   "line 4, column 8: sub-patch 'a' has no inlet 'gte' (did you mean 'gate'?)"},
  {"subpatch a\n  outlet out\n  node m testmix\n  link m.out -> otu\nend", ST_ERR_UNKNOWN,
   "line 4, column 17: sub-patch 'a' has no outlet 'otu' (did you mean 'out'?)"},
  {"subpatch a\n  outlet o\n  node m testmix\n  link o -> m.a\nend", ST_ERR_PORT,
   "line 4, column 8: 'o' is an outlet: links go into it, not out of it"},
  {"subpatch a\n  inlet i\n  node m testmix\n  link m.out -> i\nend", ST_ERR_PORT,
   "line 4, column 17: 'i' is an inlet: links go out of it, not into it"},
  {DEF_M "  node n testmix\n  link m -> n.a\nend", ST_ERR_SYNTAX,
   "line 4, column 10: expected '.' after the node name, found '->'"},
  {DEF_M "  node n testmix\n  link m.out -> n.a\n  link n.out -> m.a\nend", ST_ERR_CYCLE,
   "line 5, column 17: link n.out -> m.a would close a cycle: m -> n -> m"},
  {DEF_M "  link m.out -> m.x\nend", ST_ERR_UNKNOWN,
   "line 3, column 19: node 'm' (testmix) has no input 'x'"},
  // Exposed parameters.
  {DEF_M "  param l m.level\n  param l m.pan\nend", ST_ERR_NAME,
   "line 4, column 9: sub-patch 'a' already exposes 'l'"},
  {DEF_M "  param l m.level\n  param k m.level\nend", ST_ERR_PARAM,
   "line 4, column 11: m.level is already exposed as 'l'"},
  {DEF_M "  param l m.levle\nend", ST_ERR_UNKNOWN,
   "line 3, column 13: node 'm' (testmix) has no parameter 'levle' (did you mean 'level'?)"},
  {DEF_M "  param l m.level x\nend", ST_ERR_SYNTAX,
   "line 3, column 19: expected end of line, found 'x'"},
  {"subpatch a\n  node f testfilt\n  param size f.size\nend\nnode x a\nmacro 1 x.size 1..2",
   ST_ERR_PARAM,
   "line 6, column 11: x.size is fixed when the node is made: no macro can drive it"},
  // Instances and voice groups at the top level.
  {DEF_M "  param lev m.level\nend\nnode x a lev=20", ST_ERR_RANGE,
   "line 5, column 14: x.lev = 20 is out of range -60..12 dB"},
  {DEF_M "  param lev m.level\nend\nnode x a levl=1", ST_ERR_UNKNOWN,
   "line 5, column 10: node 'x' (a) has no parameter 'levl' (did you mean 'lev'?)"},
  {"subpatch a\n  inlet gate\nend\nnode x a\nlink midi.gate -> x.gat", ST_ERR_UNKNOWN,
   "line 5, column 21: node 'x' (a) has no input 'gat' (did you mean 'gate'?)"},
  {"subpatch a\n  inlet gate\nend\nvoices x a\nlink midi.gate -> x.gate", ST_ERR_UNKNOWN,
   "line 5, column 21: node 'x' (a) has no input 'gate'"},
  {DEF_M "  param count m.level\nend\nvoices v a", ST_ERR_NAME,
   "line 5, column 10: sub-patch 'a' exposes 'count', which voice groups use for their own "
   "setting"},
  {"voices v testosc", ST_ERR_UNKNOWN,
   "line 1, column 10: 'testosc' is a node type, not a sub-patch: voices play a sub-patch"},
  {"subpatch voice\nend\nvoices v voise", ST_ERR_UNKNOWN,
   "line 3, column 10: unknown sub-patch 'voise' (did you mean 'voice'?)"},
  {"subpatch a\nend\nvoices v a mode=pol", ST_ERR_UNKNOWN,
   "line 3, column 17: v.mode has no choice 'pol' (did you mean 'poly'?)"},
  {"subpatch a\nend\nvoices v a count=33", ST_ERR_RANGE,
   "line 3, column 18: v.count = 33 is out of range 1..32"},
  {"subpatch a\nend\nnode v testmix\nvoices v a", ST_ERR_NAME,
   "line 4, column 8: a node named 'v' already exists"},
  {"voices", ST_ERR_SYNTAX, "line 1, column 7: expected a voice group name, found end of line"},
};

/* Text of `count` names `prefix`0, `prefix`1... after `head`, one line. */
static char*
names_line(const char* head, const char* prefix, uint32_t count)
{
  char*  text = malloc(TEXT_BYTES);
  size_t len  = (size_t)snprintf(text, TEXT_BYTES, "%s", head);
  for (uint32_t i = 0; i < count; ++i) {
    len += (size_t)snprintf(text + len, TEXT_BYTES - len, " %s%u", prefix, i);
  }
  snprintf(text + len, TEXT_BYTES - len, "\nend\n");
  return text;
}

static void
check_error(const char* text, StStatus status, const char* message)
{
  StGraph* g = filled_model();
  expect_error(g, text, status, message);
  st_graph_free(g);
}

START_TEST(test_error_messages)
{
  const ErrorCase* c = &error_cases[_i];
  check_error(c->text, c->status, c->message);
}
END_TEST

START_TEST(test_error_port_limits)
{
  char* text = names_line("subpatch a\n  inlet", "i", ST_SUBPATCH_MAX_INLETS + 1);
  check_error(text, ST_ERR_FULL, "line 2, column 63: sub-patch 'a' has at most 16 inlets");
  free(text);
  text = names_line("subpatch a\n  outlet", "o", ST_SUBPATCH_MAX_OUTLETS + 1);
  check_error(text, ST_ERR_FULL, "line 2, column 64: sub-patch 'a' has at most 16 outlets");
  free(text);
}
END_TEST

START_TEST(test_error_body_limits)
{
  char*  text = malloc(TEXT_BYTES);
  size_t len  = (size_t)snprintf(text, TEXT_BYTES, "subpatch a\n  inlet i\n");
  for (uint32_t n = 0; n <= ST_SUBPATCH_MAX_NODES; ++n) {
    len += (size_t)snprintf(text + len, TEXT_BYTES - len, "  node n%u testenv\n", n);
  }
  snprintf(text + len, TEXT_BYTES - len, "end\n");
  check_error(text, ST_ERR_FULL, "line 259, column 13: sub-patch 'a' holds at most 256 nodes");

  // Inlet links: 128 at most.
  len = (size_t)snprintf(text, TEXT_BYTES, "subpatch a\n  inlet i\n");
  for (uint32_t n = 0; n <= ST_SUBPATCH_MAX_INLET_LINKS; ++n) {
    len += (size_t)snprintf(text + len, TEXT_BYTES - len,
                            "  node n%u testenv\n  link i -> n%u.gate\n", n, n);
  }
  snprintf(text + len, TEXT_BYTES - len, "end\n");
  check_error(text, ST_ERR_FULL,
              "line 260, column 13: sub-patch 'a' holds at most 128 links from inlets");

  // Exposed parameters: 32 at most.
  len = (size_t)snprintf(text, TEXT_BYTES, "subpatch a\n");
  for (uint32_t n = 0; n <= ST_SUBPATCH_MAX_PARAMS; ++n) {
    len += (size_t)snprintf(text + len, TEXT_BYTES - len,
                            "  node n%u testenv\n  param p%u n%u.decay\n", n, n, n);
  }
  snprintf(text + len, TEXT_BYTES - len, "end\n");
  check_error(text, ST_ERR_FULL,
              "line 67, column 9: sub-patch 'a' exposes at most 32 parameters");
  free(text);
}
END_TEST

START_TEST(test_error_flat_limit)
{
  // 16 copies of 16 copies of 16 nodes is 4096; one more node is too many.
  const char* text =
    "subpatch a\n"
    "  node x0 testenv\n  node x1 testenv\n  node x2 testenv\n  node x3 testenv\n"
    "  node x4 testenv\n  node x5 testenv\n  node x6 testenv\n  node x7 testenv\n"
    "  node x8 testenv\n  node x9 testenv\n  node xa testenv\n  node xb testenv\n"
    "  node xc testenv\n  node xd testenv\n  node xe testenv\n  node xf testenv\n"
    "end\n"
    "subpatch b\n"
    "  node x0 a\n  node x1 a\n  node x2 a\n  node x3 a\n  node x4 a\n  node x5 a\n"
    "  node x6 a\n  node x7 a\n  node x8 a\n  node x9 a\n  node xa a\n  node xb a\n"
    "  node xc a\n  node xd a\n  node xe a\n  node xf a\n"
    "end\n"
    "subpatch c\n"
    "  node x0 b\n  node x1 b\n  node x2 b\n  node x3 b\n  node x4 b\n  node x5 b\n"
    "  node x6 b\n  node x7 b\n  node x8 b\n  node x9 b\n  node xa b\n  node xb b\n"
    "  node xc b\n  node xd b\n  node xe b\n  node xf b\n"
    "  node y testenv\n"
    "end\n";
  check_error(text, ST_ERR_FULL,
              "line 54, column 10: sub-patch 'c' would expand to more than 4096 nodes");
  StGraph*     g = filled_model();
  StPatchError e;
  // Without the one node too many: exactly at the limit.
  const int ok = (int)(strstr(text, "  node y") - text);
  char      copy[2048];
  ck_assert_int_lt(snprintf(copy, sizeof(copy), "%.*send\n", ok, text), (int)sizeof(copy));
  ck_assert_int_eq(parse_into(g, copy, strlen(copy), test_catalog(false), &e), ST_OK);
  ck_assert_uint_eq(g->library->defs[2]->flat_nodes, ST_SUBPATCH_MAX_FLAT);
  st_graph_free(g);
}
END_TEST

START_TEST(test_error_definition_count)
{
  char*  text = malloc(TEXT_BYTES);
  size_t len  = 0;
  for (uint32_t d = 0; d <= ST_SUBPATCH_MAX; ++d) {
    len += (size_t)snprintf(text + len, TEXT_BYTES - len, "subpatch d%u\nend\n", d);
  }
  check_error(text, ST_ERR_FULL, "line 129, column 10: a patch holds at most 64 sub-patches");
  free(text);
}
END_TEST

static Suite*
subpatch_errors_suite(void)
{
  Suite* s      = suite_create("subpatch errors");
  TCase* errors = tcase_create("errors");
  tcase_add_loop_test(errors, test_error_messages, 0,
                      (int)(sizeof(error_cases) / sizeof(error_cases[0])));
  tcase_add_test(errors, test_error_port_limits);
  tcase_add_test(errors, test_error_body_limits);
  tcase_add_test(errors, test_error_flat_limit);
  tcase_add_test(errors, test_error_definition_count);
  suite_add_tcase(s, errors);
  return s;
}

int
main(void)
{
  SRunner* runner = srunner_create(subpatch_errors_suite());
  srunner_run_all(runner, CK_NORMAL);
  const int failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
