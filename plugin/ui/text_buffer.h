/* SPDX-License-Identifier: ISC */
/* The text view's editable buffer: the patch text, a cursor and a
   selection, edited by the keys a text field knows. Offsets are bytes;
   lines and columns are 1-based like the parser's errors, columns in bytes. */
#ifndef ST_UI_TEXT_BUFFER_H
#define ST_UI_TEXT_BUFFER_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
  ST_UI_MOVE_LEFT,        ///< One character back
  ST_UI_MOVE_RIGHT,       ///< One character on
  ST_UI_MOVE_UP,          ///< Same column on the line above (or its end)
  ST_UI_MOVE_DOWN,        ///< Same column on the line below (or its end)
  ST_UI_MOVE_LINE_START,  ///< Start of the line (Home)
  ST_UI_MOVE_LINE_END,    ///< End of the line (End)
  ST_UI_MOVE_TEXT_START,  ///< Start of the text (ctrl+Home)
  ST_UI_MOVE_TEXT_END,    ///< End of the text (ctrl+End)
} StUiTextMove;

typedef struct {
  char*  text;      ///< The bytes, zero-terminated (length + 1 allocated at least)
  size_t length;    ///< Bytes of text
  size_t capacity;  ///< Bytes allocated
  size_t cursor;    ///< Where typing goes, 0..length
  size_t anchor;    ///< Other end of the selection; == cursor when none
  bool   edited;    ///< Changed by the user since the last st_ui_text_set()
} StUiTextBuffer;

void st_ui_text_init(StUiTextBuffer* b);
void st_ui_text_free(StUiTextBuffer* b);

/* Replaces the whole text (a new patch came in); cursor at the start, not edited.
   False when out of memory (the buffer is then unchanged). */
bool st_ui_text_set(StUiTextBuffer* b, const char* text, size_t length);

/* Types `length` bytes at the cursor, replacing the selection. */
bool st_ui_text_insert(StUiTextBuffer* b, const char* text, size_t length);

/* Deletes the selection, else one character before (backspace) or after the cursor. */
void st_ui_text_delete(StUiTextBuffer* b, bool forward);

/* Moves the cursor; `extend` keeps the anchor (shift held), else the selection ends. */
void st_ui_text_move(StUiTextBuffer* b, StUiTextMove move, bool extend);

/* Puts the cursor at (line, column), clamped into the text; selection ends. */
void st_ui_text_go_to(StUiTextBuffer* b, unsigned line, unsigned column);

void st_ui_text_select_all(StUiTextBuffer* b);

/* The selection as [start, end) offsets; start == end when there is none. */
void st_ui_text_selection(const StUiTextBuffer* b, size_t* start, size_t* end);

/* Number of lines (a text ending in a newline has an empty last line). */
unsigned st_ui_text_line_count(const StUiTextBuffer* b);

/* Where line `line` (1-based) starts and how many bytes it has, newline not counted.
   False past the last line. */
bool st_ui_text_line(const StUiTextBuffer* b, unsigned line, size_t* start, size_t* length);

/* The 1-based line and column of an offset. */
void st_ui_text_position(const StUiTextBuffer* b, size_t offset, unsigned* line,
                         unsigned* column);

#endif
