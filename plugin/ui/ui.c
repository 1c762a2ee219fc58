/* SPDX-License-Identifier: ISC */
/* The LV2 UI of the patch editor: an X11 UI (ui:X11UI) that embeds in the
   host's window (ui:parent), tells the host its size (ui:resize) and does
   all its work in idle() (ui:idleInterface). It speaks to the plugin only
   through atoms on control and notify and the macro control ports. */
#include "ui_size.h"
#include "editor.h"

#include <lv2/log/log.h>
#include <lv2/options/options.h>
#include <lv2/ui/ui.h>
#include <lv2/urid/urid.h>

#include <X11/Xresource.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STRATA_UI_URI STRATA_URI "#ui"
#define DEFAULT_W 1100  ///< Logical size of a first window
#define DEFAULT_H 680

/* HiDPI scale: the host's ui:scaleFactor, else STRATA_UI_SCALE, else Xft.dpi / 96. */
static double
find_scale(Display* dpy, const LV2_Options_Option* options, LV2_URID_Map* map)
{
  const LV2_URID scale_key  = map->map(map->handle, LV2_UI__scaleFactor);
  const LV2_URID atom_Float = map->map(map->handle, LV2_ATOM__Float);
  for (const LV2_Options_Option* o = options; o && o->key; ++o) {
    if (o->key == scale_key && o->type == atom_Float && o->size == sizeof(float)) {
      float f = *(const float*)o->value;
      if (f >= 0.5f && f <= 4.0f) {
        return f;
      }
    }
  }
  const char* env = getenv("STRATA_UI_SCALE");
  if (env && atof(env) >= 0.5 && atof(env) <= 4.0) {
    return atof(env);
  }
  const char* dpi = XGetDefault(dpy, "Xft", "dpi");
  if (dpi && atof(dpi) >= 48.0) {
    return fmax(1.0, round(atof(dpi) / 96.0 * 4.0) / 4.0);
  }
  return 1.0;
}

static void
load_fonts(StUiEditor* v)
{
  v->font_ui    = pango_font_description_from_string("Sans 9.5");
  v->font_small = pango_font_description_from_string("Sans 8");
  v->font_mono  = pango_font_description_from_string("Monospace 9");
  v->measure    = pango_font_map_create_context(pango_cairo_font_map_get_default());
}

static void
fail(LV2_Log_Log* log, LV2_URID_Map* map, const char* why)
{
  if (log && map) {
    log->printf(log->handle, map->map(map->handle, LV2_LOG__Error), "strata editor: %s\n", why);
  }
}

static void
free_editor(StUiEditor* v)
{
  if (v->font_ui) {
    pango_font_description_free(v->font_ui);
    pango_font_description_free(v->font_small);
    pango_font_description_free(v->font_mono);
    g_object_unref(v->measure);
  }
  if (v->model) {
    st_ui_model_free(v->model);
  }
  if (v->trace) {
    fclose(v->trace);
  }
  if (v->dpy) {
    XCloseDisplay(v->dpy);
  }
  free(v->clipboard);
  free(v);
}

static LV2UI_Handle
instantiate(const LV2UI_Descriptor* descriptor, const char* plugin_uri, const char* bundle_path,
            LV2UI_Write_Function write_function, LV2UI_Controller controller,
            LV2UI_Widget* widget, const LV2_Feature* const* features)
{
  (void)descriptor, (void)bundle_path;
  LV2_URID_Map*             map     = NULL;
  LV2_Log_Log*              log     = NULL;
  const LV2_Options_Option* options = NULL;
  const LV2UI_Resize*       resize  = NULL;
  Window                    parent  = 0;
  for (int i = 0; features && features[i]; ++i) {
    const char* uri = features[i]->URI;
    void*       d   = features[i]->data;
    if (!strcmp(uri, LV2_URID__map)) {
      map = d;
    } else if (!strcmp(uri, LV2_LOG__log)) {
      log = d;
    } else if (!strcmp(uri, LV2_OPTIONS__options)) {
      options = d;
    } else if (!strcmp(uri, LV2_UI__resize)) {
      resize = d;
    } else if (!strcmp(uri, LV2_UI__parent)) {
      parent = (Window)(uintptr_t)d;
    }
  }
  if (!map || strcmp(plugin_uri, STRATA_URI)) {
    fail(log, map, map ? "not the Strata plugin" : "the host offers no urid:map");
    return NULL;
  }
  StUiEditor* v = calloc(1, sizeof(StUiEditor));
  if (!v) {
    return NULL;
  }
  v->write              = write_function;
  v->controller         = controller;
  v->entry_param        = -1;
  v->macro_menu_param   = -1;
  v->drag_unlinked_node = -1;
  st_ui_out_init(&v->out, v->out_buf, sizeof(v->out_buf));
  v->dpy = XOpenDisplay(NULL);
  if (!v->dpy) {
    fail(log, map, "cannot open the X display");
    free_editor(v);
    return NULL;
  }
  v->scale = find_scale(v->dpy, options, map);
  load_fonts(v);
  v->model = st_ui_model_new(map, st_ui_measure, v);
  if (!v->model) {
    fail(log, map, "out of memory");
    free_editor(v);
    return NULL;
  }
  const char* trace = getenv("STRATA_UI_TRACE");
  if (trace && *trace) {
    v->trace = fopen(trace, "a");  // Tests only: where things are after each frame
  }
  int w = DEFAULT_W, h = DEFAULT_H;
  st_ui_size_load(&w, &h);
  if (!st_ui_window_open(v, parent, (int)(w * v->scale), (int)(h * v->scale))) {
    fail(log, map, "cannot create the window");
    free_editor(v);
    return NULL;
  }
  if (resize) {
    resize->ui_resize(resize->handle, v->width, v->height);
  }
  *widget = (LV2UI_Widget)(uintptr_t)v->win;
  st_ui_model_open(v->model, st_ui_now(), &v->out);
  st_ui_editor_flush(v);
  return v;
}

static void
cleanup(LV2UI_Handle handle)
{
  StUiEditor* v = handle;
  st_ui_model_close(v->model, &v->out);  // Level reports and the scope are for open editors
  st_ui_editor_flush(v);
  st_ui_size_save((int)lround(v->width / v->scale), (int)lround(v->height / v->scale));
  st_ui_window_close(v);
  free_editor(v);
}

/* What a level report changes on screen: which nodes are lit. */
static uint64_t
lit_nodes(const StUiMirror* m)
{
  uint64_t h = 1469598103934665603ull;
  for (uint32_t i = 0; i < m->graph->span; ++i) {
    h = (h ^ (uint64_t)(st_ui_mirror_node(m, i) && m->levels[i] > 1e-4f)) * 1099511628211ull;
  }
  return h;
}

static void
port_event(LV2UI_Handle handle, uint32_t port, uint32_t size, uint32_t format,
           const void* buffer)
{
  StUiEditor* v = handle;
  if (port == ST_UI_PORT_NOTIFY && format == v->model->uris.atom_eventTransfer &&
      size >= sizeof(LV2_Atom) && size >= sizeof(LV2_Atom) + ((const LV2_Atom*)buffer)->size) {
    const uint32_t version = v->model->mirror->version;
    const bool     error   = v->model->error.shown;
    const unsigned changed = st_ui_model_receive(v->model, buffer, &v->out);
    st_ui_editor_flush(v);
    if (changed & ST_UI_CHANGED_PATCH) {
      st_ui_model_update_layout(v->model);
      if (!v->fitted) {
        v->fitted = true;
        st_ui_model_fit(v->model);
      }
    }
    // Redrawn only for what shows: the patch, an error, the macros, a scope,
    // a sounding light going on or off (not each level report, nor the
    // answers to the keep-alive of level reports).
    const uint64_t lit = lit_nodes(v->model->mirror);
    v->dirty |=
      v->model->mirror->version != version || v->model->error.shown != error ||
      (changed & (ST_UI_CHANGED_ERROR | ST_UI_CHANGED_MACROS)) ||
      ((changed & ST_UI_CHANGED_METERS) && (v->model->mirror->probe[0] || lit != v->lit));
    v->lit = lit;
  } else if (port >= ST_UI_PORT_MACRO1 && port < ST_UI_PORT_MACRO1 + ST_PLUGIN_MACROS &&
             format == 0 && size == sizeof(float)) {
    const uint32_t slot = port - ST_UI_PORT_MACRO1;
    const float    old  = v->model->macros[slot];
    st_ui_model_macro_port(v->model, slot, *(const float*)buffer);
    v->dirty |= old != v->model->macros[slot];
  }
}

static int
ui_idle(LV2UI_Handle handle)
{
  return st_ui_window_idle(handle);
}

static int
ui_resize(LV2UI_Feature_Handle handle, int width, int height)
{
  StUiEditor* v = handle;
  XResizeWindow(v->dpy, v->win, (unsigned)width, (unsigned)height);
  st_ui_window_resize(v, width, height);
  return 0;
}

static int
ui_show(LV2UI_Handle handle)
{
  StUiEditor* v = handle;
  XMapRaised(v->dpy, v->win);
  XFlush(v->dpy);
  return 0;
}

static int
ui_hide(LV2UI_Handle handle)
{
  StUiEditor* v = handle;
  XUnmapWindow(v->dpy, v->win);
  XFlush(v->dpy);
  v->mapped = false;
  return 0;
}

static const void*
extension_data(const char* uri)
{
  static const LV2UI_Idle_Interface idle   = {ui_idle};
  static const LV2UI_Resize         resize = {NULL, ui_resize};
  static const LV2UI_Show_Interface show   = {ui_show, ui_hide};
  if (!strcmp(uri, LV2_UI__idleInterface)) {
    return &idle;
  }
  if (!strcmp(uri, LV2_UI__resize)) {
    return &resize;
  }
  if (!strcmp(uri, LV2_UI__showInterface)) {
    return &show;
  }
  return NULL;
}

static const LV2UI_Descriptor descriptor = {
  STRATA_UI_URI, instantiate, cleanup, port_event, extension_data,
};

LV2_SYMBOL_EXPORT const LV2UI_Descriptor*
lv2ui_descriptor(uint32_t index)
{
  return index == 0 ? &descriptor : NULL;
}
