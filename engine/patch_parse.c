/* SPDX-License-Identifier: ISC */
/* Patch text to graph model: one statement a line, built into a scratch
   model that replaces the caller's only when the whole text is good. */
#include "patch.h"

#include "nodes/registry.h"
#include "patch_number.h"
#include "patch_parser.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define NAME_BYTES ST_NAME_MAX ///< Bytes of any name in a patch, with the zero
#define NUMBER_BYTES 64        ///< Bytes of a number as written, with the zero
#define FOUND_BYTES 96         ///< Bytes of a described token
#define HINT_BYTES ST_PARSE_HINT_BYTES

/* Nodes a patch may use without declaring them. */
static const struct {
  const char* name; ///< Node name
  const char* type; ///< Type it gets on first reference
} implicit_nodes[] = {
  {"in", "input"},
  {"out", "output"},
  {"midi", "midi"},
};

#define N_IMPLICIT (sizeof(implicit_nodes) / sizeof(implicit_nodes[0]))

static const char* const sides[]    = {"left", "right", NULL};
static const char* const curves[]   = {"lin", "exp", NULL};

/* --- Messages --- */

StStatus
st_parse_fail_at(StParser* p, StStatus status, unsigned line, unsigned column, const char* fmt,
                 ...)
{
  StPatchError* e = p->error;
  line            = line ? line : p->lex.line;
  const int     n = snprintf(e->message, sizeof(e->message), "line %u, column %u: ", line, column);
  va_list       args;
  va_start(args, fmt);
  vsnprintf(e->message + n, sizeof(e->message) - (size_t)n, fmt, args);
  va_end(args);
  e->status = status;
  e->line   = line;
  e->column = column;
  return status;
}

/* " (did you mean 'x'?)" for the nearest candidate, or "". */
const char*
st_parse_hint(char out[HINT_BYTES], const char* word, const void* source, size_t count,
              StNameAt name_at)
{
  const char* best = st_suggest(word, source, count, name_at);
  snprintf(out, HINT_BYTES, best ? " (did you mean '%s'?)" : "%s", best ? best : "");
  return out;
}

static const char*
hint_in(char out[HINT_BYTES], const char* word, const char* const* names)
{
  return st_parse_hint(out, word, names, st_suggest_count(names), st_suggest_name_at);
}

StStatus
st_parse_fail_expected(StParser* p, const char* what)
{
  char found[FOUND_BYTES];
  const unsigned column = st_lexer_column(&p->lex);
  st_lexer_describe(&p->lex, p->lex.pos, found, sizeof(found));
  return st_parse_fail(p, ST_ERR_SYNTAX, column, "expected %s, found %s", what, found);
}

StStatus
st_parse_expect_end(StParser* p)
{
  return st_lexer_at_end(&p->lex) ? ST_OK : st_parse_fail_expected(p, "end of line");
}

/* --- Tokens --- */

/* Bytes of a token to show in a message: the text is not zero-terminated,
   so every "%.*s" of it needs a bound within the token. */
static int
shown(const StToken* token)
{
  return token->length < 20 ? (int)token->length : 20;
}

StStatus
st_parse_expect_name(StParser* p, const char* what, StToken* token, char out[NAME_BYTES])
{
  if (!st_lexer_name(&p->lex, token)) {
    return st_parse_fail_expected(p, what);
  }
  if (!st_lexer_copy(&p->lex, token, out, NAME_BYTES)) {
    return st_parse_fail(p, ST_ERR_NAME, token->column,
                         "name '%.*s...' is too long (at most %d characters)", shown(token),
                         p->lex.text + token->start, NAME_BYTES - 1);
  }
  return ST_OK;
}

StStatus
st_parse_expect_punct(StParser* p, const char* punct, const char* what)
{
  StToken token;
  return st_lexer_punct(&p->lex, punct, &token) ? ST_OK : st_parse_fail_expected(p, what);
}

/* --- Values --- */

static int
choice_index(const StParamSpec* spec, const char* name)
{
  for (size_t i = 0; i < st_suggest_count(spec->choices); ++i) {
    if (!strcmp(spec->choices[i], name)) {
      return (int)i;
    }
  }
  return -1;
}

/* Reads a choice name for `spec` of `node` into `value`, and the name into `text`. */
static StStatus
read_choice(StParser* p, const char* node, const StParamSpec* spec, const StToken* token,
            char text[NUMBER_BYTES], float* value)
{
  char h[HINT_BYTES];
  if (!(spec->flags & ST_PARAM_CHOICE) || !st_lexer_copy(&p->lex, token, text, NAME_BYTES)) {
    return st_parse_fail(p, ST_ERR_SYNTAX, token->column, "%s.%s takes a number, not '%.*s'",
                         node, spec->name, shown(token), p->lex.text + token->start);
  }
  const int index = choice_index(spec, text);
  if (index < 0) {
    return st_parse_fail(p, ST_ERR_UNKNOWN, token->column, "%s.%s has no choice '%s'%s", node,
                         spec->name, text, hint_in(h, text, spec->choices));
  }
  *value = (float)index;
  return ST_OK;
}

/* Reads a number into `value` and its text into `text`; `finite` false when
   it is beyond the float range. */
static StStatus
read_number(StParser* p, const char* node, const StParamSpec* spec, StToken* token,
            char text[NUMBER_BYTES], float* value, bool* finite)
{
  char         found[FOUND_BYTES];
  const StScan scan = st_lexer_number(&p->lex, token);
  if (scan == ST_SCAN_NONE) {
    char what[96];
    snprintf(what, sizeof(what), "a value for %s.%s", node, spec->name);
    return st_parse_fail_expected(p, what);
  }
  st_lexer_describe(&p->lex, token->start, found, sizeof(found));
  if (scan == ST_SCAN_BAD) {
    return st_parse_fail(p, ST_ERR_SYNTAX, token->column, "bad number %s", found);
  }
  if (!st_lexer_copy(&p->lex, token, text, NUMBER_BYTES)) {
    return st_parse_fail(p, ST_ERR_SYNTAX, token->column,
                         "number %s is too long (at most %d characters)", found,
                         NUMBER_BYTES - 1);
  }
  *finite = st_number_read(text, value);
  return ST_OK;
}

/* Same rules as the graph's own check, so st_graph_add never refuses a value read here. */
static StStatus
check_value(StParser* p, const char* node, const StParamSpec* spec, const char* text,
            float value, bool finite, unsigned column)
{
  const char* unit = spec->unit ? spec->unit : "";
  char        min[ST_NUMBER_TEXT], max[ST_NUMBER_TEXT];
  st_number_format(spec->min, min);
  st_number_format(spec->max, max);
  if (!finite || value < spec->min || value > spec->max) {
    return st_parse_fail(p, ST_ERR_RANGE, column, "%s.%s = %s is out of range %s..%s%s%s", node,
                         spec->name, text, min, max, *unit ? " " : "", unit);
  }
  if ((spec->flags & (ST_PARAM_CHOICE | ST_PARAM_INT)) && value != floorf(value)) {
    return st_parse_fail(p, ST_ERR_RANGE, column, "%s.%s = %s must be a whole number", node,
                         spec->name, text);
  }
  return ST_OK;
}

/* Reads a value of `spec` of `node`: a number, or a choice name for a choice parameter. */
static StStatus
expect_value(StParser* p, const char* node, const StParamSpec* spec, float* value)
{
  StToken  token;
  char     text[NUMBER_BYTES];
  bool     finite = true;
  StStatus st     = st_lexer_name(&p->lex, &token)
                      ? read_choice(p, node, spec, &token, text, value)
                      : read_number(p, node, spec, &token, text, value, &finite);
  return st ? st : check_value(p, node, spec, text, *value, finite, token.column);
}

/* --- Names of things, for suggestions --- */

/* Type names: the catalog's, then the definitions finished so far. */
static const char*
type_name_at(const void* source, size_t index)
{
  const StParser* p     = source;
  const size_t    count = p->types->count && p->types->at ? p->types->count() : 0;
  return index < count ? p->types->at(index)->name : p->library->defs[index - count]->name;
}

/* Node names: the graph's live slots, then the implicit nodes the catalog can
   make (at the top level). */
static const char*
node_name_at(const void* source, size_t index)
{
  const StParser* p        = source;
  const uint32_t capacity = p->graph->arena.capacity;
  if (index >= capacity) {
    const size_t i = index - capacity;
    return !p->def && p->types->find(implicit_nodes[i].type) ? implicit_nodes[i].name : NULL;
  }
  return st_arena_live(&p->graph->arena, (uint32_t)index) ? p->graph->slots[index].name : NULL;
}

static const char*
input_name_at(const void* source, size_t index)
{
  return ((const StNodeType*)source)->inputs[index].name;
}

static const char*
output_name_at(const void* source, size_t index)
{
  return ((const StNodeType*)source)->outputs[index].name;
}

static const char*
param_name_at(const void* source, size_t index)
{
  return ((const StNodeType*)source)->params[index].name;
}

/* --- Nodes and endpoints --- */

StSubpatch*
st_parse_find_def(const StParser* p, const char* name)
{
  return (StSubpatch*)st_library_find(p->library, name);
}

/* A built-in type, or a definition finished before this statement. */
static const StNodeType*
find_type(StParser* p, const char* name, const StToken* token, StStatus* st)
{
  char              h[HINT_BYTES] = "";
  const StNodeType* type          = p->types->find(name);
  const StSubpatch* def           = type ? NULL : st_parse_find_def(p, name);
  type                            = def ? &def->type : type;
  if (!type) {
    const size_t listed = p->types->count && p->types->at ? p->types->count() : 0;
    st_parse_hint(h, name, p, listed + p->library->count, type_name_at);
  }
  *st =
    type ? ST_OK
         : st_parse_fail(p, ST_ERR_UNKNOWN, token->column, "unknown node type '%s'%s", name, h);
  return type;
}

/* The implicit node of this name, created now with its defaults, or NULL
   (always inside a definition, which has none). */
static const StNodeType*
implicit_type(StParser* p, const char* name)
{
  for (size_t i = 0; !p->def && i < N_IMPLICIT; ++i) {
    if (!strcmp(implicit_nodes[i].name, name)) {
      return p->types->find(implicit_nodes[i].type);
    }
  }
  return NULL;
}

/* Finds the named node, creating an implicit one on first reference. */
static StStatus
find_node(StParser* p, const char* name, const StToken* token, StHandle* node)
{
  *node = st_graph_find(p->graph, name);
  if (st_arena_valid(&p->graph->arena, *node)) {
    return ST_OK;
  }
  const StNodeType* type = implicit_type(p, name);
  if (type) {
    const StStatus st = st_graph_add(p->graph, type, name, NULL, node);
    return st ? st_parse_fail(p, st, token->column, "%s", st_graph_error(p->graph)) : ST_OK;
  }
  char h[HINT_BYTES];
  st_parse_hint(h, name, p, p->graph->arena.capacity + N_IMPLICIT, node_name_at);
  return st_parse_fail(p, ST_ERR_UNKNOWN, token->column, "unknown node '%s'%s", name, h);
}

static int
item_index(const StNodeType* type, StItemKind kind, const char* name)
{
  switch (kind) {
  case ST_ITEM_OUTPUT: return st_node_output_index(type, name);
  case ST_ITEM_INPUT: return st_node_input_index(type, name);
  case ST_ITEM_PARAM: return st_node_param_index(type, name);
  }
  return -1;
}

static StStatus
fail_no_item(StParser* p, const StEndpoint* e, StItemKind kind)
{
  static const char* const nouns[] = {"output", "input", "parameter"};
  static const StNameAt    name_at[] = {output_name_at, input_name_at, param_name_at};
  const StNodeType*        type      = e->slot->type;
  const uint32_t counts[] = {type->n_outputs, type->n_inputs, type->n_params};
  char           h[HINT_BYTES];
  st_parse_hint(h, e->item, type, counts[kind], name_at[kind]);
  return st_parse_fail(p, ST_ERR_UNKNOWN, e->item_token.column,
                       "node '%s' (%s) has no %s '%s'%s", e->slot->name, type->name,
                       nouns[kind], e->item, h);
}

StStatus
st_parse_endpoint_after(StParser* p, StItemKind kind, const char* node, StEndpoint* e)
{
  static const char* const what[] = {"an output name", "an input name", "a parameter name"};
  StStatus                 st     = find_node(p, node, &e->node_token, &e->node);
  if (st) {
    return st;
  }
  e->slot = st_graph_node(p->graph, e->node);
  if ((st = st_parse_expect_punct(p, ".", "'.' after the node name")) ||
      (st = st_parse_expect_name(p, what[kind], &e->item_token, e->item))) {
    return st;
  }
  const int index = item_index(e->slot->type, kind, e->item);
  if (index < 0) {
    return fail_no_item(p, e, kind);
  }
  e->index = (uint32_t)index;
  return ST_OK;
}

/* Reads NODE.ITEM, an output, input or parameter of a node. */
StStatus
st_parse_expect_endpoint(StParser* p, StItemKind kind, StEndpoint* e)
{
  char           node[NAME_BYTES];
  const StStatus st = st_parse_expect_name(p, "a node name", &e->node_token, node);
  return st ? st : st_parse_endpoint_after(p, kind, node, e);
}

/* --- Statements --- */

/* Reads the PARAM=VALUE list of a node statement into `values`. */
static StStatus
parse_params(StParser* p, const char* node, const StNodeType* type, float* values)
{
  bool set[ST_MAX_PARAMS] = {false};
  while (!st_lexer_at_end(&p->lex)) {
    StToken  token;
    char     name[NAME_BYTES];
    char     h[HINT_BYTES];
    StStatus st = st_parse_expect_name(p, "PARAM=VALUE", &token, name);
    if (st) {
      return st;
    }
    const int i = st_node_param_index(type, name);
    if (i < 0) {
      st_parse_hint(h, name, type, type->n_params, param_name_at);
      return st_parse_fail(p, ST_ERR_UNKNOWN, token.column,
                           "node '%s' (%s) has no parameter '%s'%s", node, type->name, name, h);
    }
    if (set[i]) {
      return st_parse_fail(p, ST_ERR_SYNTAX, token.column, "%s.%s is set twice", node, name);
    }
    set[i] = true;
    if ((st = st_parse_expect_punct(p, "=", "'=' after the parameter name")) ||
        (st = expect_value(p, node, &type->params[i], &values[i]))) {
      return st;
    }
  }
  return ST_OK;
}

StStatus
st_parse_add_node(StParser* p, const char* name, const StToken* name_token,
                  const StNodeType* type)
{
  float values[ST_MAX_PARAMS];
  for (uint32_t i = 0; i < type->n_params; ++i) {
    values[i] = type->params[i].def;
  }
  StStatus st = parse_params(p, name, type, values);
  if (st) {
    return st;
  }
  st = st_graph_add(p->graph, type, name, values, NULL);
  return st ? st_parse_fail(p, st, name_token->column, "%s", st_graph_error(p->graph)) : ST_OK;
}

/* node NAME TYPE [PARAM=VALUE ...] */
static StStatus
parse_node(StParser* p)
{
  StToken  name_token, type_token;
  char     name[NAME_BYTES], type_name[NAME_BYTES];
  StStatus st = st_parse_expect_name(p, "a node name", &name_token, name);
  if (st || (st = st_parse_check_free(p, name, &name_token)) ||
      (st = st_parse_expect_name(p, "a node type", &type_token, type_name))) {
    return st;
  }
  const StNodeType* type = find_type(p, type_name, &type_token, &st);
  if (st || (p->def && (st = st_parse_body_room(p, type, &type_token)))) {
    return st;
  }
  return st_parse_add_node(p, name, &name_token, type);
}

/* link NODE.OUTPUT -> NODE.INPUT */
static StStatus
parse_link(StParser* p)
{
  if (p->def) {
    return st_parse_body_link(p);
  }
  StEndpoint src, dst;
  StStatus   st = st_parse_expect_endpoint(p, ST_ITEM_OUTPUT, &src);
  if (st || (st = st_parse_expect_punct(p, "->", "'->' after the link's source")) ||
      (st = st_parse_expect_endpoint(p, ST_ITEM_INPUT, &dst)) ||
      (st = st_parse_expect_end(p))) {
    return st;
  }
  st = st_graph_connect(p->graph, src.node, src.index, dst.node, dst.index);
  return st ? st_parse_fail(p, st, dst.node_token.column, "%s", st_graph_error(p->graph))
            : ST_OK;
}

/* tap left|right NODE.OUTPUT */
static StStatus
parse_tap(StParser* p)
{
  StToken  token;
  StEndpoint src;
  char     side[NAME_BYTES];
  char     h[HINT_BYTES];
  StStatus   st = st_parse_expect_name(p, "left or right", &token, side);
  if (st) {
    return st;
  }
  const uint32_t channel = !strcmp(side, "left") ? 0 : !strcmp(side, "right") ? 1 : 2;
  if (channel == 2) {
    return st_parse_fail(p, ST_ERR_SYNTAX, token.column, "expected left or right, found '%s'%s",
                         side, hint_in(h, side, sides));
  }
  if (p->graph->taps[channel].node != ST_NO_NODE) {
    return st_parse_fail(p, ST_ERR_PORT, token.column, "the %s tap is set twice", side);
  }
  if ((st = st_parse_expect_endpoint(p, ST_ITEM_OUTPUT, &src)) ||
      (st = st_parse_expect_end(p))) {
    return st;
  }
  st = st_graph_set_output(p->graph, channel, src.node, src.index);
  return st ? st_parse_fail(p, st, src.node_token.column, "%s", st_graph_error(p->graph))
            : ST_OK;
}

static int
find_map(const StGraph* graph, uint32_t slot, StHandle node, uint32_t param)
{
  for (uint32_t m = 0; m < graph->n_maps; ++m) {
    const StMacroMap* map = &graph->maps[m];
    if (map->slot == slot && map->node.index == node.index && map->param == param) {
      return (int)m;
    }
  }
  return -1;
}

/* Reads the SLOT of a macro statement (1..16 as users count) as 0-based. */
static StStatus
expect_slot(StParser* p, StToken* token, uint32_t* slot)
{
  char  text[NUMBER_BYTES];
  float value;
  if (st_lexer_number(&p->lex, token) != ST_SCAN_OK) {
    return st_parse_fail_expected(p, "a macro slot 1..16");
  }
  if (!st_lexer_copy(&p->lex, token, text, sizeof(text)) || !st_number_read(text, &value) ||
      value < 1 || value > ST_MACRO_SLOTS || value != floorf(value)) {
    return st_parse_fail(p, ST_ERR_RANGE, token->column,
                         "macro slot %.*s does not exist (1..%d)", shown(token),
                         p->lex.text + token->start, ST_MACRO_SLOTS);
  }
  *slot = (uint32_t)value - 1;
  return ST_OK;
}

/* Reads the optional [lin|exp] of a macro statement; `column` is the curve's, or 0. */
static StStatus
parse_curve(StParser* p, StCurve* curve, unsigned* column)
{
  StToken token;
  char    word[NAME_BYTES];
  char    h[HINT_BYTES];
  *curve  = ST_CURVE_LINEAR;
  *column = 0;
  if (!st_lexer_name(&p->lex, &token)) {
    return ST_OK;
  }
  const bool fits = st_lexer_copy(&p->lex, &token, word, sizeof(word));
  if (!fits || (strcmp(word, "lin") && strcmp(word, "exp"))) {
    return st_parse_fail(p, ST_ERR_SYNTAX, token.column,
                         "expected lin, exp or a \"label\", found '%.*s'%s", shown(&token),
                         p->lex.text + token.start, fits ? hint_in(h, word, curves) : "");
  }
  *curve  = word[0] == 'e' ? ST_CURVE_EXPONENTIAL : ST_CURVE_LINEAR;
  *column = token.column;
  return ST_OK;
}

/* Reads a label of at most `size` - 1 bytes into `label` ("" when none is here). */
static StStatus
parse_label(StParser* p, char* label, size_t size)
{
  static const char* const why[] = {
    [ST_LABEL_CONTROL] = "a label cannot hold control characters: write them as \\xHH",
    [ST_LABEL_ESCAPE]  = "bad escape in label: use \\\", \\\\ or \\xHH",
    [ST_LABEL_ZERO]    = "a label cannot hold a zero byte",
    [ST_LABEL_OPEN]    = "label has no closing '\"'",
  };
  unsigned column = 0;
  label[0]        = '\0';
  if (!st_lexer_at_label(&p->lex)) {
    return ST_OK;
  }
  const StLabelScan scan = st_lexer_label(&p->lex, label, size, &column);
  if (scan == ST_LABEL_LONG) {
    return st_parse_fail(p, ST_ERR_SYNTAX, column, "label is too long (at most %d bytes)",
                         (int)size - 1);
  }
  return scan == ST_LABEL_OK ? ST_OK : st_parse_fail(p, ST_ERR_SYNTAX, column, "%s", why[scan]);
}

/* macro SLOT NODE.PARAM MIN..MAX [lin|exp] ["Label"] */
static StStatus
parse_macro(StParser* p)
{
  StToken  slot_token;
  StEndpoint e;
  uint32_t slot = 0;
  float    min = 0, max = 0;
  StCurve  curve        = ST_CURVE_LINEAR;
  unsigned curve_column = 0;
  char     label[ST_NAME_MAX];
  StStatus st = expect_slot(p, &slot_token, &slot);
  if (st || (st = st_parse_expect_endpoint(p, ST_ITEM_PARAM, &e))) {
    return st;
  }
  const StParamSpec* spec = &e.slot->type->params[e.index];
  if (spec->flags & ST_PARAM_FIXED) {
    return st_parse_fail(p, ST_ERR_PARAM, e.item_token.column,
                         "%s.%s is fixed when the node is made: no macro can drive it",
                         e.slot->name, spec->name);
  }
  if ((st = expect_value(p, e.slot->name, spec, &min)) ||
      (st = st_parse_expect_punct(p, "..", "'..' between the macro's min and max")) ||
      (st = expect_value(p, e.slot->name, spec, &max)) ||
      (st = parse_curve(p, &curve, &curve_column)) ||
      (st = parse_label(p, label, sizeof(label))) || (st = st_parse_expect_end(p))) {
    return st;
  }
  if (curve == ST_CURVE_EXPONENTIAL && !(min * max > 0.0f)) {
    return st_parse_fail(p, ST_ERR_RANGE, curve_column,
                         "exp curve on %s.%s needs min and max of one sign, not 0",
                         e.slot->name, spec->name);
  }
  if (find_map(p->graph, slot, e.node, e.index) >= 0) {
    return st_parse_fail(p, ST_ERR_SYNTAX, slot_token.column, "macro %u already drives %s.%s",
                         slot + 1, e.slot->name, spec->name);
  }
  st = st_graph_map(p->graph, slot, e.node, e.index, min, max, curve, label);
  return st ? st_parse_fail(p, st, p->column, "%s", st_graph_error(p->graph)) : ST_OK;
}

/* Reads a canvas coordinate: any finite number. */
static StStatus
expect_coordinate(StParser* p, const char* what, float* value)
{
  StToken      token;
  char         text[NUMBER_BYTES];
  char         found[FOUND_BYTES];
  const StScan scan = st_lexer_number(&p->lex, &token);
  if (scan == ST_SCAN_NONE) {
    return st_parse_fail_expected(p, what);
  }
  st_lexer_describe(&p->lex, token.start, found, sizeof(found));
  if (scan == ST_SCAN_BAD) {
    return st_parse_fail(p, ST_ERR_SYNTAX, token.column, "bad number %s", found);
  }
  if (!st_lexer_copy(&p->lex, &token, text, NUMBER_BYTES)) {
    return st_parse_fail(p, ST_ERR_SYNTAX, token.column,
                         "number %s is too long (at most %d characters)", found,
                         NUMBER_BYTES - 1);
  }
  if (!st_number_read(text, value)) {
    return st_parse_fail(p, ST_ERR_RANGE, token.column, "position %s is out of range", text);
  }
  return ST_OK;
}

/* place NODE X Y */
static StStatus
parse_place(StParser* p)
{
  StToken  token;
  char     name[NAME_BYTES];
  StHandle node;
  float    x = 0, y = 0;
  StStatus st = st_parse_expect_name(p, "a node name", &token, name);
  if (st || (st = find_node(p, name, &token, &node))) {
    return st;
  }
  if (p->graph->slots[node.index].placed) {
    return st_parse_fail(p, ST_ERR_SYNTAX, token.column, "node '%s' is placed twice", name);
  }
  if ((st = expect_coordinate(p, "the node's x position", &x)) ||
      (st = expect_coordinate(p, "the node's y position", &y)) ||
      (st = st_parse_expect_end(p))) {
    return st;
  }
  st = st_graph_place(p->graph, node, x, y);
  return st ? st_parse_fail(p, st, token.column, "%s", st_graph_error(p->graph)) : ST_OK;
}

/* name "Patch Name" */
static StStatus
parse_name(StParser* p)
{
  char     name[ST_PATCH_NAME_MAX];
  StStatus st;
  if (p->graph->name[0]) {
    return st_parse_fail(p, ST_ERR_SYNTAX, p->column, "the patch is named twice");
  }
  if (!st_lexer_at_label(&p->lex)) {
    return st_parse_fail_expected(p, "the patch name in quotes");
  }
  if ((st = parse_label(p, name, sizeof(name))) || (st = st_parse_expect_end(p))) {
    return st;
  }
  st = st_graph_set_name(p->graph, name);
  return st ? st_parse_fail(p, st, p->column, "%s", st_graph_error(p->graph)) : ST_OK;
}

/* --- The whole text --- */

/* Every statement, with where it may stand. */
static const struct {
  const char* word;
  StStatus (*parse)(StParser*);
  const char* not_in_body;  ///< Why it is refused inside a definition, or NULL
  const char* not_on_top;   ///< Why it is refused at the top level, or NULL
} statements[] = {
  {"node", parse_node, NULL, NULL},
  {"link", parse_link, NULL, NULL},
  {"macro", parse_macro, "macros are mapped at the top level of a patch", NULL},
  {"tap", parse_tap, "taps are set at the top level of a patch", NULL},
  {"place", parse_place, NULL, NULL},
  {"name", parse_name, "a patch is named at its top level", NULL},
  {"subpatch", st_parse_subpatch, NULL, NULL},
  {"voices", st_parse_voices, "voice groups are played at the top level of a patch", NULL},
  {"inlet", st_parse_inlet, NULL,
   "inlets are declared inside a sub-patch (subpatch NAME ... end)"},
  {"outlet", st_parse_outlet, NULL,
   "outlets are declared inside a sub-patch (subpatch NAME ... end)"},
  {"param", st_parse_param, NULL,
   "parameters are exposed inside a sub-patch (subpatch NAME ... end)"},
  {"end", st_parse_end, NULL, "'end' with no sub-patch to end"},
};

#define N_STATEMENTS (sizeof(statements) / sizeof(statements[0]))

static const char*
statement_at(const void* source, size_t index)
{
  (void)source;
  return statements[index].word;
}

static StStatus
parse_statement(StParser* p)
{
  StToken  token;
  char     word[NAME_BYTES];
  char     h[HINT_BYTES];
  StStatus st = st_parse_expect_name(p, "a statement (node, link, macro, tap, place or name)",
                                     &token, word);
  if (st) {
    return st;
  }
  p->column = token.column;
  for (size_t k = 0; k < N_STATEMENTS; ++k) {
    if (!strcmp(word, statements[k].word)) {
      const char* refused = p->def ? statements[k].not_in_body : statements[k].not_on_top;
      return refused ? st_parse_fail(p, ST_ERR_SYNTAX, token.column, "%s", refused)
                     : statements[k].parse(p);
    }
  }
  return st_parse_fail(p, ST_ERR_SYNTAX, token.column, "unknown statement '%s'%s", word,
                       st_parse_hint(h, word, NULL, N_STATEMENTS, statement_at));
}

static StStatus
parse_text(StParser* p)
{
  while (st_lexer_next_line(&p->lex)) {
    const StStatus st = st_lexer_at_end(&p->lex) ? ST_OK : parse_statement(p);
    if (st) {
      return st;
    }
  }
  return st_parse_finish(p);
}

static const StTypeCatalog registry = {st_registry_find, st_registry_count, st_registry_at};

const StTypeCatalog*
st_patch_registry(void)
{
  return &registry;
}

static StStatus
fail_early(StPatchError* error, StStatus status, const char* message)
{
  error->status = status;
  error->line = error->column = 0;
  snprintf(error->message, sizeof(error->message), "%s", message);
  return status;
}

StStatus
st_patch_parse(const char* text, size_t length, const StTypeCatalog* types, StGraph* model,
               StPatchError* error)
{
  StPatchError ignored;
  error = error ? error : &ignored;
  types = types ? types : &registry;
  if (!model || (!text && length) || !types->find) {
    return fail_early(error, ST_ERR_BAD_ARG, "patch parse needs text, a catalog and a model");
  }
  StNumberLocale locale;
  StGraph* scratch = st_graph_new(model->arena.capacity, model->plan.pool.count, model->rate);
  StLibrary*     library = st_library_new();
  if (scratch) {
    st_arena_renew(&scratch->arena, &model->arena); // Old handles stay refused.
  }
  if (!scratch || !library || st_number_begin(&locale)) {
    st_graph_free(scratch);
    st_library_unref(library);
    return fail_early(error, ST_ERR_NO_MEMORY, "out of memory reading the patch");
  }
  StParser p = {
    .types = types, .top = scratch, .graph = scratch, .library = library, .error = error};
  st_lexer_init(&p.lex, length ? text : "", length);
  const StStatus st = parse_text(&p);
  st_number_end(&locale);
  st_subpatch_free(p.def);  // Left unfinished by an error.
  if (!st) {
    scratch->library = library->count ? st_library_ref(library) : NULL;
    st_graph_copy(model, scratch);  // Shares the new library, drops the model's old one.
    fail_early(error, ST_OK, "");
  }
  st_graph_free(scratch);
  st_library_unref(library);
  return st;
}
