/* SPDX-License-Identifier: ISC */
/* Patch text to graph model: one statement a line, built into a scratch
   model that replaces the caller's only when the whole text is good. */
#include "patch.h"

#include "nodes/registry.h"
#include "patch_lexer.h"
#include "patch_number.h"
#include "suggest.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define NAME_BYTES ST_NAME_MAX ///< Bytes of any name in a patch, with the zero
#define NUMBER_BYTES 64        ///< Bytes of a number as written, with the zero
#define FOUND_BYTES 96         ///< Bytes of a described token
#define HINT_BYTES 64          ///< Bytes of " (did you mean 'x'?)"

typedef struct {
  StLexer              lex;   ///< Position in the text
  const StTypeCatalog* types; ///< Where node types are looked up
  StGraph*             graph; ///< Scratch model being built
  StPatchError*        error; ///< Filled on failure
  unsigned             column; ///< Column of the current statement's keyword
} Parser;

/* A NODE.PORT or NODE.PARAM reference, resolved. */
typedef struct {
  StHandle          node;             ///< The node
  const StNodeSlot* slot;             ///< Its slot
  uint32_t          index;            ///< Port or parameter index
  StToken           node_token;       ///< Where the node name is
  StToken           item_token;       ///< Where the port or parameter name is
  char              item[NAME_BYTES]; ///< Port or parameter name
} Endpoint;

/* What an endpoint's item names. */
typedef enum {
  ITEM_OUTPUT,
  ITEM_INPUT,
  ITEM_PARAM,
} ItemKind;

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

static const char* const keywords[] = {"node", "link", "macro", "tap", "place", "name", NULL};
static const char* const sides[]    = {"left", "right", NULL};
static const char* const curves[]   = {"lin", "exp", NULL};

/* --- Messages --- */

#ifdef __GNUC__
__attribute__((format(printf, 4, 5)))
#endif
static StStatus
fail(Parser* p, StStatus status, unsigned column, const char* fmt, ...)
{
  StPatchError* e = p->error;
  const int     n = snprintf(e->message, sizeof(e->message), "line %u, column %u: ",
                             p->lex.line, column);
  va_list args;
  va_start(args, fmt);
  vsnprintf(e->message + n, sizeof(e->message) - (size_t)n, fmt, args);
  va_end(args);
  e->status = status;
  e->line   = p->lex.line;
  e->column = column;
  return status;
}

/* " (did you mean 'x'?)" for the nearest candidate, or "". */
static const char*
hint(char out[HINT_BYTES], const char* word, const void* source, size_t count, StNameAt name_at)
{
  const char* best = st_suggest(word, source, count, name_at);
  snprintf(out, HINT_BYTES, best ? " (did you mean '%s'?)" : "%s", best ? best : "");
  return out;
}

static const char*
hint_in(char out[HINT_BYTES], const char* word, const char* const* names)
{
  return hint(out, word, names, st_suggest_count(names), st_suggest_name_at);
}

static StStatus
fail_expected(Parser* p, const char* what)
{
  char found[FOUND_BYTES];
  const unsigned column = st_lexer_column(&p->lex);
  st_lexer_describe(&p->lex, p->lex.pos, found, sizeof(found));
  return fail(p, ST_ERR_SYNTAX, column, "expected %s, found %s", what, found);
}

static StStatus
expect_end(Parser* p)
{
  return st_lexer_at_end(&p->lex) ? ST_OK : fail_expected(p, "end of line");
}

/* --- Tokens --- */

/* Bytes of a token to show in a message: the text is not zero-terminated,
   so every "%.*s" of it needs a bound within the token. */
static int
shown(const StToken* token)
{
  return token->length < 20 ? (int)token->length : 20;
}

static StStatus
expect_name(Parser* p, const char* what, StToken* token, char out[NAME_BYTES])
{
  if (!st_lexer_name(&p->lex, token)) {
    return fail_expected(p, what);
  }
  if (!st_lexer_copy(&p->lex, token, out, NAME_BYTES)) {
    return fail(p, ST_ERR_NAME, token->column, "name '%.*s...' is too long (at most %d characters)",
                shown(token), p->lex.text + token->start, NAME_BYTES - 1);
  }
  return ST_OK;
}

static StStatus
expect_punct(Parser* p, const char* punct, const char* what)
{
  StToken token;
  return st_lexer_punct(&p->lex, punct, &token) ? ST_OK : fail_expected(p, what);
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
read_choice(Parser* p, const char* node, const StParamSpec* spec, const StToken* token,
            char text[NUMBER_BYTES], float* value)
{
  char h[HINT_BYTES];
  if (!(spec->flags & ST_PARAM_CHOICE) || !st_lexer_copy(&p->lex, token, text, NAME_BYTES)) {
    return fail(p, ST_ERR_SYNTAX, token->column, "%s.%s takes a number, not '%.*s'", node,
                spec->name, shown(token), p->lex.text + token->start);
  }
  const int index = choice_index(spec, text);
  if (index < 0) {
    return fail(p, ST_ERR_UNKNOWN, token->column, "%s.%s has no choice '%s'%s", node, spec->name,
                text, hint_in(h, text, spec->choices));
  }
  *value = (float)index;
  return ST_OK;
}

/* Reads a number into `value` and its text into `text`; `finite` false when
   it is beyond the float range. */
static StStatus
read_number(Parser* p, const char* node, const StParamSpec* spec, StToken* token,
            char text[NUMBER_BYTES], float* value, bool* finite)
{
  char         found[FOUND_BYTES];
  const StScan scan = st_lexer_number(&p->lex, token);
  if (scan == ST_SCAN_NONE) {
    char what[96];
    snprintf(what, sizeof(what), "a value for %s.%s", node, spec->name);
    return fail_expected(p, what);
  }
  st_lexer_describe(&p->lex, token->start, found, sizeof(found));
  if (scan == ST_SCAN_BAD) {
    return fail(p, ST_ERR_SYNTAX, token->column, "bad number %s", found);
  }
  if (!st_lexer_copy(&p->lex, token, text, NUMBER_BYTES)) {
    return fail(p, ST_ERR_SYNTAX, token->column, "number %s is too long (at most %d characters)",
                found, NUMBER_BYTES - 1);
  }
  *finite = st_number_read(text, value);
  return ST_OK;
}

/* Same rules as the graph's own check, so st_graph_add never refuses a value read here. */
static StStatus
check_value(Parser* p, const char* node, const StParamSpec* spec, const char* text,
            float value, bool finite, unsigned column)
{
  const char* unit = spec->unit ? spec->unit : "";
  char        min[ST_NUMBER_TEXT], max[ST_NUMBER_TEXT];
  st_number_format(spec->min, min);
  st_number_format(spec->max, max);
  if (!finite || value < spec->min || value > spec->max) {
    return fail(p, ST_ERR_RANGE, column, "%s.%s = %s is out of range %s..%s%s%s", node,
                spec->name, text, min, max, *unit ? " " : "", unit);
  }
  if ((spec->flags & (ST_PARAM_CHOICE | ST_PARAM_INT)) && value != floorf(value)) {
    return fail(p, ST_ERR_RANGE, column, "%s.%s = %s must be a whole number", node, spec->name,
                text);
  }
  return ST_OK;
}

/* Reads a value of `spec` of `node`: a number, or a choice name for a choice parameter. */
static StStatus
expect_value(Parser* p, const char* node, const StParamSpec* spec, float* value)
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

static const char*
type_name_at(const void* source, size_t index)
{
  return ((const StTypeCatalog*)source)->at(index)->name;
}

/* Node names: the graph's live slots, then the implicit nodes the catalog can make. */
static const char*
node_name_at(const void* source, size_t index)
{
  const Parser*  p        = source;
  const uint32_t capacity = p->graph->arena.capacity;
  if (index >= capacity) {
    const size_t i = index - capacity;
    return p->types->find(implicit_nodes[i].type) ? implicit_nodes[i].name : NULL;
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

static const StNodeType*
find_type(Parser* p, const char* name, const StToken* token, StStatus* st)
{
  char              h[HINT_BYTES] = "";
  const StNodeType* type          = p->types->find(name);
  if (!type && p->types->count && p->types->at) {
    hint(h, name, p->types, p->types->count(), type_name_at);
  }
  *st = type ? ST_OK : fail(p, ST_ERR_UNKNOWN, token->column, "unknown node type '%s'%s", name, h);
  return type;
}

/* The implicit node of this name, created now with its defaults, or NULL. */
static const StNodeType*
implicit_type(Parser* p, const char* name)
{
  for (size_t i = 0; i < N_IMPLICIT; ++i) {
    if (!strcmp(implicit_nodes[i].name, name)) {
      return p->types->find(implicit_nodes[i].type);
    }
  }
  return NULL;
}

/* Finds the named node, creating an implicit one on first reference. */
static StStatus
find_node(Parser* p, const char* name, const StToken* token, StHandle* node)
{
  *node = st_graph_find(p->graph, name);
  if (st_arena_valid(&p->graph->arena, *node)) {
    return ST_OK;
  }
  const StNodeType* type = implicit_type(p, name);
  if (type) {
    const StStatus st = st_graph_add(p->graph, type, name, NULL, node);
    return st ? fail(p, st, token->column, "%s", st_graph_error(p->graph)) : ST_OK;
  }
  char h[HINT_BYTES];
  hint(h, name, p, p->graph->arena.capacity + N_IMPLICIT, node_name_at);
  return fail(p, ST_ERR_UNKNOWN, token->column, "unknown node '%s'%s", name, h);
}

static int
item_index(const StNodeType* type, ItemKind kind, const char* name)
{
  switch (kind) {
  case ITEM_OUTPUT: return st_node_output_index(type, name);
  case ITEM_INPUT: return st_node_input_index(type, name);
  case ITEM_PARAM: return st_node_param_index(type, name);
  }
  return -1;
}

static StStatus
fail_no_item(Parser* p, const Endpoint* e, ItemKind kind)
{
  static const char* const nouns[] = {"output", "input", "parameter"};
  static const StNameAt    name_at[] = {output_name_at, input_name_at, param_name_at};
  const StNodeType*        type      = e->slot->type;
  const uint32_t counts[] = {type->n_outputs, type->n_inputs, type->n_params};
  char           h[HINT_BYTES];
  hint(h, e->item, type, counts[kind], name_at[kind]);
  return fail(p, ST_ERR_UNKNOWN, e->item_token.column, "node '%s' (%s) has no %s '%s'%s",
              e->slot->name, type->name, nouns[kind], e->item, h);
}

/* Reads NODE.ITEM, an output, input or parameter of a node. */
static StStatus
expect_endpoint(Parser* p, ItemKind kind, Endpoint* e)
{
  static const char* const what[] = {"an output name", "an input name", "a parameter name"};
  char     node[NAME_BYTES];
  StStatus st = expect_name(p, "a node name", &e->node_token, node);
  if (st || (st = find_node(p, node, &e->node_token, &e->node))) {
    return st;
  }
  e->slot = st_graph_node(p->graph, e->node);
  if ((st = expect_punct(p, ".", "'.' after the node name")) ||
      (st = expect_name(p, what[kind], &e->item_token, e->item))) {
    return st;
  }
  const int index = item_index(e->slot->type, kind, e->item);
  if (index < 0) {
    return fail_no_item(p, e, kind);
  }
  e->index = (uint32_t)index;
  return ST_OK;
}

/* --- Statements --- */

/* Reads the PARAM=VALUE list of a node statement into `values`. */
static StStatus
parse_params(Parser* p, const char* node, const StNodeType* type, float* values)
{
  bool set[ST_MAX_PARAMS] = {false};
  while (!st_lexer_at_end(&p->lex)) {
    StToken  token;
    char     name[NAME_BYTES];
    char     h[HINT_BYTES];
    StStatus st = expect_name(p, "PARAM=VALUE", &token, name);
    if (st) {
      return st;
    }
    const int i = st_node_param_index(type, name);
    if (i < 0) {
      hint(h, name, type, type->n_params, param_name_at);
      return fail(p, ST_ERR_UNKNOWN, token.column, "node '%s' (%s) has no parameter '%s'%s",
                  node, type->name, name, h);
    }
    if (set[i]) {
      return fail(p, ST_ERR_SYNTAX, token.column, "%s.%s is set twice", node, name);
    }
    set[i] = true;
    if ((st = expect_punct(p, "=", "'=' after the parameter name")) ||
        (st = expect_value(p, node, &type->params[i], &values[i]))) {
      return st;
    }
  }
  return ST_OK;
}

/* node NAME TYPE [PARAM=VALUE ...] */
static StStatus
parse_node(Parser* p)
{
  StToken  name_token, type_token;
  char     name[NAME_BYTES], type_name[NAME_BYTES];
  StStatus st = expect_name(p, "a node name", &name_token, name);
  if (st) {
    return st;
  }
  if (st_arena_valid(&p->graph->arena, st_graph_find(p->graph, name))) {
    return fail(p, ST_ERR_NAME, name_token.column, "a node named '%s' already exists", name);
  }
  if ((st = expect_name(p, "a node type", &type_token, type_name))) {
    return st;
  }
  const StNodeType* type = find_type(p, type_name, &type_token, &st);
  if (st) {
    return st;
  }
  float values[ST_MAX_PARAMS];
  for (uint32_t i = 0; i < type->n_params; ++i) {
    values[i] = type->params[i].def;
  }
  if ((st = parse_params(p, name, type, values))) {
    return st;
  }
  st = st_graph_add(p->graph, type, name, values, NULL);
  return st ? fail(p, st, name_token.column, "%s", st_graph_error(p->graph)) : ST_OK;
}

/* link NODE.OUTPUT -> NODE.INPUT */
static StStatus
parse_link(Parser* p)
{
  Endpoint src, dst;
  StStatus st = expect_endpoint(p, ITEM_OUTPUT, &src);
  if (st || (st = expect_punct(p, "->", "'->' after the link's source")) ||
      (st = expect_endpoint(p, ITEM_INPUT, &dst)) || (st = expect_end(p))) {
    return st;
  }
  st = st_graph_connect(p->graph, src.node, src.index, dst.node, dst.index);
  return st ? fail(p, st, dst.node_token.column, "%s", st_graph_error(p->graph)) : ST_OK;
}

/* tap left|right NODE.OUTPUT */
static StStatus
parse_tap(Parser* p)
{
  StToken  token;
  Endpoint src;
  char     side[NAME_BYTES];
  char     h[HINT_BYTES];
  StStatus st = expect_name(p, "left or right", &token, side);
  if (st) {
    return st;
  }
  const uint32_t channel = !strcmp(side, "left") ? 0 : !strcmp(side, "right") ? 1 : 2;
  if (channel == 2) {
    return fail(p, ST_ERR_SYNTAX, token.column, "expected left or right, found '%s'%s", side,
                hint_in(h, side, sides));
  }
  if (p->graph->taps[channel].node != ST_NO_NODE) {
    return fail(p, ST_ERR_PORT, token.column, "the %s tap is set twice", side);
  }
  if ((st = expect_endpoint(p, ITEM_OUTPUT, &src)) || (st = expect_end(p))) {
    return st;
  }
  st = st_graph_set_output(p->graph, channel, src.node, src.index);
  return st ? fail(p, st, src.node_token.column, "%s", st_graph_error(p->graph)) : ST_OK;
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
expect_slot(Parser* p, StToken* token, uint32_t* slot)
{
  char  text[NUMBER_BYTES];
  float value;
  if (st_lexer_number(&p->lex, token) != ST_SCAN_OK) {
    return fail_expected(p, "a macro slot 1..16");
  }
  if (!st_lexer_copy(&p->lex, token, text, sizeof(text)) || !st_number_read(text, &value) ||
      value < 1 || value > ST_MACRO_SLOTS || value != floorf(value)) {
    return fail(p, ST_ERR_RANGE, token->column, "macro slot %.*s does not exist (1..%d)",
                shown(token), p->lex.text + token->start, ST_MACRO_SLOTS);
  }
  *slot = (uint32_t)value - 1;
  return ST_OK;
}

/* Reads the optional [lin|exp] of a macro statement; `column` is the curve's, or 0. */
static StStatus
parse_curve(Parser* p, StCurve* curve, unsigned* column)
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
    return fail(p, ST_ERR_SYNTAX, token.column, "expected lin, exp or a \"label\", found '%.*s'%s",
                shown(&token), p->lex.text + token.start, fits ? hint_in(h, word, curves) : "");
  }
  *curve  = word[0] == 'e' ? ST_CURVE_EXPONENTIAL : ST_CURVE_LINEAR;
  *column = token.column;
  return ST_OK;
}

/* Reads a label of at most `size` - 1 bytes into `label` ("" when none is here). */
static StStatus
parse_label(Parser* p, char* label, size_t size)
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
    return fail(p, ST_ERR_SYNTAX, column, "label is too long (at most %d bytes)", (int)size - 1);
  }
  return scan == ST_LABEL_OK ? ST_OK : fail(p, ST_ERR_SYNTAX, column, "%s", why[scan]);
}

/* macro SLOT NODE.PARAM MIN..MAX [lin|exp] ["Label"] */
static StStatus
parse_macro(Parser* p)
{
  StToken  slot_token;
  Endpoint e;
  uint32_t slot = 0;
  float    min = 0, max = 0;
  StCurve  curve        = ST_CURVE_LINEAR;
  unsigned curve_column = 0;
  char     label[ST_NAME_MAX];
  StStatus st = expect_slot(p, &slot_token, &slot);
  if (st || (st = expect_endpoint(p, ITEM_PARAM, &e))) {
    return st;
  }
  const StParamSpec* spec = &e.slot->type->params[e.index];
  if (spec->flags & ST_PARAM_FIXED) {
    return fail(p, ST_ERR_PARAM, e.item_token.column,
                "%s.%s is fixed when the node is made: no macro can drive it", e.slot->name,
                spec->name);
  }
  if ((st = expect_value(p, e.slot->name, spec, &min)) ||
      (st = expect_punct(p, "..", "'..' between the macro's min and max")) ||
      (st = expect_value(p, e.slot->name, spec, &max)) ||
      (st = parse_curve(p, &curve, &curve_column)) || (st = parse_label(p, label, sizeof(label))) ||
      (st = expect_end(p))) {
    return st;
  }
  if (curve == ST_CURVE_EXPONENTIAL && !(min * max > 0.0f)) {
    return fail(p, ST_ERR_RANGE, curve_column,
                "exp curve on %s.%s needs min and max of one sign, not 0", e.slot->name,
                spec->name);
  }
  if (find_map(p->graph, slot, e.node, e.index) >= 0) {
    return fail(p, ST_ERR_SYNTAX, slot_token.column, "macro %u already drives %s.%s", slot + 1,
                e.slot->name, spec->name);
  }
  st = st_graph_map(p->graph, slot, e.node, e.index, min, max, curve, label);
  return st ? fail(p, st, p->column, "%s", st_graph_error(p->graph)) : ST_OK;
}

/* Reads a canvas coordinate: any finite number. */
static StStatus
expect_coordinate(Parser* p, const char* what, float* value)
{
  StToken      token;
  char         text[NUMBER_BYTES];
  char         found[FOUND_BYTES];
  const StScan scan = st_lexer_number(&p->lex, &token);
  if (scan == ST_SCAN_NONE) {
    return fail_expected(p, what);
  }
  st_lexer_describe(&p->lex, token.start, found, sizeof(found));
  if (scan == ST_SCAN_BAD) {
    return fail(p, ST_ERR_SYNTAX, token.column, "bad number %s", found);
  }
  if (!st_lexer_copy(&p->lex, &token, text, NUMBER_BYTES)) {
    return fail(p, ST_ERR_SYNTAX, token.column, "number %s is too long (at most %d characters)",
                found, NUMBER_BYTES - 1);
  }
  if (!st_number_read(text, value)) {
    return fail(p, ST_ERR_RANGE, token.column, "position %s is out of range", text);
  }
  return ST_OK;
}

/* place NODE X Y */
static StStatus
parse_place(Parser* p)
{
  StToken  token;
  char     name[NAME_BYTES];
  StHandle node;
  float    x = 0, y = 0;
  StStatus st = expect_name(p, "a node name", &token, name);
  if (st || (st = find_node(p, name, &token, &node))) {
    return st;
  }
  if (p->graph->slots[node.index].placed) {
    return fail(p, ST_ERR_SYNTAX, token.column, "node '%s' is placed twice", name);
  }
  if ((st = expect_coordinate(p, "the node's x position", &x)) ||
      (st = expect_coordinate(p, "the node's y position", &y)) || (st = expect_end(p))) {
    return st;
  }
  st = st_graph_place(p->graph, node, x, y);
  return st ? fail(p, st, token.column, "%s", st_graph_error(p->graph)) : ST_OK;
}

/* name "Patch Name" */
static StStatus
parse_name(Parser* p)
{
  char     name[ST_PATCH_NAME_MAX];
  StStatus st;
  if (p->graph->name[0]) {
    return fail(p, ST_ERR_SYNTAX, p->column, "the patch is named twice");
  }
  if (!st_lexer_at_label(&p->lex)) {
    return fail_expected(p, "the patch name in quotes");
  }
  if ((st = parse_label(p, name, sizeof(name))) || (st = expect_end(p))) {
    return st;
  }
  st = st_graph_set_name(p->graph, name);
  return st ? fail(p, st, p->column, "%s", st_graph_error(p->graph)) : ST_OK;
}

/* --- The whole text --- */

static StStatus
parse_statement(Parser* p)
{
  static StStatus (*const parse[])(Parser*) = {parse_node, parse_link,  parse_macro,
                                               parse_tap,  parse_place, parse_name};
  StToken  token;
  char     word[NAME_BYTES];
  char     h[HINT_BYTES];
  StStatus st = expect_name(p, "a statement (node, link, macro, tap, place or name)", &token,
                            word);
  if (st) {
    return st;
  }
  p->column = token.column;
  for (size_t k = 0; keywords[k]; ++k) {
    if (!strcmp(word, keywords[k])) {
      return parse[k](p);
    }
  }
  return fail(p, ST_ERR_SYNTAX, token.column, "unknown statement '%s'%s", word,
              hint_in(h, word, keywords));
}

static StStatus
parse_text(Parser* p)
{
  while (st_lexer_next_line(&p->lex)) {
    const StStatus st = st_lexer_at_end(&p->lex) ? ST_OK : parse_statement(p);
    if (st) {
      return st;
    }
  }
  return ST_OK;
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
  if (scratch) {
    st_arena_renew(&scratch->arena, &model->arena); // Old handles stay refused.
  }
  if (!scratch || st_number_begin(&locale)) {
    st_graph_free(scratch);
    return fail_early(error, ST_ERR_NO_MEMORY, "out of memory reading the patch");
  }
  Parser p = {.types = types, .graph = scratch, .error = error};
  st_lexer_init(&p.lex, length ? text : "", length);
  const StStatus st = parse_text(&p);
  st_number_end(&locale);
  if (!st) {
    st_graph_copy(model, scratch);
    fail_early(error, ST_OK, "");
  }
  st_graph_free(scratch);
  return st;
}
