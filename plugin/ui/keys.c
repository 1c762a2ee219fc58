/* SPDX-License-Identifier: ISC */
#include "keys.h"

#include "gesture.h"

#include <string.h>

/* X11 keysyms (the numbers of the X protocol, so no X header is needed here). */
enum {
  KEY_BACKSPACE    = 0xff08,
  KEY_TAB          = 0xff09,
  KEY_RETURN       = 0xff0d,
  KEY_ESCAPE       = 0xff1b,
  KEY_HOME         = 0xff50,
  KEY_LEFT         = 0xff51,
  KEY_UP           = 0xff52,
  KEY_RIGHT        = 0xff53,
  KEY_DOWN         = 0xff54,
  KEY_END          = 0xff57,
  KEY_KP_ENTER     = 0xff8d,
  KEY_KP_ADD       = 0xffab,
  KEY_KP_SUB       = 0xffad,
  KEY_F2           = 0xffbf,
  KEY_F4           = 0xffc1,
  KEY_DELETE       = 0xffff,
  KEY_ISO_LEFT_TAB = 0xfe20,
};

/* Lower case of an ASCII letter keysym (shift gives the upper case one). */
static uint32_t
lower(uint32_t key)
{
  return key >= 'A' && key <= 'Z' ? key + ('a' - 'A') : key;
}

static StUiAction
ctrl_action(uint32_t key, unsigned mods)
{
  switch (lower(key)) {
  case 'z':
    return mods & ST_UI_MOD_SHIFT ? ST_UI_ACTION_REDO : ST_UI_ACTION_UNDO;
  case 'y':
    return ST_UI_ACTION_REDO;
  case 'c':
    return ST_UI_ACTION_COPY;
  case 'x':
    return ST_UI_ACTION_CUT;
  case 'v':
    return ST_UI_ACTION_PASTE;
  case 'a':
    return ST_UI_ACTION_SELECT_ALL;
  case '+':
  case '=':
  case KEY_KP_ADD:
    return ST_UI_ACTION_ZOOM_IN;
  case '-':
  case KEY_KP_SUB:
    return ST_UI_ACTION_ZOOM_OUT;
  default:
    return ST_UI_ACTION_NONE;
  }
}

StUiAction
st_ui_keys_action(uint32_t key, unsigned mods)
{
  if (mods & ST_UI_MOD_CTRL) {
    return ctrl_action(key, mods);
  }
  switch (key) {
  case KEY_DELETE:
  case KEY_BACKSPACE:
    return ST_UI_ACTION_DELETE;
  case '+':
  case '=':
  case KEY_KP_ADD:
    return ST_UI_ACTION_ZOOM_IN;
  case '-':
  case KEY_KP_SUB:
    return ST_UI_ACTION_ZOOM_OUT;
  case 'f':
    return ST_UI_ACTION_FIT;
  case ' ':
  case KEY_TAB:
  case KEY_ISO_LEFT_TAB:
    return ST_UI_ACTION_PALETTE;
  case KEY_F2:
    return ST_UI_ACTION_RENAME;
  case KEY_F4:
    return ST_UI_ACTION_TEXT;
  case KEY_ESCAPE:
    return ST_UI_ACTION_ESCAPE;
  case KEY_RETURN:
  case KEY_KP_ENTER:
    return ST_UI_ACTION_OPEN;
  case KEY_LEFT:
    return ST_UI_ACTION_NUDGE_LEFT;
  case KEY_RIGHT:
    return ST_UI_ACTION_NUDGE_RIGHT;
  case KEY_UP:
    return ST_UI_ACTION_NUDGE_UP;
  case KEY_DOWN:
    return ST_UI_ACTION_NUDGE_DOWN;
  default:
    return ST_UI_ACTION_NONE;
  }
}

/* Moves every selected node by (dx, dy) from where it is shown: one gesture. */
static void
nudge(StUiModel* m, float dx, float dy, StUiOut* out)
{
  st_ui_model_update_layout(m);
  const StUiMark mark = st_ui_model_begin(m, out, ST_UI_RECORD_EDIT, true);
  bool           ok   = true;
  bool           any  = false;
  for (uint32_t j = 0; ok && j < m->layout.capacity; ++j) {
    const StNodeSlot* n = st_ui_mirror_node(m->mirror, j);
    if (n && m->selected[j]) {
      StUiEdit e = st_ui_edit(ST_UI_EDIT_PLACE);
      st_ui_copy_name(e.node, n->name, sizeof(e.node));
      e.x = m->layout.boxes[j].x + dx;
      e.y = m->layout.boxes[j].y + dy;
      ok  = st_ui_model_send(m, out, &e);
      any = true;
    }
  }
  st_ui_model_commit(m, out, mark, ok && any);
}

static StUiPoint
canvas_centre(const StUiModel* m)
{
  return (StUiPoint){m->frame.canvas.x + m->frame.canvas.w / 2,
                     m->frame.canvas.y + m->frame.canvas.h / 2};
}

StUiAction
st_ui_model_key(StUiModel* m, uint32_t keysym, unsigned mods, StUiOut* out)
{
  const StUiAction action = st_ui_keys_action(keysym, mods);
  const float      step   = mods & ST_UI_MOD_SHIFT ? ST_UI_NUDGE_FINE : ST_UI_NUDGE;
  const uint32_t   depth  = st_ui_model_depth(m);
  if (depth && (action == ST_UI_ACTION_ESCAPE || action == ST_UI_ACTION_DELETE)) {
    m->error.shown = false;
    st_ui_model_leave(m, depth - 1);
    return ST_UI_ACTION_ESCAPE;
  }
  switch (action) {
  case ST_UI_ACTION_DELETE:
    st_ui_model_delete_selection(m, out);
    break;
  case ST_UI_ACTION_UNDO:
  case ST_UI_ACTION_REDO:
    st_ui_model_undo(m, action == ST_UI_ACTION_REDO, out);
    break;
  case ST_UI_ACTION_SELECT_ALL:
    for (uint32_t j = 0; j < st_graph_capacity(m->mirror->graph); ++j) {
      m->selected[j] = st_ui_mirror_node(m->mirror, j) != NULL;
    }
    break;
  case ST_UI_ACTION_ZOOM_IN:
  case ST_UI_ACTION_ZOOM_OUT:
    st_ui_view_zoom(&m->view,
                    action == ST_UI_ACTION_ZOOM_IN ? ST_UI_ZOOM_STEP : 1 / ST_UI_ZOOM_STEP,
                    canvas_centre(m));
    break;
  case ST_UI_ACTION_FIT:
    st_ui_model_fit(m);
    break;
  case ST_UI_ACTION_ESCAPE:
    m->error.shown = false;
    break;
  case ST_UI_ACTION_OPEN:
    st_ui_model_enter(m, m->focus);
    break;
  case ST_UI_ACTION_NUDGE_LEFT:
    nudge(m, -step, 0, out);
    break;
  case ST_UI_ACTION_NUDGE_RIGHT:
    nudge(m, step, 0, out);
    break;
  case ST_UI_ACTION_NUDGE_UP:
    nudge(m, 0, -step, out);
    break;
  case ST_UI_ACTION_NUDGE_DOWN:
    nudge(m, 0, step, out);
    break;
  default:
    break;
  }
  return action;
}

StUiAction
st_ui_model_text_key(StUiModel* m, uint32_t keysym, unsigned mods, const char* utf8,
                     StUiOut* out)
{
  StUiTextBuffer* b      = &m->text;
  const bool      extend = mods & ST_UI_MOD_SHIFT;
  const bool      ctrl   = mods & ST_UI_MOD_CTRL;
  switch (keysym) {
  case KEY_LEFT:
    st_ui_text_move(b, ST_UI_MOVE_LEFT, extend);
    return ST_UI_ACTION_NONE;
  case KEY_RIGHT:
    st_ui_text_move(b, ST_UI_MOVE_RIGHT, extend);
    return ST_UI_ACTION_NONE;
  case KEY_UP:
    st_ui_text_move(b, ST_UI_MOVE_UP, extend);
    return ST_UI_ACTION_NONE;
  case KEY_DOWN:
    st_ui_text_move(b, ST_UI_MOVE_DOWN, extend);
    return ST_UI_ACTION_NONE;
  case KEY_HOME:
    st_ui_text_move(b, ctrl ? ST_UI_MOVE_TEXT_START : ST_UI_MOVE_LINE_START, extend);
    return ST_UI_ACTION_NONE;
  case KEY_END:
    st_ui_text_move(b, ctrl ? ST_UI_MOVE_TEXT_END : ST_UI_MOVE_LINE_END, extend);
    return ST_UI_ACTION_NONE;
  case KEY_BACKSPACE:
  case KEY_DELETE:
    st_ui_text_delete(b, keysym == KEY_DELETE);
    return ST_UI_ACTION_NONE;
  case KEY_RETURN:
  case KEY_KP_ENTER:
    if (ctrl) {
      st_ui_model_apply_text(m, out);
      return ST_UI_ACTION_APPLY_TEXT;
    }
    st_ui_text_insert(b, "\n", 1);
    return ST_UI_ACTION_NONE;
  default:
    break;
  }
  if (ctrl && lower(keysym) == 'a') {
    st_ui_text_select_all(b);
  } else if (!ctrl && utf8 && (unsigned char)utf8[0] >= 0x20 && utf8[0] != 0x7f) {
    st_ui_text_insert(b, utf8, strlen(utf8));
  }
  return ST_UI_ACTION_NONE;
}
