/* SPDX-License-Identifier: ISC */
/* Editing one sub-patch definition of a patch: adding one, changing one in
   place with its instances following, removing one, and every refusal with
   its exact message, the model untouched. */
#include "graph.h"
#include "library.h"
#include "patch.h"
#include "patch_define.h"
#include "text_position.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAPACITY 64
#define POOL 4096
#define RATE 48000.0f

/* The patch every test edits, in pieces: `drive` is used only inside
   `voice`, `voice` by two top-level nodes, `spare` by nothing. */
#define DRIVE                                                                                  \
  "subpatch drive\n"                                                                           \
  "  inlet in\n"                                                                               \
  "  outlet out\n"                                                                             \
  "  node amp vca gain=2\n"                                                                    \
  "  link in -> amp.in\n"                                                                      \
  "  link amp.out -> out\n"                                                                    \
  "  param level amp.gain\n"                                                                   \
  "end\n"

#define VOICE_BODY                                                                             \
  "  outlet out\n"                                                                             \
  "  node osc osc wave=saw\n"                                                                  \
  "  node env adsr\n"                                                                          \
  "  node amp vca\n"                                                                           \
  "  node sat drive level=1.5\n"                                                               \
  "  link pitch -> osc.pitch\n"                                                                \
  "  link gate -> env.gate\n"                                                                  \
  "  link env.out -> amp.cv\n"                                                                 \
  "  link amp.out -> sat.in\n"                                                                 \
  "  link sat.out -> out\n"

#define VOICE                                                                                  \
  "subpatch voice\n"                                                                           \
  "  inlet gate pitch bright\n" VOICE_BODY "  node vcf svf cutoff=1200\n"                      \
  "  link osc.out -> vcf.in\n"                                                                 \
  "  link bright -> vcf.cutoff\n"                                                              \
  "  link vcf.lp -> amp.in\n"                                                                  \
  "  param cutoff vcf.cutoff\n"                                                                \
  "end\n"

#define SPARE                                                                                  \
  "subpatch spare\n"                                                                           \
  "  outlet out\n"                                                                             \
  "  node n noise\n"                                                                           \
  "  link n.out -> out\n"                                                                      \
  "end\n"

#define TOP                                                                                    \
  "voices pad voice count=4 cutoff=2000\n"                                                     \
  "node solo voice\n"                                                                          \
  "node lfo lfo\n"                                                                             \
  "link lfo.out -> pad.bright\n"                                                               \
  "link midi.gate -> solo.gate\n"                                                              \
  "link pad.out -> out.left\n"                                                                 \
  "link solo.out -> out.right\n"                                                               \
  "macro 1 pad.cutoff 80..12000 exp \"Cutoff\"\n"

static const char base[] = DRIVE VOICE SPARE TOP;

static StGraph*
empty_model(void)
{
  StGraph* g = st_graph_new(CAPACITY, POOL, RATE);
  ck_assert_ptr_nonnull(g);
  return g;
}

static StGraph*
parse_ok(const char* text)
{
  StGraph*     g = empty_model();
  StPatchError e;
  ck_assert_msg(st_patch_parse(text, strlen(text), NULL, g, &e) == ST_OK, "%s\n%s", e.message,
                text);
  return g;
}

/* `got` holds the patch `expected` says, and writes the same text. */
static void
check_patch(const StGraph* got, const char* expected)
{
  StGraph* want     = parse_ok(expected);
  char*    got_text = st_patch_write(got);
  char*    text     = st_patch_write(want);
  ck_assert_msg(!strcmp(got_text, text), "got:\n%s\nexpected:\n%s", got_text, text);
  ck_assert(st_patch_equal(got, want));
  free(text);
  free(got_text);
  st_graph_free(want);
}

/* The model the edits start from, and a copy to see it unchanged. */
typedef struct {
  StGraph* model;
  StGraph* copy;
  StGraph* out;
} Fixture;

static Fixture
fixture(void)
{
  return (Fixture){parse_ok(base), parse_ok(base), empty_model()};
}

static void
fixture_free(Fixture* f)
{
  st_graph_free(f->model);
  st_graph_free(f->copy);
  st_graph_free(f->out);
}

/* A define that fails with `message`, the model and `out` as they were. */
static StPatchError
define_fails(Fixture* f, const char* text, const char* message)
{
  StPatchError e;
  ck_assert_int_ne(st_patch_define(f->model, text, strlen(text), f->out, &e), ST_OK);
  ck_assert_str_eq(e.message, message);
  ck_assert_int_ne(e.status, ST_OK);
  ck_assert(st_patch_equal(f->model, f->copy));
  ck_assert_uint_eq(st_graph_count(f->out), 0);
  ck_assert_ptr_null(f->out->library);
  return e;
}

static void
undefine_fails(Fixture* f, const char* name, const char* message)
{
  StPatchError e;
  ck_assert_int_ne(st_patch_undefine(f->model, name, f->out, &e), ST_OK);
  ck_assert_str_eq(e.message, message);
  ck_assert(st_patch_equal(f->model, f->copy));
  ck_assert_uint_eq(st_graph_count(f->out), 0);
}

/* --- Adding and changing --- */

START_TEST(test_add_definition)
{
  Fixture           f      = fixture();
  static const char text[] = "# A fourth one.\n"
                             "subpatch pluck\n"
                             "  inlet gate\n"
                             "  outlet out\n"
                             "  node env adsr a=0.001 d=0.1 s=0\n"
                             "  link gate -> env.gate\n"
                             "  link env.out -> out\n"
                             "end\n"
                             "\n";
  StPatchError      e;
  ck_assert_int_eq(st_patch_define(f.model, text, strlen(text), f.out, &e), ST_OK);
  ck_assert_int_eq(e.status, ST_OK);
  check_patch(f.out, DRIVE VOICE SPARE "subpatch pluck\n"
                                       "  inlet gate\n"
                                       "  outlet out\n"
                                       "  node env adsr a=0.001 d=0.1 s=0\n"
                                       "  link gate -> env.gate\n"
                                       "  link env.out -> out\n"
                                       "end\n" TOP);
  ck_assert_uint_eq(f.out->library->count, 4);
  ck_assert_str_eq(f.out->library->defs[3]->name, "pluck");
  ck_assert(st_patch_equal(f.model, f.copy));
  ck_assert_uint_eq(f.model->library->count, 3);
  fixture_free(&f);
}
END_TEST

/* The first definition of a patch that has none. */
START_TEST(test_add_first_definition)
{
  StGraph*          model  = parse_ok("node o osc\nlink o.out -> out.left\n");
  StGraph*          out    = empty_model();
  static const char text[] = SPARE;
  ck_assert_int_eq(st_patch_define(model, text, strlen(text) - 1, out, NULL), ST_OK);
  check_patch(out, SPARE "node o osc\nlink o.out -> out.left\n");
  st_graph_free(out);
  st_graph_free(model);
}
END_TEST

/* A changed `voice`: its body, an inlet fewer that nothing links, a
   parameter's default; the instances keep their own values. */
START_TEST(test_change_used_definition)
{
  Fixture f = fixture();
#define NEW_VOICE                                                                              \
  "subpatch voice\n"                                                                           \
  "  inlet gate pitch bright\n"                                                                \
  "  outlet out\n"                                                                             \
  "  node osc osc wave=square pw=0.3\n"                                                        \
  "  node env adsr r=1\n"                                                                      \
  "  node amp vca\n"                                                                           \
  "  node vcf svf cutoff=700 res=0.5\n"                                                        \
  "  link pitch -> osc.pitch\n"                                                                \
  "  link gate -> env.gate\n"                                                                  \
  "  link env.out -> amp.cv\n"                                                                 \
  "  link osc.out -> vcf.in\n"                                                                 \
  "  link bright -> vcf.cutoff\n"                                                              \
  "  link vcf.lp -> amp.in\n"                                                                  \
  "  link amp.out -> out\n"                                                                    \
  "  param cutoff vcf.cutoff\n"                                                                \
  "  param width osc.pw\n"                                                                     \
  "end\n"
  static const char text[] = NEW_VOICE;
  StPatchError      e;
  ck_assert_int_eq(st_patch_define(f.model, text, strlen(text), f.out, &e), ST_OK);
  check_patch(f.out, DRIVE NEW_VOICE SPARE TOP);
  // In place, and the instances are of the new definition.
  ck_assert_str_eq(f.out->library->defs[1]->name, "voice");
  const StSubpatch* voice = st_library_find(f.out->library, "voice");
  const StNodeSlot* solo  = st_graph_node(f.out, st_graph_find(f.out, "solo"));
  const StNodeSlot* pad   = st_graph_node(f.out, st_graph_find(f.out, "pad"));
  ck_assert_ptr_eq(solo->type, &voice->type);
  ck_assert_ptr_eq(pad->type, &voice->group);
  // solo takes the new default cutoff, pad keeps its own.
  ck_assert_float_eq(solo->params[st_node_param_index(solo->type, "cutoff")].target, 700.0f);
  ck_assert_float_eq(pad->params[st_node_param_index(pad->type, "cutoff")].target, 2000.0f);
  ck_assert(st_patch_equal(f.model, f.copy));
  fixture_free(&f);
#undef NEW_VOICE
}
END_TEST

/* --- What no longer fits --- */

/* `voice` without the inlet that lfo.out feeds on pad. */
START_TEST(test_change_drops_linked_inlet)
{
  Fixture        f       = fixture();
  char*          written = st_patch_write(f.model);
  unsigned       column;
  const unsigned line = line_of(written, "pad.bright", &column);
  column += (unsigned)strlen("pad.");
  char message[256];
  snprintf(
    message, sizeof(message),
    "sub-patch 'voice': the patch no longer reads with it: line %u, column %u: node 'pad' "
    "(voice) has no input 'bright'",
    line, column);
  const StPatchError e = define_fails(&f,
                                      "subpatch voice\n"
                                      "  inlet gate pitch\n" VOICE_BODY
                                      "  node vcf svf cutoff=1200\n"
                                      "  link osc.out -> vcf.in\n"
                                      "  link vcf.lp -> amp.in\n"
                                      "  param cutoff vcf.cutoff\n"
                                      "end\n",
                                      message);
  ck_assert_int_eq(e.status, ST_ERR_UNKNOWN);
  ck_assert_uint_eq(e.line, 0);
  free(written);
  fixture_free(&f);
}
END_TEST

/* `voice` without the parameter that pad sets and macro 1 maps. */
START_TEST(test_change_drops_set_parameter)
{
  Fixture        f       = fixture();
  char*          written = st_patch_write(f.model);
  unsigned       column;
  const unsigned line = line_of(written, "cutoff=2000", &column);
  char           message[256];
  snprintf(
    message, sizeof(message),
    "sub-patch 'voice': the patch no longer reads with it: line %u, column %u: node 'pad' "
    "(voice) has no parameter 'cutoff'",
    line, column);
  define_fails(&f,
               "subpatch voice\n"
               "  inlet gate pitch bright\n" VOICE_BODY "  node vcf svf cutoff=1200\n"
               "  link osc.out -> vcf.in\n"
               "  link bright -> vcf.cutoff\n"
               "  link vcf.lp -> amp.in\n"
               "end\n",
               message);
  free(written);
  fixture_free(&f);
}
END_TEST

/* --- Errors inside the definition --- */

/* Each error at the definition's own line and column, with the message a
   plain parse of the definition gives. */
static const struct {
  const char* text;
  const char* message;
} inside[] = {
  {"# Comments first.\n\nsubpatch voice\n  inlet gate\n  node vcf svf cutof=1200\nend\n",
   "line 5, column 16: node 'vcf' (svf) has no parameter 'cutof' (did you mean 'cutoff'?)"},
  {"subpatch voice\n  outlet out\n  node o osc\n  link o.out -> ou\nend\n",
   "line 4, column 17: sub-patch 'voice' has no outlet 'ou' (did you mean 'out'?)"},
  {"subpatch osc\nend\n",
   "line 1, column 10: 'osc' is a node type: a sub-patch needs a name of its own"},
  {"\nsubpatch voice extra\nend\n", "line 2, column 16: expected end of line, found 'extra'"},
  {"subpatch voice\n  inlet gate\n  node o osc\n",
   "line 1, column 1: sub-patch 'voice' has no end"},
  {"subpatch 9lives\nend\n", "line 1, column 10: expected a sub-patch name, found '9lives'"},
  {"subpatch voice\n  macro 1 a.b 0..1\nend\n",
   "line 2, column 3: macros are mapped at the top level of a patch"},
};

START_TEST(test_errors_inside_definition)
{
  Fixture      f    = fixture();
  const char*  text = inside[_i].text;
  StPatchError e    = define_fails(&f, text, inside[_i].message);
  // A plain parse of the definition alone says the same.
  StGraph*     alone = empty_model();
  StPatchError plain;
  ck_assert_int_ne(st_patch_parse(text, strlen(text), NULL, alone, &plain), ST_OK);
  ck_assert_str_eq(plain.message, e.message);
  ck_assert_uint_eq(plain.line, e.line);
  ck_assert_uint_eq(plain.column, e.column);
  st_graph_free(alone);
  fixture_free(&f);
}
END_TEST

/* Text that is not one definition. */
static const struct {
  const char* text;
  const char* message;
} not_one[] = {
  {"", "a sub-patch definition is one 'subpatch NAME' ... 'end' block"},
  {"# only a comment\n\n", "a sub-patch definition is one 'subpatch NAME' ... 'end' block"},
  {"node x osc\n",
   "line 1, column 1: a sub-patch definition is one 'subpatch NAME' ... 'end' block"},
  {SPARE "\n# then\n  node x osc\n",
   "line 8, column 3: a sub-patch definition is one 'subpatch NAME' ... 'end' block"},
  {SPARE SPARE,
   "line 6, column 1: a sub-patch definition is one 'subpatch NAME' ... 'end' block"},
};

START_TEST(test_not_one_definition)
{
  Fixture            f = fixture();
  const StPatchError e = define_fails(&f, not_one[_i].text, not_one[_i].message);
  ck_assert_int_eq(e.status, ST_ERR_SYNTAX);
  fixture_free(&f);
}
END_TEST

START_TEST(test_definition_name)
{
  char name[ST_NAME_MAX] = "";
  ck_assert(st_patch_definition_name("# c\n  subpatch voice\nend\n", 24, name));
  ck_assert_str_eq(name, "voice");
  ck_assert(st_patch_definition_name("subpatch pad", 12, name));  // No end: still named.
  ck_assert_str_eq(name, "pad");
  ck_assert(!st_patch_definition_name("node x osc\n", 11, name));
  ck_assert(!st_patch_definition_name("subpatch 9x\nend\n", 16, name));
  ck_assert(!st_patch_definition_name(NULL, 0, name));
}
END_TEST

/* --- Removing --- */

START_TEST(test_undefine_unused)
{
  Fixture f = fixture();
  ck_assert_int_eq(st_patch_undefine(f.model, "spare", f.out, NULL), ST_OK);
  check_patch(f.out, DRIVE VOICE TOP);
  ck_assert(st_patch_equal(f.model, f.copy));
  fixture_free(&f);
}
END_TEST

START_TEST(test_undefine_refused)
{
  Fixture f = fixture();
  undefine_fails(&f, "voice", "cannot remove sub-patch 'voice': node 'pad' uses it");
  undefine_fails(&f, "drive", "cannot remove sub-patch 'drive': sub-patch 'voice' uses it");
  undefine_fails(&f, "voic", "no sub-patch 'voic' (did you mean 'voice'?)");
  undefine_fails(&f, "zzzzzz", "no sub-patch 'zzzzzz'");
  fixture_free(&f);
}
END_TEST

START_TEST(test_undefine_without_definitions)
{
  StGraph*     model = parse_ok("node o osc\n");
  StGraph*     out   = empty_model();
  StPatchError e;
  ck_assert_int_eq(st_patch_undefine(model, "voice", out, &e), ST_ERR_UNKNOWN);
  ck_assert_str_eq(e.message, "no sub-patch 'voice'");
  st_graph_free(out);
  st_graph_free(model);
}
END_TEST

START_TEST(test_uses)
{
  Fixture f = fixture();
  ck_assert_uint_eq(st_patch_subpatch_uses(f.model, "voice"), 2);
  ck_assert_uint_eq(st_patch_subpatch_uses(f.model, "drive"), 1);
  ck_assert_uint_eq(st_patch_subpatch_uses(f.model, "spare"), 0);
  ck_assert_uint_eq(st_patch_subpatch_uses(f.model, "nothing"), 0);
  fixture_free(&f);
}
END_TEST

static Suite*
patch_define_suite(void)
{
  Suite* s      = suite_create("patch define");
  TCase* define = tcase_create("define");
  tcase_add_test(define, test_add_definition);
  tcase_add_test(define, test_add_first_definition);
  tcase_add_test(define, test_change_used_definition);
  tcase_add_test(define, test_change_drops_linked_inlet);
  tcase_add_test(define, test_change_drops_set_parameter);
  tcase_add_loop_test(define, test_errors_inside_definition, 0,
                      (int)(sizeof(inside) / sizeof(inside[0])));
  tcase_add_loop_test(define, test_not_one_definition, 0,
                      (int)(sizeof(not_one) / sizeof(not_one[0])));
  tcase_add_test(define, test_definition_name);
  suite_add_tcase(s, define);
  TCase* undefine = tcase_create("undefine");
  tcase_add_test(undefine, test_undefine_unused);
  tcase_add_test(undefine, test_undefine_refused);
  tcase_add_test(undefine, test_undefine_without_definitions);
  tcase_add_test(undefine, test_uses);
  suite_add_tcase(s, undefine);
  return s;
}

int
main(void)
{
  SRunner* runner = srunner_create(patch_define_suite());
  srunner_run_all(runner, CK_NORMAL);
  const int failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
