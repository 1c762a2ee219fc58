/* SPDX-License-Identifier: ISC */
#include "text_buffer.h"

#include <stdlib.h>
#include <string.h>

void
st_ui_text_init(StUiTextBuffer* b)
{
  memset(b, 0, sizeof(*b));
}

void
st_ui_text_free(StUiTextBuffer* b)
{
  free(b->text);
  memset(b, 0, sizeof(*b));
}

static bool
reserve(StUiTextBuffer* b, size_t length)
{
  if (length + 1 <= b->capacity) {
    return true;
  }
  size_t capacity = b->capacity ? b->capacity : 256;
  while (capacity < length + 1) {
    capacity *= 2;
  }
  char* text = realloc(b->text, capacity);
  if (!text) {
    return false;
  }
  b->text     = text;
  b->capacity = capacity;
  return true;
}

bool
st_ui_text_set(StUiTextBuffer* b, const char* text, size_t length)
{
  if (!reserve(b, length)) {
    return false;
  }
  if (length) {
    memmove(b->text, text, length);
  }
  b->text[length] = '\0';
  b->length       = length;
  b->cursor = b->anchor = 0;
  b->edited             = false;
  return true;
}

void
st_ui_text_selection(const StUiTextBuffer* b, size_t* start, size_t* end)
{
  *start = b->cursor < b->anchor ? b->cursor : b->anchor;
  *end   = b->cursor < b->anchor ? b->anchor : b->cursor;
}

/* Removes [start, end) and leaves the cursor there. */
static void
cut(StUiTextBuffer* b, size_t start, size_t end)
{
  memmove(b->text + start, b->text + end, b->length - end + 1);
  b->length -= end - start;
  b->cursor = b->anchor = start;
  b->edited             = b->edited || end > start;
}

bool
st_ui_text_insert(StUiTextBuffer* b, const char* text, size_t length)
{
  size_t start = 0;
  size_t end   = 0;
  st_ui_text_selection(b, &start, &end);
  if (!reserve(b, b->length - (end - start) + length)) {
    return false;
  }
  cut(b, start, end);
  memmove(b->text + start + length, b->text + start, b->length - start + 1);
  memcpy(b->text + start, text, length);
  b->length += length;
  b->cursor = b->anchor = start + length;
  b->edited             = true;
  return true;
}

/* UTF-8 continuation bytes belong to the character before them. */
static bool
continuation(const StUiTextBuffer* b, size_t offset)
{
  return offset < b->length && ((unsigned char)b->text[offset] & 0xc0) == 0x80;
}

static size_t
char_before(const StUiTextBuffer* b, size_t offset)
{
  if (offset == 0) {
    return 0;
  }
  --offset;
  while (offset > 0 && continuation(b, offset)) {
    --offset;
  }
  return offset;
}

static size_t
char_after(const StUiTextBuffer* b, size_t offset)
{
  if (offset >= b->length) {
    return b->length;
  }
  ++offset;
  while (continuation(b, offset)) {
    ++offset;
  }
  return offset;
}

void
st_ui_text_delete(StUiTextBuffer* b, bool forward)
{
  size_t start = 0;
  size_t end   = 0;
  st_ui_text_selection(b, &start, &end);
  if (start == end) {
    start = forward ? b->cursor : char_before(b, b->cursor);
    end   = forward ? char_after(b, b->cursor) : b->cursor;
  }
  cut(b, start, end);
}

static size_t
line_start(const StUiTextBuffer* b, size_t offset)
{
  while (offset > 0 && b->text[offset - 1] != '\n') {
    --offset;
  }
  return offset;
}

static size_t
line_end(const StUiTextBuffer* b, size_t offset)
{
  while (offset < b->length && b->text[offset] != '\n') {
    ++offset;
  }
  return offset;
}

/* The offset `column` bytes into the line starting at `start`, or its end. */
static size_t
at_column(const StUiTextBuffer* b, size_t start, size_t column)
{
  const size_t end = line_end(b, start);
  size_t       at  = start + column < end ? start + column : end;
  while (continuation(b, at)) {
    --at;
  }
  return at;
}

static size_t
moved(const StUiTextBuffer* b, StUiTextMove move)
{
  const size_t c     = b->cursor;
  const size_t start = line_start(b, c);
  switch (move) {
  case ST_UI_MOVE_LEFT:
    return char_before(b, c);
  case ST_UI_MOVE_RIGHT:
    return char_after(b, c);
  case ST_UI_MOVE_UP:
    return start == 0 ? 0 : at_column(b, line_start(b, start - 1), c - start);
  case ST_UI_MOVE_DOWN: {
    const size_t end = line_end(b, c);
    return end == b->length ? b->length : at_column(b, end + 1, c - start);
  }
  case ST_UI_MOVE_LINE_START:
    return start;
  case ST_UI_MOVE_LINE_END:
    return line_end(b, c);
  case ST_UI_MOVE_TEXT_START:
    return 0;
  case ST_UI_MOVE_TEXT_END:
    return b->length;
  }
  return c;
}

void
st_ui_text_move(StUiTextBuffer* b, StUiTextMove move, bool extend)
{
  b->cursor = moved(b, move);
  if (!extend) {
    b->anchor = b->cursor;
  }
}

void
st_ui_text_select_all(StUiTextBuffer* b)
{
  b->anchor = 0;
  b->cursor = b->length;
}

unsigned
st_ui_text_line_count(const StUiTextBuffer* b)
{
  unsigned lines = 1;
  for (size_t i = 0; i < b->length; ++i) {
    lines += b->text[i] == '\n';
  }
  return lines;
}

bool
st_ui_text_line(const StUiTextBuffer* b, unsigned line, size_t* start, size_t* length)
{
  size_t at = 0;
  for (unsigned l = 1; l < line; ++l) {
    at = line_end(b, at);
    if (at == b->length) {
      return false;
    }
    ++at;
  }
  if (line == 0) {
    return false;
  }
  *start  = at;
  *length = line_end(b, at) - at;
  return true;
}

void
st_ui_text_go_to(StUiTextBuffer* b, unsigned line, unsigned column)
{
  size_t start  = 0;
  size_t length = 0;
  if (!st_ui_text_line(b, line ? line : 1, &start, &length)) {
    b->cursor = b->anchor = b->length;
    return;
  }
  b->cursor = b->anchor = at_column(b, start, column ? column - 1 : 0);
}

void
st_ui_text_position(const StUiTextBuffer* b, size_t offset, unsigned* line, unsigned* column)
{
  offset = offset < b->length ? offset : b->length;
  *line  = 1;
  for (size_t i = 0; i < offset; ++i) {
    *line += b->text[i] == '\n';
  }
  *column = (unsigned)(offset - line_start(b, offset)) + 1;
}
