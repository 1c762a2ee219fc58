/* SPDX-License-Identifier: ISC */
/* Inside the patch parser: its state and the readers that patch_parse.c
   (the statements of a patch) and patch_subpatch.c (the statements of
   sub-patch definitions) share. Not for use outside the parser. */
#ifndef ST_PATCH_PARSER_H
#define ST_PATCH_PARSER_H

#include "graph.h"
#include "library.h"
#include "patch.h"
#include "patch_lexer.h"
#include "suggest.h"

#define ST_PARSE_HINT_BYTES 64  ///< Bytes of " (did you mean 'x'?)"

typedef struct {
  StLexer              lex;         ///< Position in the text
  const StTypeCatalog* types;       ///< Where built-in node types are looked up
  StGraph*             top;         ///< Scratch model being built
  StGraph*             graph;       ///< Where statements go: `top`, or the body of `def`
  StLibrary*           library;     ///< Definitions finished so far (new, owned by the parse)
  StSubpatch*          def;         ///< The definition being written, or NULL at the top level
  unsigned             def_line;    ///< Line of its `subpatch` statement
  unsigned             def_column;  ///< Column of its name
  StPatchError*        error;       ///< Filled on failure
  unsigned             column;      ///< Column of the current statement's keyword
} StParser;

/* A NODE.PORT or NODE.PARAM reference, resolved. */
typedef struct {
  StHandle          node;               ///< The node
  const StNodeSlot* slot;               ///< Its slot
  uint32_t          index;              ///< Port or parameter index
  StToken           node_token;         ///< Where the node name is
  StToken           item_token;         ///< Where the port or parameter name is
  char              item[ST_NAME_MAX];  ///< Port or parameter name
} StEndpoint;

/* What an endpoint's item names. */
typedef enum {
  ST_ITEM_OUTPUT,
  ST_ITEM_INPUT,
  ST_ITEM_PARAM,
} StItemKind;

/* Fills the parse error for line `line` (the current one when 0) and returns `status`. */
#ifdef __GNUC__
__attribute__((format(printf, 5, 6)))
#endif
StStatus
st_parse_fail_at(StParser* p, StStatus status, unsigned line, unsigned column, const char* fmt,
                 ...);

#define st_parse_fail(p, status, column, ...)                                                  \
  st_parse_fail_at(p, status, 0, column, __VA_ARGS__)

/* "expected WHAT, found X" at the next token. */
StStatus st_parse_fail_expected(StParser* p, const char* what);
StStatus st_parse_expect_end(StParser* p);

/* " (did you mean 'x'?)" for the nearest candidate, or "". */
const char* st_parse_hint(char out[ST_PARSE_HINT_BYTES], const char* word, const void* source,
                          size_t count, StNameAt name_at);

/* Reads a name of at most ST_NAME_MAX - 1 characters into `out`. */
StStatus st_parse_expect_name(StParser* p, const char* what, StToken* token,
                              char out[ST_NAME_MAX]);
StStatus st_parse_expect_punct(StParser* p, const char* punct, const char* what);

/* The rest of NODE.ITEM once the node name (at e->node_token) is read. */
StStatus st_parse_endpoint_after(StParser* p, StItemKind kind, const char* node, StEndpoint* e);
StStatus st_parse_expect_endpoint(StParser* p, StItemKind kind, StEndpoint* e);

/* Adds node `name` of `type` to p->graph with the PARAM=VALUE list that follows. */
StStatus st_parse_add_node(StParser* p, const char* name, const StToken* name_token,
                           const StNodeType* type);

/* Fails when `name` is taken by a node (or, inside a definition, an inlet or outlet). */
StStatus st_parse_check_free(StParser* p, const char* name, const StToken* token);

/* Statements of definitions (patch_subpatch.c). */
StStatus st_parse_subpatch(StParser* p);
StStatus st_parse_inlet(StParser* p);
StStatus st_parse_outlet(StParser* p);
StStatus st_parse_param(StParser* p);
StStatus st_parse_end(StParser* p);
StStatus st_parse_voices(StParser* p);
StStatus st_parse_body_link(StParser* p);

/* Inside a definition: fails when a node of `type` is one too many for it. */
StStatus st_parse_body_room(StParser* p, const StNodeType* type, const StToken* token);

/* At the end of the text: fails when a definition has no `end`. */
StStatus st_parse_finish(StParser* p);

/* The definition of that name among the finished ones, or NULL. */
StSubpatch* st_parse_find_def(const StParser* p, const char* name);

#endif
