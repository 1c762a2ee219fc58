/* SPDX-License-Identifier: ISC */
/* Mouse and keyboard: what lies under the pointer comes from the model's
   hit-testing, and every gesture is one of the model's gesture calls, whose
   messages go straight to the plugin. Keys go through the model's key
   mapping; the window keeps only what a screen adds (toolbar, palette,
   typed values, the macro menu, drags in progress). */
#include "clipboard.h"
#include "control.h"
#include "editor.h"
#include "gesture.h"
#include "keys.h"
#include "prompt.h"

#include <X11/Xutil.h>
#include <X11/keysym.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOUBLE_CLICK_MS 350

static bool
inside(StUiRect r, StUiPoint p)
{
  return p.x >= r.x && p.x < r.x + r.w && p.y >= r.y && p.y < r.y + r.h;
}

static const StNodeSlot*
focused(const StUiEditor* v)
{
  return v->model->focus >= 0 ? st_ui_mirror_node(v->model->mirror, (uint32_t)v->model->focus)
                              : NULL;
}

/* --- Palette --- */

static void
palette_search(StUiEditor* v)
{
  v->palette_count = st_ui_palette_search(
    v->palette_query, v->palette_items, sizeof(v->palette_items) / sizeof(v->palette_items[0]));
  v->palette_pick = 0;
}

static void
palette_open(StUiEditor* v, StUiPoint canvas)
{
  v->palette_open     = true;
  v->palette_query[0] = '\0';
  v->palette_at       = canvas;
  palette_search(v);
}

static void
palette_add(StUiEditor* v, size_t item)
{
  v->palette_open = false;
  if (item < v->palette_count) {
    st_ui_model_add_node(v->model, v->palette_items[item].type, v->palette_at.x,
                         v->palette_at.y, &v->out);
  }
}

/* --- Parameters and macros --- */

/* Opens the prompt for the map's range, curve and label, filled with the
   whole range, the control's own curve and the parameter's name. */
static void
map_macro(StUiEditor* v, int param, int slot)
{
  const StNodeSlot* s = focused(v);
  if (s) {
    char text[96];
    st_ui_control_map_default(&s->type->params[param], text, sizeof(text));
    st_ui_prompt_open(v, ST_UI_PROMPT_MACRO, text);
    v->prompt_param = param;
    v->prompt_slot  = slot;
  }
}

static void
press_param(StUiEditor* v, const StUiHit* h, bool twice)
{
  const StNodeSlot*  s = focused(v);
  const StParamSpec* p = &s->type->params[h->port];
  if ((p->flags & ST_PARAM_CHOICE) && p->choices) {
    int n = 0;
    while (p->choices[n]) {
      ++n;
    }
    const int k = (int)(h->fraction * (float)n);
    st_ui_model_set_param(v->model, h->node, h->port, (float)(k < n ? k : n - 1), false,
                          &v->out);
  } else if (twice) {
    v->entry_param = h->port;
    v->entry[0]    = '\0';
  } else {
    v->drag       = ST_UI_DRAG_PARAM;
    v->drag_param = h->port;
    v->drag_start = v->drag_value = s->params[h->port].target;
  }
}

/* A drag turns the parameter from where it (re)started: right or up raises it. */
static void
drag_param(StUiEditor* v, bool fine)
{
  const StNodeSlot* s = focused(v);
  if (!s || v->drag_param >= (int)s->type->n_params) {
    return;
  }
  const float pixels = (v->ptr.x - v->press.x) - (v->ptr.y - v->press.y);
  const float value =
    st_ui_control_drag(&s->type->params[v->drag_param], v->drag_start, pixels, fine);
  if (value != v->drag_value) {
    st_ui_model_set_param(v->model, v->model->focus, v->drag_param, value, true, &v->out);
    v->drag_value = value;
  }
}

/* Shift pressed or released mid-drag: on from here at the other rate. */
static void
fine_toggle(StUiEditor* v)
{
  v->drag_start = v->drag_value;
  v->press      = v->ptr;
}

static void
set_macro(StUiEditor* v, int slot, float fraction)
{
  const float u = fraction < 0.0f ? 0.0f : fraction > 1.0f ? 1.0f : fraction;
  st_ui_model_macro_port(v->model, (uint32_t)slot, u);
  v->write(v->controller, ST_UI_PORT_MACRO1 + (uint32_t)slot, sizeof(float), 0, &u);
}

/* --- Cables --- */

static void
press_port(StUiEditor* v, int node, bool output, int port)
{
  const StNodeSlot* s   = st_ui_mirror_node(v->model->mirror, (uint32_t)node);
  v->drag               = ST_UI_DRAG_CABLE;
  v->drag_unlinked_node = -1;
  if (!output && s->src[port].node != ST_NO_NODE) {
    // Picked up at its input end: the cable follows the pointer from its source.
    v->drag_unlinked_node = node;
    v->drag_unlinked_port = port;
    v->drag_node          = (int)s->src[port].node;
    v->drag_port          = (int)s->src[port].port;
    v->drag_output        = true;
    return;
  }
  v->drag_node   = node;
  v->drag_port   = port;
  v->drag_output = output;
}

/* Dropped on a port of the other kind: connected (an occupied input's link
   replaced in one edit); a picked-up cable dropped elsewhere: disconnected. */
static void
release_cable(StUiEditor* v)
{
  const StUiHit h   = st_ui_model_hit(v->model, v->ptr.x, v->ptr.y);
  const bool    hit = v->drag_output ? h.kind == ST_UI_HIT_INPUT : h.kind == ST_UI_HIT_OUTPUT;
  const bool same   = hit && h.node == v->drag_unlinked_node && h.port == v->drag_unlinked_port;
  if (hit && !same) {
    if (v->drag_output) {
      st_ui_model_connect(v->model, v->drag_node, v->drag_port, h.node, h.port, &v->out);
    } else {
      st_ui_model_connect(v->model, h.node, h.port, v->drag_node, v->drag_port, &v->out);
    }
  }
  if (v->drag_unlinked_node >= 0 && !same) {
    st_ui_model_disconnect(v->model, v->drag_unlinked_node, v->drag_unlinked_port, &v->out);
  }
  v->drag_unlinked_node = -1;
}

static void
toggle_probe(StUiEditor* v, int node, int input)
{
  const StNodeSlot* s   = st_ui_mirror_node(v->model->mirror, (uint32_t)node);
  const StNodeSlot* src = st_ui_mirror_node(v->model->mirror, s->src[input].node);
  char              ref[ST_UI_REF_MAX];
  st_ui_ref_join(ref, src->name, src->type->outputs[s->src[input].port].name);
  if (!strcmp(ref, v->model->mirror->probe)) {
    st_ui_model_probe(v->model, -1, -1, &v->out);
  } else {
    st_ui_model_probe(v->model, (int)s->src[input].node, (int)s->src[input].port, &v->out);
  }
}

/* --- Canvas --- */

/* Inside a sub-patch (read-only) a press selects, or opens what it is on
   when twice; nothing is dragged but the canvas. */
static void
press_inside(StUiEditor* v, const StUiHit* h, bool twice, bool add)
{
  if (h->kind == ST_UI_HIT_NONE) {
    st_ui_model_select(v->model, -1, false);
    v->drag = ST_UI_DRAG_PAN;
  } else if (h->kind != ST_UI_HIT_CABLE && !(twice && st_ui_model_enter(v->model, h->node))) {
    st_ui_model_select(v->model, h->node, add);
  }
}

static void
press_canvas(StUiEditor* v, const StUiHit* h, bool twice, bool add)
{
  if (st_ui_model_depth(v->model)) {
    press_inside(v, h, twice, add);
    return;
  }
  switch (h->kind) {
  case ST_UI_HIT_INPUT:
  case ST_UI_HIT_OUTPUT:
    press_port(v, h->node, h->kind == ST_UI_HIT_OUTPUT, h->port);
    break;
  case ST_UI_HIT_NODE:
  case ST_UI_HIT_TITLE:
    if (twice && st_ui_model_enter(v->model, h->node)) {
      break;
    }
    st_ui_model_select(v->model, h->node, add);
    v->drag      = ST_UI_DRAG_NODE;
    v->drag_node = h->node;
    break;
  case ST_UI_HIT_CABLE:
    toggle_probe(v, h->node, h->port);
    break;
  default:
    if (twice) {
      palette_open(v, h->canvas);
    } else {
      st_ui_model_select(v->model, -1, false);
      v->drag = ST_UI_DRAG_PAN;
    }
  }
}

static void
release_node(StUiEditor* v)
{
  if (v->ptr.x != v->press.x || v->ptr.y != v->press.y) {
    const StUiRect b = v->model->layout.boxes[v->drag_node];
    st_ui_model_move_node(v->model, v->drag_node, roundf(b.x), roundf(b.y), &v->out);
  }
}

/* --- Text view --- */

static void
text_click(StUiEditor* v, StUiPoint p)
{
  const StUiRect t = v->model->frame.text;
  v->text_focus    = true;
  const unsigned line =
    v->text_first + (unsigned)fmax(0.0, (p.y - t.y - ST_UI_TEXT_TOP) / ST_UI_TEXT_LINE_H);
  const unsigned col =
    1 + (unsigned)fmax(0.0, (p.x - t.x - ST_UI_TEXT_GUTTER) / fmax(1.0, v->text_char_w) + 0.5);
  st_ui_text_go_to(&v->model->text, line, col);
}

/* --- Actions: toolbar buttons and keys --- */

static void
act(StUiEditor* v, StUiAction action)
{
  const StUiRect c = v->model->frame.canvas;
  switch (action) {
  case ST_UI_ACTION_PALETTE:
    palette_open(
      v, st_ui_view_canvas(&v->model->view, (StUiPoint){c.x + c.w * 0.4f, c.y + c.h * 0.35f}));
    break;
  case ST_UI_ACTION_TEXT:
    st_ui_model_show_text(v->model, !v->model->text_shown);
    v->text_focus = false;
    break;
  case ST_UI_ACTION_COPY:
  case ST_UI_ACTION_CUT: {
    char* text = st_ui_model_copy(v->model);
    if (text) {
      free(v->clipboard);
      v->clipboard = text;
      if (action == ST_UI_ACTION_CUT) {
        st_ui_model_delete_selection(v->model, &v->out);
      }
    }
    break;
  }
  case ST_UI_ACTION_PASTE:
    if (v->clipboard) {
      st_ui_model_paste(v->model, v->clipboard, &v->out);
    }
    break;
  case ST_UI_ACTION_RENAME: {
    const StNodeSlot* s = focused(v);
    if (s) {
      st_ui_prompt_open(v, ST_UI_PROMPT_RENAME, s->name);
    }
    break;
  }
  case ST_UI_ACTION_ESCAPE:
    v->palette_open     = false;
    v->macro_menu_param = -1;
    v->entry_param      = -1;
    break;
  default:
    break;
  }
}

static void
toolbar(StUiEditor* v, int button)
{
  switch (button) {
  case 0:
    act(v, ST_UI_ACTION_PALETTE);
    break;
  case 1:
    st_ui_model_fit(v->model);
    break;
  case 2:
    act(v, ST_UI_ACTION_TEXT);
    break;
  case 3:
  case 4:
    st_ui_model_undo(v->model, button == 4, &v->out);
    break;
  case 5:
    st_ui_model_delete_selection(v->model, &v->out);
    break;
  case 6:
  case 7: {
    const char* home = getenv("HOME");
    char        path[512];
    snprintf(path, sizeof(path), "%s/%s", home ? home : ".", "patch.strata");
    st_ui_prompt_open(v, button == 6 ? ST_UI_PROMPT_LOAD : ST_UI_PROMPT_SAVE, path);
    break;
  }
  default:
    break;
  }
}

/* Presses an open popup takes; true when taken. */
static bool
press_popup(StUiEditor* v, StUiPoint p)
{
  if (v->palette_open) {
    for (int i = 0; i < ST_UI_PALETTE_ROWS && i < (int)v->palette_count; ++i) {
      if (inside(st_ui_palette_row(v, i), p)) {
        palette_add(v, (size_t)i);
        return true;
      }
    }
    v->palette_open = inside(st_ui_palette_rect(v), p);
    return true;
  }
  if (v->macro_menu_param >= 0) {
    for (int k = 0; k < ST_PLUGIN_MACROS; ++k) {
      if (inside(st_ui_macro_menu_rect(v, k), p)) {
        map_macro(v, v->macro_menu_param, k);
      }
    }
    v->macro_menu_param = -1;
    return true;
  }
  return false;
}

/* A press on a breadcrumb goes back out to its level; true when taken. */
static bool
press_crumb(StUiEditor* v, StUiPoint p)
{
  for (uint32_t level = 0; level < st_ui_model_depth(v->model); ++level) {
    if (inside(st_ui_crumb_rect(v, level), p)) {
      st_ui_model_leave(v->model, level);
      return true;
    }
  }
  return false;
}

static void
press_model(StUiEditor* v, XButtonEvent* b, StUiPoint p, bool twice)
{
  if (b->button == Button1 && press_crumb(v, p)) {
    return;
  }
  const StUiHit h = st_ui_model_hit(v->model, p.x, p.y);
  v->text_focus   = h.kind == ST_UI_HIT_TEXT;
  if (h.kind != ST_UI_HIT_PARAM) {
    v->entry_param = -1;
  }
  if (h.kind == ST_UI_HIT_PARAM) {
    if (b->button == Button3) {
      v->macro_menu_param = h.port;
    } else if (b->button == Button1) {
      press_param(v, &h, twice);
    }
  } else if (h.kind == ST_UI_HIT_MACRO && b->button == Button1) {
    v->drag       = ST_UI_DRAG_MACRO;
    v->drag_macro = h.port;
    set_macro(v, h.port, h.fraction);
  } else if (h.kind == ST_UI_HIT_TEXT) {
    text_click(v, p);
  } else if (b->button == Button2) {
    v->drag = ST_UI_DRAG_PAN;
  } else if (b->button == Button1) {
    press_canvas(v, &h, twice, b->state & (ShiftMask | ControlMask));
  }
}

static void
press(StUiEditor* v, XButtonEvent* b)
{
  const float     x = (float)(b->x / v->scale), y = (float)(b->y / v->scale);
  const StUiPoint p = {x, y - ST_UI_TOOLBAR_H};  // The model's window
  const bool twice  = b->button == Button1 && b->time - v->last_click_time < DOUBLE_CLICK_MS &&
                     fabsf(p.x - v->last_click.x) < 4 && fabsf(p.y - v->last_click.y) < 4;
  v->last_click_time = b->button == Button1 && !twice ? b->time : 0;
  v->last_click      = p;
  v->press = v->ptr = p;
  if (b->button == Button4 || b->button == Button5) {
    if (inside(v->model->frame.canvas, p)) {
      st_ui_view_zoom(&v->model->view, b->button == Button4 ? 1.15f : 1.0f / 1.15f, p);
    }
  } else if (!press_popup(v, p)) {
    v->model->error.shown = false;  // A new gesture: the old complaint goes
    if (y < ST_UI_TOOLBAR_H) {
      for (int i = 0; i < ST_UI_BUTTONS; ++i) {
        if (b->button == Button1 && inside(st_ui_button_rect(i), (StUiPoint){x, y})) {
          toolbar(v, i);
        }
      }
    } else {
      press_model(v, b, p, twice);
    }
  }
}

static void
motion(StUiEditor* v, StUiPoint p, unsigned state)
{
  const float dx = p.x - v->ptr.x, dy = p.y - v->ptr.y;
  v->ptr = p;
  switch (v->drag) {
  case ST_UI_DRAG_PAN:
    v->model->view.x += dx;
    v->model->view.y += dy;
    break;
  case ST_UI_DRAG_NODE:
    v->model->layout.boxes[v->drag_node].x += dx / v->model->view.zoom;
    v->model->layout.boxes[v->drag_node].y += dy / v->model->view.zoom;
    break;
  case ST_UI_DRAG_PARAM:
    drag_param(v, state & ShiftMask);
    break;
  case ST_UI_DRAG_MACRO: {
    const StUiRect r = st_ui_strip_slot(&v->model->frame, (uint32_t)v->drag_macro);
    set_macro(v, v->drag_macro, (p.x - r.x) / r.w);
    break;
  }
  case ST_UI_DRAG_CABLE:
    break;
  default:
    return;  // Hovering changes nothing shown
  }
  v->dirty = true;
}

static void
release(StUiEditor* v)
{
  if (v->drag == ST_UI_DRAG_CABLE) {
    release_cable(v);
  } else if (v->drag == ST_UI_DRAG_NODE) {
    release_node(v);
  } else if (v->drag == ST_UI_DRAG_PARAM) {
    st_ui_model_end_drag(v->model);
  }
  v->drag = ST_UI_DRAG_NONE;
}

/* --- Keys --- */

static void
key_palette(StUiEditor* v, KeySym sym, const char* chars)
{
  const size_t n = strlen(v->palette_query);
  if (sym == XK_Escape) {
    v->palette_open = false;
  } else if (sym == XK_Return || sym == XK_KP_Enter) {
    palette_add(v, (size_t)v->palette_pick);
  } else if (sym == XK_Down) {
    v->palette_pick += v->palette_pick + 1 < (int)v->palette_count;
  } else if (sym == XK_Up) {
    v->palette_pick -= v->palette_pick > 0;
  } else if (sym == XK_BackSpace) {
    v->palette_query[n ? n - 1 : 0] = '\0';
    palette_search(v);
  } else if ((unsigned char)chars[0] > ' ' && n + strlen(chars) < sizeof(v->palette_query)) {
    strcat(v->palette_query, chars);
    palette_search(v);
  }
}

static void
key_entry(StUiEditor* v, KeySym sym, const char* chars)
{
  const size_t n = strlen(v->entry);
  if (sym == XK_Escape) {
    v->entry_param = -1;
  } else if (sym == XK_Return || sym == XK_KP_Enter) {
    const StNodeSlot* s = focused(v);
    float             value;
    char              why[160];
    if (s && st_ui_control_parse(&s->type->params[v->entry_param], v->entry, &value, why,
                                 sizeof(why))) {
      st_ui_model_set_param(v->model, v->model->focus, v->entry_param, value, false, &v->out);
    } else if (s) {
      st_ui_model_fail(v->model, why);
    }
    v->entry_param = -1;
  } else if (sym == XK_BackSpace) {
    v->entry[n ? n - 1 : 0] = '\0';
  } else if ((unsigned char)chars[0] >= ' ' && n + strlen(chars) < sizeof(v->entry)) {
    strcat(v->entry, chars);
  }
}

static unsigned
mods_of(unsigned state)
{
  return ((state & ShiftMask) ? ST_UI_MOD_SHIFT : 0u) |
         ((state & ControlMask) ? ST_UI_MOD_CTRL : 0u) |
         ((state & Mod1Mask) ? ST_UI_MOD_ALT : 0u);
}

static void
key(StUiEditor* v, XKeyEvent* k)
{
  char   chars[8]      = "";
  KeySym sym           = NoSymbol;
  int    n             = XLookupString(k, chars, sizeof(chars) - 1, &sym, NULL);
  chars[n > 0 ? n : 0] = '\0';
  if (sym == XK_Shift_L || sym == XK_Shift_R) {
    if (v->drag == ST_UI_DRAG_PARAM) {
      fine_toggle(v);
    }
    return;
  }
  if (v->prompt != ST_UI_PROMPT_NONE) {
    st_ui_prompt_key(v, sym, chars);
  } else if (v->palette_open) {
    key_palette(v, sym, chars);
  } else if (v->entry_param >= 0) {
    key_entry(v, sym, chars);
  } else if (v->text_focus && sym == XK_Escape) {
    v->text_focus = false;
  } else if (v->text_focus) {
    st_ui_model_text_key(v->model, (uint32_t)sym, mods_of(k->state), chars, &v->out);
  } else {
    act(v, st_ui_model_key(v->model, (uint32_t)sym, mods_of(k->state), &v->out));
  }
}

void
st_ui_input(StUiEditor* v, XEvent* ev)
{
  switch (ev->type) {
  case ButtonPress:
    XSetInputFocus(v->dpy, v->win, RevertToParent, CurrentTime);
    press(v, &ev->xbutton);
    break;
  case ButtonRelease:
    if (ev->xbutton.button > Button3) {
      return;
    }
    v->ptr = (StUiPoint){(float)(ev->xbutton.x / v->scale),
                         (float)(ev->xbutton.y / v->scale) - ST_UI_TOOLBAR_H};
    release(v);
    break;
  case MotionNotify:
    while (XCheckTypedWindowEvent(v->dpy, v->win, MotionNotify, ev)) {
      // Only the latest position matters
    }
    motion(v,
           (StUiPoint){(float)(ev->xmotion.x / v->scale),
                       (float)(ev->xmotion.y / v->scale) - ST_UI_TOOLBAR_H},
           ev->xmotion.state);
    st_ui_editor_flush(v);
    return;
  case KeyPress:
    key(v, &ev->xkey);
    break;
  case KeyRelease:
    if (v->drag == ST_UI_DRAG_PARAM) {
      const KeySym sym = XLookupKeysym(&ev->xkey, 0);
      if (sym == XK_Shift_L || sym == XK_Shift_R) {
        fine_toggle(v);
      }
    }
    return;
  default:
    return;
  }
  st_ui_editor_flush(v);
  v->dirty = true;
}
