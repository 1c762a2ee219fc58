/* SPDX-License-Identifier: ISC */
/* The patch text format refusing bad text: every error kind with its exact
   message, line and column; garbage, truncated and huge inputs; and the
   caller's model unchanged by any failed parse. */
#include "graph.h"
#include "patch.h"
#include "patch_error_support.h"
#include "test_patch_catalog.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A catalog that knows one type, so the implicit nodes cannot be made. */
static const StNodeType*
mix_only(const char* name)
{
  return strcmp(name, "testmix") ? NULL : test_find(name);
}

static const StTypeCatalog mix_catalog = {mix_only, NULL, NULL};

/* A model that already holds a patch, to see that failures leave it alone. */
static StGraph*
filled_model(uint32_t capacity)
{
  StGraph* g = st_graph_new(capacity, 4096, 48000.0f);
  StHandle a;
  ck_assert_ptr_nonnull(g);
  ck_assert_int_eq(st_graph_add(g, test_find("testmix"), "keep", NULL, &a), ST_OK);
  ck_assert_int_eq(st_graph_map(g, 2, a, 1, -1.0f, 1.0f, ST_CURVE_LINEAR, "kept"), ST_OK);
  return g;
}

static const ErrorCase error_cases[] = {
  // Node positions and the patch name.
  {"node a testosc\nplace b 1 2", ST_ERR_UNKNOWN, "line 2, column 7: unknown node 'b'"},
  {"node a testosc\nplace a 1 2\nplace a 3 4", ST_ERR_SYNTAX, "line 3, column 7: node 'a' is placed twice"},
  {"node a testosc\nplace a 1", ST_ERR_SYNTAX, "line 2, column 10: expected the node's y position, found end of line"},
  {"node a testosc\nplace a , 2", ST_ERR_SYNTAX, "line 2, column 9: expected the node's x position, found ','"},
  {"node a testosc\nplace a 1 2x", ST_ERR_SYNTAX, "line 2, column 11: bad number '2x'"},
  {"node a testosc\nplace a 1e39 0", ST_ERR_RANGE, "line 2, column 9: position 1e39 is out of range"},
  {"node a testosc\nplace a 1 2 3", ST_ERR_SYNTAX, "line 2, column 13: expected end of line, found '3'"},
  {"plac a 1 2", ST_ERR_SYNTAX, "line 1, column 1: unknown statement 'plac' (did you mean 'place'?)"},
  {"name \"x\"\nname \"y\"", ST_ERR_SYNTAX, "line 2, column 1: the patch is named twice"},
  {"name x", ST_ERR_SYNTAX, "line 1, column 6: expected the patch name in quotes, found 'x'"},
  {"name", ST_ERR_SYNTAX, "line 1, column 5: expected the patch name in quotes, found end of line"},
  {"name \"a\" b", ST_ERR_SYNTAX, "line 1, column 10: expected end of line, found 'b'"},
  {"name \"0123456789012345678901234567890123456789012345678901234567890123\"", ST_ERR_SYNTAX,
   "line 1, column 70: label is too long (at most 63 bytes)"},
  // Statements and names.
  {"nod osc testosc", ST_ERR_SYNTAX, "line 1, column 1: unknown statement 'nod' (did you mean 'node'?)"},
  {"  123", ST_ERR_SYNTAX, "line 1, column 3: expected a statement (node, link, macro, tap, place or name), found '123'"},
  {"\n\n-> x", ST_ERR_SYNTAX, "line 3, column 1: expected a statement (node, link, macro, tap, place or name), found '->'"},
  {"node", ST_ERR_SYNTAX, "line 1, column 5: expected a node name, found end of line"},
  {"node # a comment", ST_ERR_SYNTAX, "line 1, column 6: expected a node name, found end of line"},
  {"node 1osc testosc", ST_ERR_SYNTAX, "line 1, column 6: expected a node name, found '1osc'"},
  {"node osc", ST_ERR_SYNTAX, "line 1, column 9: expected a node type, found end of line"},
  {"node osc testsoc", ST_ERR_UNKNOWN, "line 1, column 10: unknown node type 'testsoc' (did you mean 'testosc'?)"},
  {"node osc zzz", ST_ERR_UNKNOWN, "line 1, column 10: unknown node type 'zzz'"},
  {"node osc testosc\nnode osc testfilt", ST_ERR_NAME, "line 2, column 6: a node named 'osc' already exists"},
  {"node aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa testosc", ST_ERR_NAME,
   "line 1, column 6: name 'aaaaaaaaaaaaaaaaaaaa...' is too long (at most 31 characters)"},
  // Parameters.
  {"node osc testosc frq=1", ST_ERR_UNKNOWN,
   "line 1, column 18: node 'osc' (testosc) has no parameter 'frq' (did you mean 'freq'?)"},
  {"node osc testosc freq=1 freq=2", ST_ERR_SYNTAX, "line 1, column 25: osc.freq is set twice"},
  {"node osc testosc freq 1", ST_ERR_SYNTAX,
   "line 1, column 23: expected '=' after the parameter name, found '1'"},
  {"node osc testosc =1", ST_ERR_SYNTAX, "line 1, column 18: expected PARAM=VALUE, found '=1'"},
  {"node osc testosc freq=", ST_ERR_SYNTAX,
   "line 1, column 23: expected a value for osc.freq, found end of line"},
  {"node osc testosc freq=110Hz", ST_ERR_SYNTAX, "line 1, column 23: bad number '110Hz'"},
  {"node osc testosc freq=1.2.3", ST_ERR_SYNTAX, "line 1, column 23: bad number '1.2.3'"},
  {"node osc testosc freq=1e", ST_ERR_SYNTAX, "line 1, column 23: bad number '1e'"},
  {"node osc testosc freq=0x10", ST_ERR_SYNTAX, "line 1, column 23: bad number '0x10'"},
  {"node osc testosc freq=30000", ST_ERR_RANGE,
   "line 1, column 23: osc.freq = 30000 is out of range 0.01..20000 Hz"},
  {"node osc testosc freq=-5", ST_ERR_RANGE,
   "line 1, column 23: osc.freq = -5 is out of range 0.01..20000 Hz"},
  {"node osc testosc voices=2.5", ST_ERR_RANGE,
   "line 1, column 25: osc.voices = 2.5 must be a whole number"},
  {"node osc testosc wave=sqare", ST_ERR_UNKNOWN,
   "line 1, column 23: osc.wave has no choice 'sqare' (did you mean 'square'?)"},
  {"node osc testosc wave=5", ST_ERR_RANGE, "line 1, column 23: osc.wave = 5 is out of range 0..4"},
  {"node osc testosc freq=saw", ST_ERR_SYNTAX, "line 1, column 23: osc.freq takes a number, not 'saw'"},
  // Not finite, or beyond the float range.
  {"node m testmix wide=nan", ST_ERR_SYNTAX, "line 1, column 21: m.wide takes a number, not 'nan'"},
  {"node m testmix wide=inf", ST_ERR_SYNTAX, "line 1, column 21: m.wide takes a number, not 'inf'"},
  {"node m testmix wide=-inf", ST_ERR_SYNTAX,
   "line 1, column 21: expected a value for m.wide, found '-inf'"},
  {"node m testmix wide=NaN", ST_ERR_SYNTAX, "line 1, column 21: m.wide takes a number, not 'NaN'"},
  {"node m testmix wide=1e999", ST_ERR_RANGE,
   "line 1, column 21: m.wide = 1e999 is out of range -3.4028235e+38..3.4028235e+38"},
  {"node m testmix wide=-1e39", ST_ERR_RANGE,
   "line 1, column 21: m.wide = -1e39 is out of range -3.4028235e+38..3.4028235e+38"},
  {"node m testmix level=1e-999 wide=99999999999999999999999999999999999999999999999999999999999999999",
   ST_ERR_SYNTAX,
   "line 1, column 34: number '99999999999999999999...' is too long (at most 63 characters)"},
  {"node o testosc wave=nan", ST_ERR_UNKNOWN, "line 1, column 21: o.wave has no choice 'nan'"},
  // Links.
  {"node a testmix\nlink a.out b.a", ST_ERR_SYNTAX,
   "line 2, column 12: expected '->' after the link's source, found 'b.a'"},
  {"node a testmix\nlink a.out -", ST_ERR_SYNTAX,
   "line 2, column 12: expected '->' after the link's source, found '-'"},
  {"link a.out -> b.a", ST_ERR_UNKNOWN, "line 1, column 6: unknown node 'a'"},
  {"node vcf testfilt\nlink vfc.lp -> out.left", ST_ERR_UNKNOWN,
   "line 2, column 6: unknown node 'vfc' (did you mean 'vcf'?)"},
  {"link ot.left -> in.left", ST_ERR_UNKNOWN, "line 1, column 6: unknown node 'ot' (did you mean 'out'?)"},
  {"node vcf testfilt\nlink in.left -> vcf.cutof", ST_ERR_UNKNOWN,
   "line 2, column 21: node 'vcf' (testfilt) has no input 'cutof' (did you mean 'cutoff'?)"},
  {"node vcf testfilt\nlink vcf.lpf -> out.left", ST_ERR_UNKNOWN,
   "line 2, column 10: node 'vcf' (testfilt) has no output 'lpf' (did you mean 'lp'?)"},
  {"link out.left -> in.left", ST_ERR_UNKNOWN, "line 1, column 10: node 'out' (output) has no output 'left'"},
  {"node a testmix\nlink a -> a.b", ST_ERR_SYNTAX,
   "line 2, column 8: expected '.' after the node name, found '->'"},
  {"node a testmix\nlink a. -> a.b", ST_ERR_SYNTAX, "line 2, column 9: expected an output name, found '->'"},
  {"node a testmix\nlink in.left -> a.", ST_ERR_SYNTAX, "line 2, column 19: expected an input name, found end of line"},
  {"node a testmix\nnode b testmix\nlink a.out -> b.a\nlink b.out -> a.a", ST_ERR_CYCLE,
   "line 4, column 15: link b.out -> a.a would close a cycle: a -> b -> a"},
  {"node a testmix\nlink a.out -> a.b", ST_ERR_CYCLE,
   "line 2, column 15: link a.out -> a.b would close a cycle: a -> a"},
  {"node a testmix\nnode b testmix\nnode c testmix\nlink a.out -> c.a\nlink b.out -> c.a", ST_ERR_PORT,
   "line 5, column 15: cannot link b.out -> c.a: c.a is already linked from a.out"},
  {"link in.left -> out.left extra", ST_ERR_SYNTAX, "line 1, column 26: expected end of line, found 'extra'"},
  {"# c\r\n\r\nnode a testmix\r\nlink a.out -> a.x\r\n", ST_ERR_UNKNOWN,
   "line 4, column 17: node 'a' (testmix) has no input 'x'"},
  // Taps.
  {"tap lef in.left", ST_ERR_SYNTAX, "line 1, column 5: expected left or right, found 'lef' (did you mean 'left'?)"},
  {"tap", ST_ERR_SYNTAX, "line 1, column 4: expected left or right, found end of line"},
  {"tap left in.left\ntap left in.right", ST_ERR_PORT, "line 2, column 5: the left tap is set twice"},
  {"tap right out.left", ST_ERR_UNKNOWN, "line 1, column 15: node 'out' (output) has no output 'left'"},
  // Macros.
  {"macro 0 a.b 1..2", ST_ERR_RANGE, "line 1, column 7: macro slot 0 does not exist (1..16)"},
  {"macro 17 a.b 1..2", ST_ERR_RANGE, "line 1, column 7: macro slot 17 does not exist (1..16)"},
  {"macro 1.5 a.b 1..2", ST_ERR_RANGE, "line 1, column 7: macro slot 1.5 does not exist (1..16)"},
  {"macro x a.b 1..2", ST_ERR_SYNTAX, "line 1, column 7: expected a macro slot 1..16, found 'x'"},
  {"node f testfilt\nmacro 1 f.size 1..2", ST_ERR_PARAM,
   "line 2, column 11: f.size is fixed when the node is made: no macro can drive it"},
  {"node f testfilt\nmacro 1 f.cutof 1..2", ST_ERR_UNKNOWN,
   "line 2, column 11: node 'f' (testfilt) has no parameter 'cutof' (did you mean 'cutoff'?)"},
  {"node f testfilt\nmacro 1 f.cutoff 10..100", ST_ERR_RANGE,
   "line 2, column 18: f.cutoff = 10 is out of range 20..20000 Hz"},
  {"node f testfilt\nmacro 1 f.cutoff 100..1e6", ST_ERR_RANGE,
   "line 2, column 23: f.cutoff = 1e6 is out of range 20..20000 Hz"},
  {"node f testfilt\nmacro 1 f.cutoff 100 1000", ST_ERR_SYNTAX,
   "line 2, column 22: expected '..' between the macro's min and max, found '1000'"},
  {"node f testfilt\nmacro 1 f.mode svf..lader", ST_ERR_UNKNOWN,
   "line 2, column 21: f.mode has no choice 'lader' (did you mean 'ladder'?)"},
  {"node m testmix\nmacro 1 m.pan -1..1 exp", ST_ERR_RANGE,
   "line 2, column 21: exp curve on m.pan needs min and max of one sign, not 0"},
  {"node m testmix\nmacro 1 m.pan 0..1 ex", ST_ERR_SYNTAX,
   "line 2, column 20: expected lin, exp or a \"label\", found 'ex' (did you mean 'exp'?)"},
  {"node m testmix\nmacro 1 m.pan 0..1\nmacro 1 m.pan 0..0.5", ST_ERR_SYNTAX,
   "line 3, column 7: macro 1 already drives m.pan"},
  {"node m testmix\nmacro 1 m.pan 0..1 \"abc", ST_ERR_SYNTAX, "line 2, column 20: label has no closing '\"'"},
  {"node m testmix\nmacro 1 m.pan 0..1 \"a\tb\"", ST_ERR_SYNTAX,
   "line 2, column 22: a label cannot hold control characters: write them as \\xHH"},
  {"node m testmix\nmacro 1 m.pan 0..1 \"a\\qb\"", ST_ERR_SYNTAX,
   "line 2, column 22: bad escape in label: use \\\", \\\\ or \\xHH"},
  {"node m testmix\nmacro 1 m.pan 0..1 \"\\x4\"", ST_ERR_SYNTAX,
   "line 2, column 21: bad escape in label: use \\\", \\\\ or \\xHH"},
  {"node m testmix\nmacro 1 m.pan 0..1 \"\\x00\"", ST_ERR_SYNTAX,
   "line 2, column 21: a label cannot hold a zero byte"},
  {"node m testmix\nmacro 1 m.pan 0..1 \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"", ST_ERR_SYNTAX,
   "line 2, column 52: label is too long (at most 31 bytes)"},
  {"node m testmix\nmacro 1 m.pan 0..1 \"x\" y", ST_ERR_SYNTAX,
   "line 2, column 24: expected end of line, found 'y'"},
  // Bytes that are no text.
  {"node \xff\xfe testmix", ST_ERR_SYNTAX, "line 1, column 6: expected a node name, found '\\xff\\xfe'"},
  {"node a testmix \x01\x7f", ST_ERR_SYNTAX, "line 1, column 16: expected PARAM=VALUE, found '\\x01\\x7f'"},
  {"node a testmix # \xff is fine in a comment\nlink a.out -> a.\xc3\xa9", ST_ERR_SYNTAX,
   "line 2, column 17: expected an input name, found '\\xc3\\xa9'"},
};

START_TEST(test_error_messages)
{
  const ErrorCase* c = &error_cases[_i];
  StGraph*         g = filled_model(64);
  expect_error(g, c->text, c->status, c->message);
  st_graph_free(g);
}
END_TEST

START_TEST(test_error_catalogs)
{
  StGraph*     g = filled_model(64);
  StPatchError e;
  // A catalog without a listing suggests no type names.
  const char* text = "node osc testsoc";
  ck_assert_int_eq(parse_into(g, text, strlen(text), test_catalog(true), &e), ST_ERR_UNKNOWN);
  ck_assert_str_eq(e.message, "line 1, column 10: unknown node type 'testsoc'");
  // Without the types of in, out and midi these names are unknown, and not suggested.
  text = "node a testmix\nlink a.out -> out.left";
  ck_assert_int_eq(parse_into(g, text, strlen(text), &mix_catalog, &e), ST_ERR_UNKNOWN);
  ck_assert_str_eq(e.message, "line 2, column 15: unknown node 'out'");
  text = "node a testmix\nlink a.out -> ot.left";
  ck_assert_int_eq(parse_into(g, text, strlen(text), &mix_catalog, &e), ST_ERR_UNKNOWN);
  ck_assert_str_eq(e.message, "line 2, column 15: unknown node 'ot'");
  st_graph_free(g);
}
END_TEST

START_TEST(test_error_nul_byte)
{
  StGraph*     g = filled_model(64);
  StPatchError e;
  static const char text[] = "node a testmix\0 level=1\nnode b testmix";
  ck_assert_int_eq(parse_into(g, text, sizeof(text) - 1, test_catalog(false), &e), ST_ERR_SYNTAX);
  ck_assert_str_eq(e.message, "line 1, column 15: expected PARAM=VALUE, found '\\x00'");
  static const char label[] = "node m testmix\nmacro 1 m.pan 0..1 \"a\0\"";
  ck_assert_int_eq(parse_into(g, label, sizeof(label) - 1, test_catalog(false), &e), ST_ERR_SYNTAX);
  ck_assert_str_eq(e.message,
                   "line 2, column 22: a label cannot hold control characters: write them as \\xHH");
  st_graph_free(g);
}
END_TEST

START_TEST(test_error_capacity)
{
  StGraph*     g = st_graph_new(2, 64, 48000.0f);
  StPatchError e;
  const char*  text = "node a testmix\nnode b testmix\nnode c testmix";
  ck_assert_int_eq(parse_into(g, text, strlen(text), test_catalog(false), &e), ST_ERR_FULL);
  ck_assert_str_eq(e.message, "line 3, column 6: cannot add 'c': the patch is full (2 nodes)");
  text = "node a testmix\nnode b testmix\nlink in.left -> a.a";
  ck_assert_int_eq(parse_into(g, text, strlen(text), test_catalog(false), &e), ST_ERR_FULL);
  ck_assert_str_eq(e.message, "line 3, column 6: cannot add 'in': the patch is full (2 nodes)");
  st_graph_free(g);
}
END_TEST

START_TEST(test_error_macro_capacity)
{
  // 65 maps: more than a patch holds.
  const size_t cap  = 64 * 1024;
  char*        text = malloc(cap);
  ck_assert_ptr_nonnull(text);
  int len = sprintf(text, "node m testmix\n");
  for (int i = 0; i <= ST_MAX_MACRO_MAPS / 2; ++i) {
    len += snprintf(text + len, cap - (size_t)len, "macro %d m.pan 0..1\nmacro %d m.level 0..1\n",
                    i % 16 + 1, i % 16 + 1);
    len += snprintf(text + len, cap - (size_t)len, "node n%d testmix\nmacro 1 n%d.pan 0..1\n", i, i);
  }
  StGraph*     g = filled_model(256);
  StPatchError e;
  ck_assert_int_eq(parse_into(g, text, (size_t)len, test_catalog(false), &e), ST_ERR_SYNTAX);
  ck_assert_ptr_nonnull(strstr(e.message, "already drives"));
  len = sprintf(text, "node m testmix\n");
  for (int i = 0; i <= ST_MAX_MACRO_MAPS; ++i) {
    len += snprintf(text + len, cap - (size_t)len, "node n%d testmix\nmacro 1 n%d.pan 0..1\n", i, i);
  }
  ck_assert_int_eq(parse_into(g, text, (size_t)len, test_catalog(false), &e), ST_ERR_FULL);
  ck_assert_str_eq(e.message, "line 131, column 1: a patch holds at most 64 macro maps");
  free(text);
  st_graph_free(g);
}
END_TEST

START_TEST(test_error_bad_arguments)
{
  StGraph*     g = filled_model(8);
  StPatchError e;
  ck_assert_int_eq(st_patch_parse("node", 4, NULL, NULL, &e), ST_ERR_BAD_ARG);
  ck_assert_uint_eq(e.line, 0);
  ck_assert_int_eq(st_patch_parse(NULL, 4, NULL, g, &e), ST_ERR_BAD_ARG);
  const StTypeCatalog no_find = {NULL, NULL, NULL};
  ck_assert_int_eq(st_patch_parse("", 0, &no_find, g, &e), ST_ERR_BAD_ARG);
  ck_assert_int_eq(st_patch_parse("x", 1, test_catalog(false), g, NULL), ST_ERR_SYNTAX);
  ck_assert_uint_eq(st_graph_count(g), 1);
  st_graph_free(g);
}
END_TEST

/* --- Garbage --- */

static const char* const valid_patch =
  "# a patch\n"
  "node osc testosc freq=110 wave=square voices=3\n"
  "node vcf testfilt cutoff=800 res=0.4 mode=ladder size=4\n"
  "link midi.pitch -> osc.pitch\n"
  "link osc.out -> vcf.in\n"
  "link vcf.lp -> out.left   # comment\n"
  "tap right vcf.bp\n"
  "macro 1 vcf.cutoff 80..12000 exp \"Cut \\\"off\\\" \\x41\"\n"
  "macro 16 osc.wave sine..tri lin\n";

/* Either parses (then writes and reads back equal) or fails cleanly. */
static void
parse_anything(StGraph* g, const char* text, size_t length)
{
  StPatchError e;
  if (parse_into(g, text, length, test_catalog(false), &e) == ST_OK) {
    char*    written = st_patch_write(g);
    StGraph* back    = st_graph_new(g->arena.capacity, 4096, 48000.0f);
    ck_assert_int_eq(st_patch_parse(written, strlen(written), test_catalog(false), back, &e), ST_OK);
    ck_assert(st_patch_equal(g, back));
    free(written);
    st_graph_free(back);
  }
}

START_TEST(test_garbage_random_bytes)
{
  static const char tokens[] = "node link macro tap left right in out midi osc testosc freq wave "
                               "= -> .. . \" \\ # \n\r\t 0 1 -3.5e9 saw exp lin \x00\xff";
  uint64_t seed = 0x1234567887654321ull;
  StGraph* g    = filled_model(64);
  char     text[4096];
  for (int round = 0; round < 3000; ++round) {
    const size_t length = test_rand(&seed) % sizeof(text);
    const bool   raw    = round % 2;
    for (size_t i = 0; i < length; ++i) {
      text[i] = raw ? (char)test_rand(&seed) : tokens[test_rand(&seed) % (sizeof(tokens) - 1)];
    }
    parse_anything(g, text, length);
  }
  st_graph_free(g);
}
END_TEST

START_TEST(test_garbage_truncated_and_mutated)
{
  const size_t length = strlen(valid_patch);
  StGraph*     g      = filled_model(64);
  char*        text   = malloc(length);
  uint64_t     seed   = 99;
  for (size_t cut = 0; cut <= length; ++cut) {
    parse_anything(g, valid_patch, cut);
  }
  for (int round = 0; round < 3000; ++round) {
    memcpy(text, valid_patch, length);
    for (uint32_t flips = 1 + test_rand(&seed) % 3; flips > 0; --flips) {
      text[test_rand(&seed) % length] = (char)test_rand(&seed);
    }
    parse_anything(g, text, length);
  }
  free(text);
  st_graph_free(g);
}
END_TEST

/* --- Huge inputs --- */

#define HUGE_BYTES (10u << 20)

START_TEST(test_huge_inputs)
{
  char*        text = malloc(HUGE_BYTES);
  StGraph*     g    = filled_model(64);
  StPatchError e;

  // Ten megabytes of comment lines, then an error on the last line.
  const char   tail[] = "node a nosuch";
  const size_t start  = HUGE_BYTES - (sizeof(tail) - 1);
  unsigned     lines  = 1;
  for (size_t i = 0; i < start; ++i) {
    text[i] = i % 40 == 39 || i == start - 1 ? '\n' : "# comment"[i % 40 % 9];
    lines += text[i] == '\n';
  }
  memcpy(text + start, tail, sizeof(tail) - 1);
  ck_assert_int_eq(parse_into(g, text, HUGE_BYTES, test_catalog(false), &e), ST_ERR_UNKNOWN);
  char expected[128];
  snprintf(expected, sizeof(expected), "line %u, column 8: unknown node type 'nosuch'", lines);
  ck_assert_str_eq(e.message, expected);
  ck_assert_uint_eq(e.line, lines);
  ck_assert_uint_gt(lines, 260000);

  // One name of ten megabytes.
  memset(text, 'a', HUGE_BYTES);
  memcpy(text, "node ", 5);
  ck_assert_int_eq(parse_into(g, text, HUGE_BYTES, test_catalog(false), &e), ST_ERR_NAME);
  ck_assert_str_eq(e.message,
                   "line 1, column 6: name 'aaaaaaaaaaaaaaaaaaaa...' is too long (at most 31 characters)");

  // One number of ten megabytes, one label of ten megabytes, blanks.
  memset(text, '9', HUGE_BYTES);
  memcpy(text, "node m testmix wide=", 20);
  ck_assert_int_eq(parse_into(g, text, HUGE_BYTES, test_catalog(false), &e), ST_ERR_SYNTAX);
  ck_assert_str_eq(e.message,
                   "line 1, column 21: number '99999999999999999999...' is too long (at most 63 characters)");
  memset(text, 'x', HUGE_BYTES);
  const char macro[] = "node m testmix\nmacro 1 m.pan 0..1 \"";
  memcpy(text, macro, sizeof(macro) - 1);
  ck_assert_int_eq(parse_into(g, text, HUGE_BYTES, test_catalog(false), &e), ST_ERR_SYNTAX);
  ck_assert_str_eq(e.message, "line 2, column 52: label is too long (at most 31 bytes)");
  memset(text, ' ', HUGE_BYTES);
  ck_assert_int_eq(parse_into(g, text, HUGE_BYTES, test_catalog(false), &e), ST_OK);
  ck_assert_uint_eq(st_graph_count(g), 0);

  free(text);
  st_graph_free(g);
}
END_TEST

static Suite*
patch_errors_suite(void)
{
  Suite* s      = suite_create("patch errors");
  TCase* errors = tcase_create("errors");
  tcase_add_loop_test(errors, test_error_messages, 0,
                      (int)(sizeof(error_cases) / sizeof(error_cases[0])));
  tcase_add_test(errors, test_error_catalogs);
  tcase_add_test(errors, test_error_nul_byte);
  tcase_add_test(errors, test_error_capacity);
  tcase_add_test(errors, test_error_macro_capacity);
  tcase_add_test(errors, test_error_bad_arguments);
  suite_add_tcase(s, errors);
  TCase* garbage = tcase_create("garbage");
  tcase_set_timeout(garbage, 300);
  tcase_add_test(garbage, test_garbage_random_bytes);
  tcase_add_test(garbage, test_garbage_truncated_and_mutated);
  tcase_add_test(garbage, test_huge_inputs);
  suite_add_tcase(s, garbage);
  return s;
}

int
main(void)
{
  SRunner* runner = srunner_create(patch_errors_suite());
  srunner_run_all(runner, CK_NORMAL);
  const int failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
