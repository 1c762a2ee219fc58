/* SPDX-License-Identifier: ISC */
#include "patch_lexer.h"

#include "patch_number.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#define DESCRIBE_MAX 20 ///< Bytes of a token shown in a message before "..."

static bool
is_blank(char c)
{
  return c == ' ' || c == '\t' || c == '\r';
}

static bool
is_name_start(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
is_name_char(char c)
{
  return is_name_start(c) || (c >= '0' && c <= '9');
}

static unsigned
column_of(const StLexer* lex, size_t at)
{
  const size_t col = at - lex->line_start + 1;
  return col < UINT_MAX ? (unsigned)col : UINT_MAX;
}

static void
skip_blanks(StLexer* lex)
{
  while (lex->pos < lex->line_end && is_blank(lex->text[lex->pos])) {
    ++lex->pos;
  }
}

static StToken
token_at(const StLexer* lex, size_t start, size_t end)
{
  return (StToken){start, end - start, column_of(lex, start)};
}

void
st_lexer_init(StLexer* lex, const char* text, size_t length)
{
  *lex = (StLexer){text, length, 0, 0, 0, 0};
}

bool
st_lexer_next_line(StLexer* lex)
{
  if (lex->line > 0 && lex->line_end >= lex->length) {
    return false;
  }
  lex->line_start = lex->line > 0 ? lex->line_end + 1 : 0;
  const size_t rest = lex->length - lex->line_start;
  const char*  nl   = rest ? memchr(lex->text + lex->line_start, '\n', rest) : NULL;
  lex->line_end     = nl ? (size_t)(nl - lex->text) : lex->length;
  lex->pos          = lex->line_start;
  lex->line += lex->line < UINT_MAX;
  return true;
}

bool
st_lexer_at_end(StLexer* lex)
{
  skip_blanks(lex);
  return lex->pos == lex->line_end || lex->text[lex->pos] == '#';
}

unsigned
st_lexer_column(StLexer* lex)
{
  skip_blanks(lex);
  return column_of(lex, lex->pos);
}

bool
st_lexer_name(StLexer* lex, StToken* token)
{
  skip_blanks(lex);
  size_t end = lex->pos;
  if (end == lex->line_end || !is_name_start(lex->text[end])) {
    return false;
  }
  while (end < lex->line_end && is_name_char(lex->text[end])) {
    ++end;
  }
  *token   = token_at(lex, lex->pos, end);
  lex->pos = end;
  return true;
}

/* True when `at` begins the ".." of a range. */
static bool
at_range(const StLexer* lex, size_t at)
{
  return at + 1 < lex->line_end && lex->text[at] == '.' && lex->text[at + 1] == '.';
}

StScan
st_lexer_number(StLexer* lex, StToken* token)
{
  skip_blanks(lex);
  const size_t n = st_number_scan(lex->text + lex->pos, lex->line_end - lex->pos);
  if (n == 0) {
    return ST_SCAN_NONE;
  }
  const size_t end = lex->pos + n;
  *token           = token_at(lex, lex->pos, end);
  if (end < lex->line_end && (is_name_char(lex->text[end]) ||
                              (lex->text[end] == '.' && !at_range(lex, end)))) {
    return ST_SCAN_BAD;
  }
  lex->pos = end;
  return ST_SCAN_OK;
}

bool
st_lexer_punct(StLexer* lex, const char* punct, StToken* token)
{
  skip_blanks(lex);
  const size_t n = strlen(punct);
  if (lex->line_end - lex->pos < n || memcmp(lex->text + lex->pos, punct, n)) {
    return false;
  }
  *token = token_at(lex, lex->pos, lex->pos + n);
  lex->pos += n;
  return true;
}

bool
st_lexer_at_label(StLexer* lex)
{
  skip_blanks(lex);
  return lex->pos < lex->line_end && lex->text[lex->pos] == '"';
}

static int
hex_digit(char c)
{
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Reads the escape at `at` (just after the backslash) into `byte`; the
   number of bytes it took, or 0 when it is not a valid escape. */
static size_t
read_escape(const StLexer* lex, size_t at, int* byte)
{
  const char c = at < lex->line_end ? lex->text[at] : '\0';
  if (c == '"' || c == '\\') {
    *byte = (unsigned char)c;
    return 1;
  }
  if (c == 'x' && lex->line_end - at >= 3) {
    const int hi = hex_digit(lex->text[at + 1]);
    const int lo = hex_digit(lex->text[at + 2]);
    *byte        = hi * 16 + lo;
    return hi >= 0 && lo >= 0 ? 3 : 0;
  }
  return 0;
}

StLabelScan
st_lexer_label(StLexer* lex, char* out, size_t size, unsigned* column)
{
  skip_blanks(lex);
  const size_t open = lex->pos;
  size_t       len  = 0;
  for (size_t at = open + 1; at < lex->line_end;) {
    const unsigned char c = (unsigned char)lex->text[at];
    int                 byte = c;
    *column                  = column_of(lex, at);
    if (c == '"') {
      out[len] = '\0';
      lex->pos = at + 1;
      return ST_LABEL_OK;
    }
    if (c < 0x20 || c == 0x7f) {
      return ST_LABEL_CONTROL;
    }
    const size_t took = c == '\\' ? read_escape(lex, at + 1, &byte) : 0;
    if (c == '\\' && !took) {
      return ST_LABEL_ESCAPE;
    }
    if (byte == 0) {
      return ST_LABEL_ZERO;
    }
    if (len + 1 >= size) {
      return ST_LABEL_LONG;
    }
    out[len++] = (char)byte;
    at += 1 + took;
  }
  *column = column_of(lex, open);
  return ST_LABEL_OPEN;
}

bool
st_lexer_copy(const StLexer* lex, const StToken* token, char* out, size_t size)
{
  if (token->length >= size) {
    return false;
  }
  memcpy(out, lex->text + token->start, token->length);
  out[token->length] = '\0';
  return true;
}

void
st_lexer_describe(const StLexer* lex, size_t at, char* out, size_t size)
{
  if (at >= lex->line_end || lex->text[at] == '#') {
    snprintf(out, size, "end of line");
    return;
  }
  char   shown[DESCRIBE_MAX * 4 + 1];
  size_t len = 0;
  size_t end = at;
  while (end < lex->line_end && end - at < DESCRIBE_MAX && !is_blank(lex->text[end])) {
    const unsigned char c = (unsigned char)lex->text[end++];
    if (c >= 0x20 && c < 0x7f) {
      shown[len++] = (char)c;
    } else {
      len += (size_t)snprintf(shown + len, sizeof(shown) - len, "\\x%02x", c);
    }
  }
  shown[len]     = '\0';
  const bool cut = end < lex->line_end && !is_blank(lex->text[end]);
  snprintf(out, size, "'%s%s'", shown, cut ? "..." : "");
}
