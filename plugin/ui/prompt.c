/* SPDX-License-Identifier: ISC */
/* The one-line prompt (prompt.h). */
#include "prompt.h"

#include "control.h"
#include "gesture.h"
#include "mirror.h"
#include "theme.h"

#include <X11/keysym.h>

#include <stdio.h>
#include <string.h>

void
st_ui_prompt_open(StUiEditor* e, StUiPromptKind what, const char* initial)
{
  e->prompt          = what;
  e->prompt_node     = e->model->focus;
  e->prompt_error[0] = '\0';
  snprintf(e->prompt_text, sizeof(e->prompt_text), "%s", initial ? initial : "");
}

/* Maps the parameter as typed; false (the prompt stays open with the
   reason) when the entry does not read. */
static bool
map(StUiEditor* e)
{
  const StNodeSlot* s =
    e->prompt_node >= 0 ? st_ui_mirror_node(e->model->mirror, (uint32_t)e->prompt_node) : NULL;
  if (!s || e->prompt_param >= (int)s->type->n_params) {
    return true;  // The node went while the prompt was open
  }
  StUiMapEntry entry;
  if (!st_ui_control_parse_map(&s->type->params[e->prompt_param], e->prompt_text, &entry,
                               e->prompt_error, sizeof(e->prompt_error))) {
    return false;
  }
  st_ui_model_map(e->model, (uint32_t)e->prompt_slot + 1, e->prompt_node, e->prompt_param,
                  entry.min, entry.max, entry.curve, entry.label, &e->out);
  return true;
}

/* Does what the prompt asks; false when it stays open. */
static bool
run(StUiEditor* e)
{
  switch (e->prompt) {
  case ST_UI_PROMPT_MACRO:
    return map(e);
  case ST_UI_PROMPT_RENAME:
    st_ui_model_rename(e->model, e->prompt_node, e->prompt_text, &e->out);
    break;
  case ST_UI_PROMPT_LOAD:
    st_ui_model_load_file(e->model, e->prompt_text, &e->out);
    break;
  case ST_UI_PROMPT_SAVE:
    if (!st_ui_model_save_file(e->model, e->prompt_text) && !e->model->error.shown) {
      char why[sizeof(e->prompt_text) + 16];
      snprintf(why, sizeof(why), "cannot write %s", e->prompt_text);
      st_ui_model_fail(e->model, why);
    }
    break;
  default:
    break;
  }
  return true;
}

void
st_ui_prompt_key(StUiEditor* e, KeySym sym, const char* chars)
{
  const size_t n = strlen(e->prompt_text);
  if (sym == XK_Escape) {
    e->prompt = ST_UI_PROMPT_NONE;
  } else if (sym == XK_Return || sym == XK_KP_Enter) {
    if (run(e)) {
      e->prompt = ST_UI_PROMPT_NONE;
    }
  } else if (sym == XK_BackSpace) {
    e->prompt_text[n ? n - 1 : 0] = '\0';
    e->prompt_error[0]            = '\0';
  } else if ((unsigned char)chars[0] >= ' ' && n + strlen(chars) < sizeof(e->prompt_text)) {
    strcat(e->prompt_text, chars);
    e->prompt_error[0] = '\0';
  }
}

void
st_ui_prompt_draw(StUiEditor* e, cairo_t* cr)
{
  static const char* const labels[] = {"", "Rename to", "Load file", "Save to file", ""};
  if (e->prompt == ST_UI_PROMPT_NONE) {
    return;
  }
  char label[32];
  snprintf(label, sizeof(label), "%s", labels[e->prompt]);
  if (e->prompt == ST_UI_PROMPT_MACRO) {
    snprintf(label, sizeof(label), "Map to macro %d", e->prompt_slot + 1);
  }
  const StUiRect c       = e->model->frame.canvas;
  const bool     refused = e->prompt_error[0] != '\0';
  const StUiRect r = {c.x + 12, c.y + 10, c.w - 24 < 560 ? c.w - 24 : 560, refused ? 56 : 32};
  st_ui_set(cr, (StUiColor){0, 0, 0}, 0.4);
  st_ui_round_rect(cr, (StUiRect){r.x + 2, r.y + 3, r.w, r.h}, 6.0);
  cairo_fill(cr);
  st_ui_set(cr, ST_UI_PANEL, 1.0);
  st_ui_round_rect(cr, r, 6.0);
  cairo_fill_preserve(cr);
  st_ui_set(cr, refused ? ST_UI_ERROR : ST_UI_ACCENT, 1.0);
  cairo_set_line_width(cr, 1.0);
  cairo_stroke(cr);
  st_ui_set(cr, ST_UI_DIM, 1.0);
  st_ui_text(e, cr, e->font_ui, (StUiRect){r.x + 10, r.y, 110, 32}, ST_UI_ALIGN_LEFT, label);
  char shown[520];
  snprintf(shown, sizeof(shown), "%s|", e->prompt_text);
  st_ui_set(cr, ST_UI_TEXT, 1.0);
  st_ui_text(e, cr, e->font_mono, (StUiRect){r.x + 124, r.y, r.w - 134, 32}, ST_UI_ALIGN_LEFT,
             shown);
  if (refused) {
    st_ui_set(cr, ST_UI_ERROR, 1.0);
    st_ui_text(e, cr, e->font_ui, (StUiRect){r.x + 124, r.y + 26, r.w - 134, 26},
               ST_UI_ALIGN_LEFT, e->prompt_error);
  }
}
