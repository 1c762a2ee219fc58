/* SPDX-License-Identifier: ISC */
/* Where everything is, written after each frame when STRATA_UI_TRACE names
   a file: the tests read it to press on a port, a parameter or a macro,
   and to see what the editor shows. Root-window device pixels. Nothing is
   written unless a test asks for it. */
#include "editor.h"

#include <stdio.h>

typedef struct {
  StUiEditor* e;
  int         rx, ry;  ///< The window's origin on the root window
} Trace;

/* A rectangle of the model's window (below the toolbar) or of the toolbar. */
static void
rect(const Trace* t, const char* what, const char* name, StUiRect r, bool model)
{
  const double s = t->e->scale, dy = model ? ST_UI_TOOLBAR_H : 0.0;
  fprintf(t->e->trace, "%s %s %d %d %d %d\n", what, name, t->rx + (int)(r.x * s),
          t->ry + (int)((r.y + dy) * s), (int)(r.w * s), (int)(r.h * s));
}

static void
trace_nodes(const Trace* t)
{
  StUiEditor*       e = t->e;
  const StUiMirror* m = e->model->mirror;
  for (uint32_t i = 0; i < m->graph->span; ++i) {
    const StNodeSlot* s = st_ui_mirror_node(m, i);
    if (!s) {
      continue;
    }
    rect(t, "node", s->name, st_ui_node_box(e, i), true);
    fprintf(e->trace, "level %s %g\n", s->name, (double)m->levels[i]);
    for (uint32_t side = 0; side < 2; ++side) {
      uint32_t          n  = side ? s->type->n_outputs : s->type->n_inputs;
      const StPortSpec* ps = side ? s->type->outputs : s->type->inputs;
      for (uint32_t p = 0; p < n; ++p) {
        StUiPoint at = st_ui_port_point(e, i, side, p);
        fprintf(e->trace, "%s %s.%s %d %d\n", side ? "out" : "in", s->name, ps[p].name,
                t->rx + (int)(at.x * e->scale),
                t->ry + (int)((at.y + ST_UI_TOOLBAR_H) * e->scale));
      }
    }
  }
}

static void
trace_controls(const Trace* t)
{
  StUiEditor*       e = t->e;
  const StNodeSlot* s = e->model->focus >= 0
                          ? st_ui_mirror_node(e->model->mirror, (uint32_t)e->model->focus)
                          : NULL;
  for (uint32_t i = 0; s && i < s->type->n_params; ++i) {
    rect(t, "param", s->type->params[i].name, st_ui_inspector_slider(&e->model->frame, i),
         true);
  }
  for (int k = 0; k < ST_PLUGIN_MACROS; ++k) {
    char name[8];
    snprintf(name, sizeof(name), "%d", k + 1);
    rect(t, "macro", name, st_ui_strip_slot(&e->model->frame, (uint32_t)k), true);
    if (e->macro_menu_param >= 0) {
      rect(t, "macromenu", name, st_ui_macro_menu_rect(e, k), true);
    }
  }
  static const char* const buttons[ST_UI_BUTTONS] = {"add",  "fit",    "text", "undo",
                                                     "redo", "delete", "load", "save"};
  for (int i = 0; i < ST_UI_BUTTONS; ++i) {
    rect(t, "button", buttons[i], st_ui_button_rect(i), false);
  }
  for (int i = 0; e->palette_open && i < (int)e->palette_count && i < ST_UI_PALETTE_ROWS; ++i) {
    rect(t, "palette", e->palette_items[i].type->name, st_ui_palette_row(e, i), true);
  }
  if (e->model->text_shown) {
    rect(t, "textview", "-", e->model->frame.text, true);
  }
  for (uint32_t level = 0; st_ui_model_depth(e->model) && level <= st_ui_model_depth(e->model);
       ++level) {
    char name[8];
    snprintf(name, sizeof(name), "%u", level);
    rect(t, "crumb", name, st_ui_crumb_rect(e, level), true);
  }
}

void
st_ui_trace_frame(StUiEditor* e)
{
  Trace        t = {e, 0, 0};
  Window       child, root, parent, *children = NULL;
  unsigned int n = 0;
  XTranslateCoordinates(e->dpy, e->win, DefaultRootWindow(e->dpy), 0, 0, &t.rx, &t.ry, &child);
  XQueryTree(e->dpy, e->win, &root, &parent, &children, &n);
  if (children) {
    XFree(children);
  }
  fprintf(e->trace, "frame %lu %d %d %g %d\n", e->frames, e->width, e->height, e->scale,
          e->model->focus);
  fprintf(e->trace, "embedded %d\n", parent != root);
  fprintf(e->trace, "inside");  // The breadcrumbs' labels, " > " between them
  for (uint32_t level = 0; level <= st_ui_model_depth(e->model); ++level) {
    char crumb[ST_UI_CRUMB_MAX];
    st_ui_model_crumb(e->model, level, crumb, sizeof(crumb));
    fprintf(e->trace, "%s%s", level ? " > " : " ", crumb);
  }
  fputc('\n', e->trace);
  trace_nodes(&t);
  trace_controls(&t);
  fprintf(e->trace, "error %s\n", e->model->error.shown ? e->model->error.text : "");
  fprintf(e->trace, "errorline %u %u\n", e->model->error.line, e->model->error.column);
  for (int k = 0; k < ST_PLUGIN_MACROS; ++k) {
    fprintf(e->trace, "macrovalue %d %g\n", k + 1, (double)e->model->macros[k]);
  }
  fprintf(e->trace, "end\n");
  fflush(e->trace);
}
