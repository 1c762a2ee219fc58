/* SPDX-License-Identifier: ISC */
/* The editor's X11 window: a child of the host's window, drawn with cairo
   on an Xlib surface. All work happens in idle(): pending events are read
   without blocking, and a frame is drawn only when something changed, at
   most 30 times a second, and never while the window is not shown. */
#include "editor.h"

#include <lv2/ui/ui.h>

#include <X11/Xresource.h>
#include <X11/Xutil.h>
#include <cairo-xlib.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FRAME_INTERVAL (1.0 / 30.0)  ///< Seconds between frames at most
#define VIEW_CHECK 1.0               ///< Seconds between asking the server whether we are seen

double
st_ui_now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void
make_surface(StUiEditor* v)
{
  if (v->surface) {
    cairo_surface_destroy(v->surface);
  }
  v->surface = cairo_xlib_surface_create(
    v->dpy, v->win, DefaultVisual(v->dpy, DefaultScreen(v->dpy)), v->width, v->height);
}

void
st_ui_editor_flush(StUiEditor* v)
{
  for (const LV2_Atom* a = st_ui_out_first(&v->out); a; a = st_ui_out_next(&v->out, a)) {
    v->write(v->controller, ST_UI_PORT_CONTROL, (uint32_t)sizeof(LV2_Atom) + a->size,
             v->model->uris.atom_eventTransfer, a);
  }
  st_ui_out_init(&v->out, v->out_buf, sizeof(v->out_buf));
}

static void
model_size(StUiEditor* v)
{
  st_ui_model_resize(v->model, (float)(v->width / v->scale),
                     (float)(v->height / v->scale) - ST_UI_TOOLBAR_H);
}

bool
st_ui_window_open(StUiEditor* v, Window parent, int width, int height)
{
  v->width    = width;
  v->height   = height;
  Window root = DefaultRootWindow(v->dpy);
  parent      = parent ? parent : root;
  XSetWindowAttributes attr;
  memset(&attr, 0, sizeof(attr));
  attr.background_pixel = BlackPixel(v->dpy, DefaultScreen(v->dpy));
  attr.bit_gravity      = NorthWestGravity;
  attr.event_mask = ExposureMask | StructureNotifyMask | ButtonPressMask | ButtonReleaseMask |
                    PointerMotionMask | KeyPressMask | KeyReleaseMask | VisibilityChangeMask |
                    EnterWindowMask | FocusChangeMask;
  v->win = XCreateWindow(v->dpy, parent, 0, 0, (unsigned)width, (unsigned)height, 0,
                         CopyFromParent, InputOutput, CopyFromParent,
                         CWBackPixel | CWBitGravity | CWEventMask, &attr);
  if (!v->win) {
    return false;
  }
  XStoreName(v->dpy, v->win, "Strata");
  XSizeHints hints;
  memset(&hints, 0, sizeof(hints));
  hints.flags       = PMinSize | PBaseSize;
  hints.min_width   = (int)(480 * v->scale);
  hints.min_height  = (int)(320 * v->scale);
  hints.base_width  = width;
  hints.base_height = height;
  XSetWMNormalHints(v->dpy, v->win, &hints);
  if (parent == root) {
    v->wm_delete = XInternAtom(v->dpy, "WM_DELETE_WINDOW", False);
    XSetWMProtocols(v->dpy, v->win, &v->wm_delete, 1);
  }
  make_surface(v);
  model_size(v);
  XMapRaised(v->dpy, v->win);
  XFlush(v->dpy);
  v->dirty = true;
  return true;
}

void
st_ui_window_close(StUiEditor* v)
{
  if (v->surface) {
    cairo_surface_destroy(v->surface);
    v->surface = NULL;
  }
  if (v->win) {
    XDestroyWindow(v->dpy, v->win);
    XFlush(v->dpy);
    v->win = 0;
  }
}

void
st_ui_window_resize(StUiEditor* v, int width, int height)
{
  if (width == v->width && height == v->height) {
    return;
  }
  v->width  = width;
  v->height = height;
  cairo_xlib_surface_set_size(v->surface, width, height);
  model_size(v);
  v->dirty = true;
}

static void
draw_frame(StUiEditor* v)
{
  // The selection may have changed the parts (the controls shown): frame anew.
  if (st_graph_count(v->model->mirror->graph) >
      0) {  // Nothing to lay out before the first patch
    st_ui_model_update_layout(v->model);
  }
  st_ui_model_resize(v->model, v->model->width, v->model->height);
  cairo_t* cr = cairo_create(v->surface);
  cairo_push_group(cr);  // Drawn off screen, shown whole: no flicker
  cairo_scale(cr, v->scale, v->scale);
  st_ui_draw(v, cr);
  cairo_pop_group_to_source(cr);
  cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
  cairo_paint(cr);
  cairo_destroy(cr);
  cairo_surface_flush(v->surface);
  XFlush(v->dpy);
  ++v->frames;
  if (v->trace) {
    st_ui_trace_frame(v);
  }
}

int
st_ui_window_idle(StUiEditor* v)
{
  int closed = 0;
  while (XPending(v->dpy)) {
    XEvent e;
    XNextEvent(v->dpy, &e);
    if (e.xany.window != v->win) {
      continue;
    }
    switch (e.type) {
    case MapNotify:
      v->mapped   = true;
      v->viewable = true;
      v->dirty    = true;
      break;
    case UnmapNotify:
      v->mapped = false;
      break;
    case VisibilityNotify:  // Sent only to a viewable window
      v->viewable = true;
      v->obscured = e.xvisibility.state == VisibilityFullyObscured;
      v->dirty |= !v->obscured;
      break;
    case ConfigureNotify:
      st_ui_window_resize(v, e.xconfigure.width, e.xconfigure.height);
      break;
    case Expose:
      v->viewable = true;
      v->dirty    = true;
      break;
    case ClientMessage:
      closed = (Atom)e.xclient.data.l[0] == v->wm_delete;
      break;
    default:
      st_ui_input(v, &e);
    }
  }
  const double now = st_ui_now();
  if (now - v->last_view_check >= VIEW_CHECK) {
    // A host hides the editor by hiding its own window: ours stays mapped
    // but is no longer viewable, and no event says so.
    XWindowAttributes a;
    v->last_view_check = now;
    v->viewable        = XGetWindowAttributes(v->dpy, v->win, &a) && a.map_state == IsViewable;
  }
  const bool seen = v->mapped && v->viewable && !v->obscured;
  // Level reports are asked for while seen, and stopped once when not.
  st_ui_model_tick(v->model, now, seen, &v->out);
  st_ui_editor_flush(v);
  if (seen && v->dirty && now - v->last_frame >= FRAME_INTERVAL) {
    v->dirty      = false;
    v->last_frame = now;
    draw_frame(v);
  }
  return closed;
}
