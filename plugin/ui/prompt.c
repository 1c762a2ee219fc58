/* SPDX-License-Identifier: ISC */
/* The one-line prompt (prompt.h). */
#include "prompt.h"

#include "gesture.h"
#include "theme.h"

#include <X11/keysym.h>

#include <stdio.h>
#include <string.h>

void
st_ui_prompt_open(StUiEditor* e, StUiPromptKind what, const char* initial)
{
  e->prompt      = what;
  e->prompt_node = e->model->focus;
  snprintf(e->prompt_text, sizeof(e->prompt_text), "%s", initial ? initial : "");
}

static void
run(StUiEditor* e)
{
  switch (e->prompt) {
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
}

void
st_ui_prompt_key(StUiEditor* e, KeySym sym, const char* chars)
{
  const size_t n = strlen(e->prompt_text);
  if (sym == XK_Escape) {
    e->prompt = ST_UI_PROMPT_NONE;
  } else if (sym == XK_Return || sym == XK_KP_Enter) {
    run(e);
    e->prompt = ST_UI_PROMPT_NONE;
  } else if (sym == XK_BackSpace) {
    e->prompt_text[n ? n - 1 : 0] = '\0';
  } else if ((unsigned char)chars[0] >= ' ' && n + strlen(chars) < sizeof(e->prompt_text)) {
    strcat(e->prompt_text, chars);
  }
}

void
st_ui_prompt_draw(StUiEditor* e, cairo_t* cr)
{
  static const char* const labels[] = {"", "Rename to", "Load file", "Save to file"};
  if (e->prompt == ST_UI_PROMPT_NONE) {
    return;
  }
  const StUiRect c = e->model->frame.canvas;
  const StUiRect r = {c.x + 12, c.y + 10, c.w - 24 < 560 ? c.w - 24 : 560, 32};
  st_ui_set(cr, (StUiColor){0, 0, 0}, 0.4);
  st_ui_round_rect(cr, (StUiRect){r.x + 2, r.y + 3, r.w, r.h}, 6.0);
  cairo_fill(cr);
  st_ui_set(cr, ST_UI_PANEL, 1.0);
  st_ui_round_rect(cr, r, 6.0);
  cairo_fill_preserve(cr);
  st_ui_set(cr, ST_UI_ACCENT, 1.0);
  cairo_set_line_width(cr, 1.0);
  cairo_stroke(cr);
  st_ui_set(cr, ST_UI_DIM, 1.0);
  st_ui_text(e, cr, e->font_ui, (StUiRect){r.x + 10, r.y, 90, r.h}, ST_UI_ALIGN_LEFT,
             labels[e->prompt]);
  char shown[520];
  snprintf(shown, sizeof(shown), "%s|", e->prompt_text);
  st_ui_set(cr, ST_UI_TEXT, 1.0);
  st_ui_text(e, cr, e->font_mono, (StUiRect){r.x + 104, r.y, r.w - 114, r.h}, ST_UI_ALIGN_LEFT,
             shown);
}
