/* SPDX-License-Identifier: ISC */
/* One sub-patch definition added, changed or removed by rewriting the patch
   text (patch_define.h). The writer puts each definition on the lines from
   `subpatch NAME` to `end`, every definition before the top-level
   statements; a definition is spliced in or cut out on whole lines, and the
   parser reads the result. */
#include "patch_define.h"

#include "library.h"
#include "patch_lexer.h"
#include "suggest.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char not_one_definition[] =
  "a sub-patch definition is one 'subpatch NAME' ... 'end' block";

/* Fills `error` and returns `status`; with a `line`, the message starts
   "line L, column C: " as the parser's do. */
#ifdef __GNUC__
__attribute__((format(printf, 5, 6)))
#endif
static StStatus
fail(StPatchError* error, StStatus status, unsigned line, unsigned column, const char* fmt, ...)
{
  const int n = line ? snprintf(error->message, sizeof(error->message),
                                "line %u, column %u: ", line, column)
                     : 0;
  va_list   args;
  va_start(args, fmt);
  vsnprintf(error->message + n, sizeof(error->message) - (size_t)n, fmt, args);
  va_end(args);
  error->status = status;
  error->line   = line;
  error->column = line ? column : 0;
  return status;
}

/* --- Statements --- */

/* The first word of the current line's statement into `word` ("" when it
   is not a name), and its column. Call once the line is known not blank. */
static void
read_keyword(StLexer* lex, char word[ST_NAME_MAX], unsigned* column)
{
  StToken token;
  *column = st_lexer_column(lex);
  if (!st_lexer_name(lex, &token) || !st_lexer_copy(lex, &token, word, ST_NAME_MAX)) {
    word[0] = '\0';
  }
}

/* The name after `subpatch` into `name` ("" when there is none, or it is too long). */
static void
read_def_name(StLexer* lex, char name[ST_NAME_MAX])
{
  StToken token;
  if (!st_lexer_name(lex, &token) || !st_lexer_copy(lex, &token, name, ST_NAME_MAX)) {
    name[0] = '\0';
  }
}

/* Offset just past the current line (its '\n' included). */
static size_t
line_after(const StLexer* lex)
{
  return lex->line_end < lex->length ? lex->line_end + 1 : lex->length;
}

/* --- The given definition --- */

typedef struct {
  char   name[ST_NAME_MAX];  ///< From its `subpatch NAME` statement; "" when unreadable
  size_t header_end;         ///< Offset of the end of that statement's line
  bool   ended;              ///< An `end` statement closes it, and only comments follow
} Definition;

/* Reads the frame of a definition: a `subpatch` statement first, the first
   `end` statement last. What lies between is the parser's to judge. */
static StStatus
read_frame(const char* text, size_t length, Definition* d, StPatchError* error)
{
  StLexer lex;
  bool    started = false;
  memset(d, 0, sizeof(*d));
  st_lexer_init(&lex, text, length);
  while (st_lexer_next_line(&lex)) {
    char     word[ST_NAME_MAX];
    unsigned column;
    if (st_lexer_at_end(&lex)) {
      continue;
    }
    read_keyword(&lex, word, &column);
    if (d->ended || (!started && strcmp(word, "subpatch"))) {
      return fail(error, ST_ERR_SYNTAX, lex.line, column, "%s", not_one_definition);
    }
    if (!started) {
      started       = true;
      d->header_end = lex.line_end;
      read_def_name(&lex, d->name);
    } else {
      d->ended = !strcmp(word, "end");
    }
  }
  return started ? ST_OK : fail(error, ST_ERR_SYNTAX, 0, 0, "%s", not_one_definition);
}

bool
st_patch_definition_name(const char* text, size_t length, char name[ST_NAME_MAX])
{
  StPatchError ignored;
  Definition   d;
  if ((!text && length) || read_frame(length ? text : "", length, &d, &ignored) || !d.name[0]) {
    return false;
  }
  memcpy(name, d.name, ST_NAME_MAX);
  return true;
}

/* --- The written patch --- */

/* Where definitions stand in a written patch. */
typedef struct {
  bool   found;     ///< The named definition is there
  size_t start;     ///< Its first byte (of its `subpatch` line)
  size_t end;       ///< Just past its `end` line
  size_t defs_end;  ///< Just past the last definition's `end` line; 0 when none
} Place;

static Place
find_definition(const char* text, const char* name)
{
  Place   place = {0};
  StLexer lex;
  size_t  start = 0;
  bool    named = false;
  st_lexer_init(&lex, text, strlen(text));
  while (st_lexer_next_line(&lex)) {
    char     word[ST_NAME_MAX];
    unsigned column;
    if (st_lexer_at_end(&lex)) {
      continue;
    }
    read_keyword(&lex, word, &column);
    if (!strcmp(word, "subpatch")) {
      char def[ST_NAME_MAX];
      read_def_name(&lex, def);
      start = lex.line_start;
      named = !strcmp(def, name);
    } else if (!strcmp(word, "end")) {
      place.defs_end = line_after(&lex);
      if (named) {
        place.found = true;
        place.start = start;
        place.end   = place.defs_end;
        named       = false;
      }
    }
  }
  return place;
}

/* A written patch with whole lines [start, end) replaced by other lines. */
typedef struct {
  char*    text;      ///< malloc'd, zero-terminated
  size_t   length;    ///< Bytes before the zero
  unsigned first;     ///< Line the inserted lines start at
  unsigned inserted;  ///< Lines inserted
  unsigned removed;   ///< Lines they replace
} Splice;

static unsigned
count_lines(const char* s, size_t n)
{
  unsigned lines = 0;
  for (size_t i = 0; i < n; ++i) {
    lines += s[i] == '\n';
  }
  return lines;
}

static bool
splice(Splice* s, const char* text, size_t start, size_t end, const char* insert, size_t length)
{
  const size_t tail    = strlen(text + end);
  const size_t newline = length && insert[length - 1] != '\n';  // The last line ends too.
  s->length            = start + length + newline + tail;
  s->text              = malloc(s->length + 1);
  if (!s->text) {
    return false;
  }
  memcpy(s->text, text, start);
  if (length) {
    memcpy(s->text + start, insert, length);
  }
  s->text[start + length] = '\n';  // Overwritten by the tail when there is no newline to add.
  memcpy(s->text + start + length + newline, text + end, tail + 1);
  s->first    = count_lines(text, start) + 1;
  s->inserted = count_lines(s->text + start, length + newline);
  s->removed  = count_lines(text + start, end - start);
  return true;
}

/* The parse error of the spliced text, in terms of what was given: its own
   lines for an error among the inserted ones, else the patch's lines as
   st_patch_write(model) has them. */
static StStatus
report(const Splice* s, const StPatchError* parsed, const char* name, const char* how,
       StPatchError* error)
{
  const unsigned line = parsed->line;
  const char*    rest =
    line && !strncmp(parsed->message, "line ", 5) ? strstr(parsed->message, ": ") : NULL;
  rest = rest ? rest + 2 : parsed->message;
  if (line && line >= s->first && line < s->first + s->inserted) {
    return fail(error, parsed->status, line - s->first + 1, parsed->column, "%s", rest);
  }
  if (!line) {
    return fail(error, parsed->status, 0, 0,
                "sub-patch '%s': the patch no longer reads %s it: %s", name, how, rest);
  }
  const unsigned in_model = line < s->first ? line : line - s->inserted + s->removed;
  return fail(error, parsed->status, 0, 0,
              "sub-patch '%s': the patch no longer reads %s it: line %u, column %u: %s", name,
              how, in_model, parsed->column, rest);
}

/* Reads into `out` the patch of `model` with definition `name` replaced by
   the lines `insert` (added after the last definition when it has none).
   `how` says what the change does, for messages: "with" or "without". */
static StStatus
rewrite(const StGraph* model, const char* name, const char* insert, size_t length,
        const char* how, StGraph* out, StPatchError* error)
{
  char*  written = st_patch_write(model);
  Splice s       = {0};
  if (written) {
    const Place  place = find_definition(written, name);
    const size_t start = place.found ? place.start : place.defs_end;
    const size_t end   = place.found ? place.end : place.defs_end;
    if (!splice(&s, written, start, end, insert, length)) {
      s.text = NULL;
    }
  }
  free(written);
  if (!s.text) {
    return fail(error, ST_ERR_NO_MEMORY, 0, 0, "out of memory for sub-patch '%s'", name);
  }
  StPatchError   parsed = {0};
  const StStatus st     = st_patch_parse(s.text, s.length, NULL, out, &parsed);
  free(s.text);
  if (st) {
    return report(&s, &parsed, name, how, error);
  }
  *error = parsed;
  return ST_OK;
}

/* --- Define and undefine --- */

StStatus
st_patch_define(const StGraph* model, const char* text, size_t length, StGraph* out,
                StPatchError* error)
{
  StPatchError ignored;
  Definition   d;
  error = error ? error : &ignored;
  if (!model || !out || (!text && length)) {
    return fail(error, ST_ERR_BAD_ARG, 0, 0,
                "a sub-patch definition needs text and two models");
  }
  text              = length ? text : "";
  const StStatus st = read_frame(text, length, &d, error);
  if (st) {
    return st;
  }
  if (!d.name[0] || !d.ended) {
    // The `subpatch` statement alone fails as it does in a plain parse of
    // the text: a bad name, or no end.
    return st_patch_parse(text, d.header_end, NULL, out, error);
  }
  return rewrite(model, d.name, text, length, "with", out, error);
}

/* The first node of `graph` whose type is `def` (either of its types), or NULL. */
static const StNodeSlot*
first_use(const StGraph* graph, const StSubpatch* def)
{
  for (uint32_t i = 0; i < st_graph_capacity(graph); ++i) {
    const StNodeSlot* slot = st_graph_node_at(graph, i);
    if (slot && st_subpatch_of(slot->type) == def) {
      return slot;
    }
  }
  return NULL;
}

StStatus
st_patch_undefine(const StGraph* model, const char* name, StGraph* out, StPatchError* error)
{
  StPatchError ignored;
  error = error ? error : &ignored;
  if (!model || !out || !name) {
    return fail(error, ST_ERR_BAD_ARG, 0, 0,
                "removing a sub-patch needs its name and two models");
  }
  const StLibrary*  library = model->library;
  const StSubpatch* def     = st_library_find(library, name);
  if (!def) {
    const char* near = library ? st_suggest(name, library, library->count, st_library_name_at) : NULL;
    return near ? fail(error, ST_ERR_UNKNOWN, 0, 0, "no sub-patch '%s' (did you mean '%s'?)",
                       name, near)
                : fail(error, ST_ERR_UNKNOWN, 0, 0, "no sub-patch '%s'", name);
  }
  const StNodeSlot* user = first_use(model, def);
  if (user) {
    return fail(error, ST_ERR_BAD_ARG, 0, 0, "cannot remove sub-patch '%s': node '%s' uses it",
                name, user->name);
  }
  for (uint32_t i = 0; i < library->count; ++i) {
    if (first_use(library->defs[i]->body, def)) {
      return fail(error, ST_ERR_BAD_ARG, 0, 0,
                  "cannot remove sub-patch '%s': sub-patch '%s' uses it", name,
                  library->defs[i]->name);
    }
  }
  return rewrite(model, name, "", 0, "without", out, error);
}

uint32_t
st_patch_subpatch_uses(const StGraph* model, const char* name)
{
  const StSubpatch* def  = st_library_find(model->library, name);
  uint32_t          uses = 0;
  for (uint32_t d = 0; def && d <= model->library->count; ++d) {
    const StGraph* graph = d < model->library->count ? model->library->defs[d]->body : model;
    for (uint32_t i = 0; i < st_graph_capacity(graph); ++i) {
      const StNodeSlot* slot = st_graph_node_at(graph, i);
      uses += slot && st_subpatch_of(slot->type) == def;
    }
  }
  return uses;
}
