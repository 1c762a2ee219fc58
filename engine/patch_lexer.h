/* SPDX-License-Identifier: ISC */
/* The patch lexer: walks the text line by line and reads one token at a
   time where the parser expects it (names, numbers, punctuation, labels).
   It reads only inside [text, text + length) and never needs a zero byte. */
#ifndef ST_PATCH_LEXER_H
#define ST_PATCH_LEXER_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
  const char* text;       ///< The whole patch
  size_t      length;     ///< Bytes in text
  size_t      pos;        ///< Next byte to read, within the current line
  size_t      line_start; ///< Offset of the current line's first byte
  size_t      line_end;   ///< Offset of the current line's '\n', or length
  unsigned    line;       ///< Current line, 1-based; 0 before the first
} StLexer;

/* A token of the current line. */
typedef struct {
  size_t   start;  ///< Offset of its first byte in the text
  size_t   length; ///< Bytes
  unsigned column; ///< 1-based byte column
} StToken;

/* How a number token was read. */
typedef enum {
  ST_SCAN_NONE, ///< No number here
  ST_SCAN_OK,   ///< A number, ending where a number may end
  ST_SCAN_BAD,  ///< A number glued to more ("110Hz", "1.2.3")
} StScan;

void st_lexer_init(StLexer* lex, const char* text, size_t length);

/* Moves to the next line; false after the last one. */
bool st_lexer_next_line(StLexer* lex);

/* Skips spaces, tabs and carriage returns; true when nothing but a comment
   remains on the line. */
bool st_lexer_at_end(StLexer* lex);

/* Column of the next byte (after blanks). */
unsigned st_lexer_column(StLexer* lex);

/* Reads a name: [A-Za-z_][A-Za-z0-9_]*. False (nothing read) when none is here. */
bool st_lexer_name(StLexer* lex, StToken* token);

/* Reads a number (see st_number_scan); only ST_SCAN_OK reads anything. */
StScan st_lexer_number(StLexer* lex, StToken* token);

/* Reads `punct` ("->", "..", ".", "="); false (nothing read) when it is not here. */
bool st_lexer_punct(StLexer* lex, const char* punct, StToken* token);

/* True when a double-quoted label starts here. */
bool st_lexer_at_label(StLexer* lex);

/* Why a label was refused. */
typedef enum {
  ST_LABEL_OK,      ///< Read
  ST_LABEL_CONTROL, ///< A raw control character (write it as \xHH)
  ST_LABEL_ESCAPE,  ///< A backslash not starting \" \\ or \xHH
  ST_LABEL_ZERO,    ///< \x00, which a C string cannot hold
  ST_LABEL_LONG,    ///< More bytes than the buffer holds
  ST_LABEL_OPEN,    ///< No closing quote on the line
} StLabelScan;

/* Reads a double-quoted label with \" \\ and \xHH escapes into `out`
   (`size` bytes with the zero); on failure `column` is the offending byte's. */
StLabelScan st_lexer_label(StLexer* lex, char* out, size_t size, unsigned* column);

/* Copies a token into `out` with a terminating zero; false when it does not fit. */
bool st_lexer_copy(const StLexer* lex, const StToken* token, char* out, size_t size);

/* What is at offset `at` of the current line, for messages: "'vcf.in'",
   "end of line"; bytes outside printable ASCII as \xHH, long runs cut. */
void st_lexer_describe(const StLexer* lex, size_t at, char* out, size_t size);

#endif
