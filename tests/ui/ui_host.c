/* SPDX-License-Identifier: ISC */
/* The editor tests' UI host (ui_host.h). */
#include "ui_host.h"


#include <lv2/atom/util.h>
#include <lv2/ui/ui.h>

#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <X11/XKBlib.h>
#include <cairo-xlib.h>
#include <cairo.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct UhHost {
  ShWorld*                    world;
  ShHost*                     plugin;
  Display*                    dpy;
  Window                      parent;
  void*                       lib;
  const LV2UI_Descriptor*     desc;
  LV2UI_Handle                ui;
  Window                      widget;
  const LV2UI_Idle_Interface* idle;
  LV2_URID                    event_transfer;
  LV2_URID                    atom_Object, atom_Int, seq_key;
  int32_t                     sent[UH_MAX_SENT];
  char                        sent_what[UH_MAX_SENT][48];  ///< Each message's type and property
  uint32_t                    n_sent;
  float                       macros_shown[ST_PLUGIN_MACROS];  ///< Macro values the UI was told
  int32_t                     next_seq;  ///< This host's own sequence numbers
  char                        trace_path[256];
  double                      ui_cpu;      ///< Thread CPU seconds spent in the UI's calls
  int                         ui_w, ui_h;  ///< Size the UI asked for
};

static pid_t xvfb_pid;

static void
die(const char* what, const char* why)
{
  fprintf(stderr, "ui host: %s: %s\n", what, why);
  exit(1);
}

static bool
on_path(const char* program)
{
  const char* path = getenv("PATH");
  char        dir[4096];
  while (path && *path) {
    size_t n = strcspn(path, ":");
    snprintf(dir, sizeof(dir), "%.*s/%s", (int)n, path, program);
    if (access(dir, X_OK) == 0) {
      return true;
    }
    path += n + (path[n] == ':');
  }
  return false;
}

/* Starts one Xvfb on a display it picks; 0 when a client can connect to it. */
static int
start_xvfb(int width, int height)
{
  int fds[2];
  if (pipe(fds)) {
    return 1;
  }
  char screen[64], fd[16];
  snprintf(screen, sizeof(screen), "%dx%dx24", width, height);
  snprintf(fd, sizeof(fd), "%d", fds[1]);
  xvfb_pid = fork();
  if (xvfb_pid == 0) {
    // The server goes with the test, however it ends, and keeps none of its output.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    int null = open("/dev/null", O_RDWR);
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    close(fds[0]);
    execlp("Xvfb", "Xvfb", "-displayfd", fd, "-screen", "0", screen, "-nolisten", "tcp",
           "-noreset", (char*)NULL);
    _exit(127);
  }
  close(fds[1]);
  char    number[32] = "";
  ssize_t n          = read(fds[0], number, sizeof(number) - 1);
  close(fds[0]);
  if (n <= 0) {
    uh_display_stop();
    return 1;
  }
  number[n] = '\0';
  char display[40];
  snprintf(display, sizeof(display), ":%d", atoi(number));
  setenv("DISPLAY", display, 1);
  Display* dpy = XOpenDisplay(NULL);
  if (!dpy) {
    uh_display_stop();
    return 1;
  }
  XCloseDisplay(dpy);
  return 0;
}

int
uh_display_start(int width, int height)
{
  if (!on_path("Xvfb")) {
    printf("Xvfb is not installed: the UI tests need a display\n");
    return 77;
  }
  atexit(uh_display_stop);
  // Servers that other tests start at the same moment may race for a display: try again.
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (start_xvfb(width, height) == 0) {
      return 0;
    }
  }
  fprintf(stderr, "Xvfb did not start\n");
  return 1;
}

void
uh_display_stop(void)
{
  if (xvfb_pid > 0) {
    kill(xvfb_pid, SIGTERM);
    waitpid(xvfb_pid, NULL, 0);
    xvfb_pid = 0;
  }
}

/* --- The UI's side of the host --- */

static int32_t
seq_of(UhHost* h, const LV2_Atom* atom)
{
  if (atom->type != h->atom_Object) {
    return -1;
  }
  const LV2_Atom* seq = NULL;
  lv2_atom_object_get((const LV2_Atom_Object*)atom, h->seq_key, &seq, 0);
  return seq && seq->type == h->atom_Int ? ((const LV2_Atom_Int*)seq)->body : -1;
}

/* "Set position", "Put", ...: a message's type and property, for failures. */
static void
describe(UhHost* h, const LV2_Atom* atom, char* what)
{
  LV2_URID_Unmap* unmap = sh_world_unmap(h->world);
  what[0]               = '\0';
  if (atom->type != h->atom_Object) {
    return;
  }
  const LV2_Atom_Object* obj      = (const LV2_Atom_Object*)atom;
  const LV2_Atom*        property = NULL;
  lv2_atom_object_get(obj, sh_urid(h->world, LV2_PATCH__property), &property, 0);
  const char* type = unmap->unmap(unmap->handle, obj->body.otype);
  const char* key  = property && property->type == sh_urid(h->world, LV2_ATOM__URID)
                       ? unmap->unmap(unmap->handle, ((const LV2_Atom_URID*)property)->body)
                       : "";
  snprintf(what, 48, "%s %s", type && strrchr(type, '#') ? strrchr(type, '#') + 1 : "?",
           key && strrchr(key, '#') ? strrchr(key, '#') + 1
           : key                    ? key
                                    : "");
}

static void
ui_write(LV2UI_Controller controller, uint32_t port, uint32_t size, uint32_t protocol,
         const void* buffer)
{
  UhHost* h = controller;
  if (protocol == h->event_transfer && port == 4 && size >= sizeof(LV2_Atom)) {
    const LV2_Atom* atom = buffer;
    if (h->n_sent < UH_MAX_SENT) {
      describe(h, atom, h->sent_what[h->n_sent]);
      h->sent[h->n_sent++] = seq_of(h, atom);
    }
    if (!sh_host_send(h->plugin, 0, atom)) {
      die("control port", "full");
    }
  } else if (protocol == 0 && size == sizeof(float)) {
    sh_host_set_control(h->plugin, port, *(const float*)buffer);
    h->macros_shown[port >= 6 && port < 22 ? port - 6 : 0] = *(const float*)buffer;
  }
}

static int
ui_resize(LV2UI_Feature_Handle handle, int width, int height)
{
  UhHost* h = handle;
  h->ui_w   = width;
  h->ui_h   = height;
  XResizeWindow(h->dpy, h->parent, (unsigned)width, (unsigned)height);
  return 0;
}

static void
load_ui(UhHost* h)
{
  LilvWorld*        lilv   = sh_world_lilv(h->world);
  const LilvPlugin* plugin = sh_world_plugin(h->world);
  LilvNode*         x11    = lilv_new_uri(lilv, LV2_UI__X11UI);
  LilvUIs*          uis    = lilv_plugin_get_uis(plugin);
  const LilvUI*     found  = NULL;
  LILV_FOREACH(uis, i, uis)
  {
    if (lilv_ui_is_a(lilv_uis_get(uis, i), x11)) {
      found = lilv_uis_get(uis, i);
    }
  }
  if (!found) {
    die("the plugin's bundle", "declares no X11 UI");
  }
  char* binary = lilv_file_uri_parse(lilv_node_as_uri(lilv_ui_get_binary_uri(found)), NULL);
  char* bundle = lilv_file_uri_parse(lilv_node_as_uri(lilv_ui_get_bundle_uri(found)), NULL);
  h->lib       = dlopen(binary, RTLD_NOW | RTLD_LOCAL);
  if (!h->lib) {
    die(binary, dlerror());
  }
  LV2UI_DescriptorFunction get = NULL;
  void*                    sym = dlsym(h->lib, "lv2ui_descriptor");
  memcpy(&get, &sym, sizeof(get));  // POSIX: a symbol's address is the function's
  h->desc = get ? get(0) : NULL;
  if (!h->desc || strcmp(h->desc->URI, lilv_node_as_uri(lilv_ui_get_uri(found)))) {
    die(binary, "no lv2ui_descriptor for the UI the bundle declares");
  }
  static LV2UI_Resize resize;
  resize                        = (LV2UI_Resize){h, ui_resize};
  const LV2_Feature  f_map      = {LV2_URID__map, sh_world_map(h->world)};
  const LV2_Feature  f_parent   = {LV2_UI__parent, (void*)(uintptr_t)h->parent};
  const LV2_Feature  f_resize   = {LV2_UI__resize, &resize};
  const LV2_Feature  f_idle     = {LV2_UI__idleInterface, NULL};
  const LV2_Feature* features[] = {&f_map, &f_parent, &f_resize, &f_idle, NULL};
  LV2UI_Widget       widget     = NULL;
  h->ui = h->desc->instantiate(h->desc, STRATA_URI, bundle, ui_write, h, &widget, features);
  if (!h->ui) {
    die("the UI", "instantiate failed");
  }
  h->widget = (Window)(uintptr_t)widget;
  h->idle   = h->desc->extension_data(LV2_UI__idleInterface);
  if (!h->idle) {
    die("the UI", "offers no idle interface");
  }
  lilv_free(binary);
  lilv_free(bundle);
  lilv_uis_free(uis);
  lilv_node_free(x11);
}

UhHost*
uh_open(const char* preset, int width, int height)
{
  UhHost* h = calloc(1, sizeof(UhHost));
  char    why[256];
  h->world = sh_world_new(NULL, why, sizeof(why));
  if (!h->world) {
    die("plugin", why);
  }
  h->plugin = sh_host_new(h->world, &(ShConfig){.max_block = UH_BLOCK}, why, sizeof(why));
  if (!h->plugin) {
    die("plugin", why);
  }
  if (preset) {
    char* uri = sh_preset_find(h->world, preset);
    if (!uri || !sh_host_load_preset(h->plugin, uri, why, sizeof(why))) {
      die(preset, uri ? why : "no such preset");
    }
    free(uri);
  }
  h->event_transfer = sh_urid(h->world, LV2_ATOM__eventTransfer);
  h->atom_Object    = sh_urid(h->world, LV2_ATOM__Object);
  h->atom_Int       = sh_urid(h->world, LV2_ATOM__Int);
  h->seq_key        = sh_urid(h->world, LV2_PATCH__sequenceNumber);
  h->next_seq       = 1 << 30;  // Apart from the UI's numbers
  snprintf(h->trace_path, sizeof(h->trace_path), "%s/strata-ui-trace-%d.txt",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
  unlink(h->trace_path);
  setenv("STRATA_UI_TRACE", h->trace_path, 1);
  h->dpy = XOpenDisplay(NULL);
  if (!h->dpy) {
    die("display", "cannot open it");
  }
  h->parent = XCreateSimpleWindow(h->dpy, DefaultRootWindow(h->dpy), 0, 0, (unsigned)width,
                                  (unsigned)height, 0, 0, 0);
  XMapRaised(h->dpy, h->parent);
  XSync(h->dpy, False);
  load_ui(h);
  XResizeWindow(h->dpy, h->widget, (unsigned)width, (unsigned)height);
  XResizeWindow(h->dpy, h->parent, (unsigned)width, (unsigned)height);
  XSync(h->dpy, False);
  uh_settle(h, 400);
  return h;
}

void
uh_close(UhHost* h)
{
  h->desc->cleanup(h->ui);
  XDestroyWindow(h->dpy, h->parent);
  XCloseDisplay(h->dpy);
  sh_host_free(h->plugin);
  sh_world_free(h->world);
  unlink(h->trace_path);
  free(h);
}

ShHost*
uh_plugin(UhHost* h)
{
  return h->plugin;
}

Display*
uh_display(UhHost* h)
{
  return h->dpy;
}

void*
uh_ui_handle(UhHost* h)
{
  return h->ui;
}

/* --- The loop --- */

static void
deliver_notify(UhHost* h)
{
  const LV2_Atom_Sequence* seq = sh_host_notify(h->plugin);
  LV2_ATOM_SEQUENCE_FOREACH (seq, ev) {
    h->desc->port_event(h->ui, 5, (uint32_t)sizeof(LV2_Atom) + ev->body.size, h->event_transfer,
                        &ev->body);
  }
  for (uint32_t k = 0; k < ST_PLUGIN_MACROS; ++k) {  // Host automation reaches the UI
    float value = sh_host_control(h->plugin, 6 + k);
    if (value != h->macros_shown[k]) {
      h->macros_shown[k] = value;
      h->desc->port_event(h->ui, 6 + k, sizeof(float), 0, &value);
    }
  }
}

static void
pause_ms(long ms)
{
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

static double
thread_cpu(void)
{
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

void
uh_run(UhHost* h, int blocks, float* out_l, float* out_r)
{
  for (int b = 0; b < blocks; ++b) {
    float* outs[2] = {out_l ? out_l + b * UH_BLOCK : NULL, out_r ? out_r + b * UH_BLOCK : NULL};
    sh_host_run(h->plugin, UH_BLOCK, NULL, outs);
    const double t0 = thread_cpu();
    deliver_notify(h);
    h->idle->idle(h->ui);
    h->ui_cpu += thread_cpu() - t0;
  }
}

void
uh_run_plugin(UhHost* h, int blocks)
{
  for (int b = 0; b < blocks; ++b) {
    sh_host_run(h->plugin, UH_BLOCK, NULL, NULL);
    const double t0 = thread_cpu();
    deliver_notify(h);
    h->ui_cpu += thread_cpu() - t0;
  }
}

double
uh_ui_cpu_seconds(const UhHost* h)
{
  return h->ui_cpu;
}

static bool
all_answered(UhHost* h)
{
  for (uint32_t i = 0; i < h->n_sent; ++i) {
    if (h->sent[i] >= 0 && !sh_host_reply(h->plugin, h->sent[i])) {
      return false;
    }
  }
  return true;
}

bool
uh_settle(UhHost* h, int max_blocks)
{
  XSync(h->dpy, False);
  for (int b = 0; b < max_blocks; ++b) {
    pause_ms(2);
    uh_run(h, 1, NULL, NULL);
    if (all_answered(h) && b >= 4) {
      // Let the UI draw what the answers changed (at most 30 frames a
      // second); a keep-alive it sends meanwhile is waited for too.
      for (int k = 0; k < 3; ++k) {
        pause_ms(40);
        uh_run(h, 1, NULL, NULL);
      }
      if (all_answered(h)) {
        return true;
      }
    }
  }
  return false;
}

uint32_t
uh_sent_count(const UhHost* h)
{
  return h->n_sent;
}

const char*
uh_sent_what(const UhHost* h, uint32_t i)
{
  return i < h->n_sent ? h->sent_what[i] : "";
}

int32_t
uh_sent_seq(const UhHost* h, uint32_t i)
{
  return i < h->n_sent ? h->sent[i] : -1;
}

const ShReply*
uh_reply(UhHost* h, int32_t seq)
{
  return sh_host_reply(h->plugin, seq);
}

char*
uh_get_patch(UhHost* h)
{
  const int32_t seq = h->next_seq++;
  sh_host_patch_get(h->plugin, 0, seq);
  for (int b = 0; b < 100; ++b) {
    uh_run(h, 1, NULL, NULL);
    const ShReply* r = sh_host_reply(h->plugin, seq);
    if (r) {
      return r->patch ? strdup(r->patch) : NULL;
    }
  }
  return NULL;
}

/* --- What the UI shows --- */

/* The last complete frame of the trace, malloc'd. */
static char*
last_frame(UhHost* h)
{
  FILE* f = fopen(h->trace_path, "r");
  if (!f) {
    return NULL;
  }
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char*  all = malloc((size_t)size + 1);
  size_t n   = fread(all, 1, (size_t)size, f);
  fclose(f);
  all[n]    = '\0';
  char* end = NULL;
  for (char* p = strstr(all, "\nend\n"); p; p = strstr(p + 1, "\nend\n")) {
    end = p;
  }
  if (!end) {
    free(all);
    return NULL;
  }
  end[1]      = '\0';
  char* start = all;
  for (char* p = strstr(all, "frame "); p && p < end; p = strstr(p + 1, "\nframe ")) {
    start = p[0] == '\n' ? p + 1 : p;
  }
  char* frame = strdup(start);
  free(all);
  return frame;
}

bool
uh_line(UhHost* h, const char* what, char* rest, size_t size)
{
  char* frame = last_frame(h);
  bool  found = false;
  for (char* line = frame ? strtok(frame, "\n") : NULL; line && !found;
       line       = strtok(NULL, "\n")) {
    size_t n = strlen(what);
    if (!strncmp(line, what, n) && line[n] == ' ') {
      snprintf(rest, size, "%s", line + n + 1);
      found = true;
    }
  }
  free(frame);
  return found;
}

bool
uh_find(UhHost* h, const char* what, const char* name, int r[4])
{
  char* frame = last_frame(h);
  bool  found = false;
  for (char* line = frame ? strtok(frame, "\n") : NULL; line && !found;
       line       = strtok(NULL, "\n")) {
    char w[32], n[96];
    int  v[4] = {0, 0, 0, 0};
    int  got  = sscanf(line, "%31s %95s %d %d %d %d", w, n, &v[0], &v[1], &v[2], &v[3]);
    if (got >= 4 && !strcmp(w, what) && !strcmp(n, name)) {
      memcpy(r, v, sizeof(v));
      found = true;
    }
  }
  free(frame);
  return found;
}

/* --- XTest --- */

static void
input_done(UhHost* h)
{
  XSync(h->dpy, False);
  for (int k = 0; k < 4; ++k) {
    pause_ms(3);
    uh_run(h, 1, NULL, NULL);
  }
}

static void
move_to(UhHost* h, int x, int y)
{
  XTestFakeMotionEvent(h->dpy, -1, x, y, CurrentTime);
  input_done(h);
}

void
uh_click(UhHost* h, int x, int y, unsigned button)
{
  move_to(h, x, y);
  XTestFakeButtonEvent(h->dpy, button, True, CurrentTime);
  XTestFakeButtonEvent(h->dpy, button, False, CurrentTime);
  input_done(h);
}

void
uh_double_click(UhHost* h, int x, int y)
{
  move_to(h, x, y);
  for (int k = 0; k < 2; ++k) {
    XTestFakeButtonEvent(h->dpy, 1, True, CurrentTime);
    XTestFakeButtonEvent(h->dpy, 1, False, CurrentTime);
  }
  input_done(h);
}

static void
modifier(UhHost* h, const char* name, bool down)
{
  XTestFakeKeyEvent(h->dpy, XKeysymToKeycode(h->dpy, XStringToKeysym(name)), down, CurrentTime);
}

void
uh_drag(UhHost* h, int x0, int y0, int x1, int y1, bool shift)
{
  move_to(h, x0, y0);
  XTestFakeButtonEvent(h->dpy, 1, True, CurrentTime);
  input_done(h);
  if (shift) {
    modifier(h, "Shift_L", true);
  }
  for (int k = 1; k <= 8; ++k) {
    move_to(h, x0 + (x1 - x0) * k / 8, y0 + (y1 - y0) * k / 8);
  }
  XTestFakeButtonEvent(h->dpy, 1, False, CurrentTime);
  if (shift) {
    modifier(h, "Shift_L", false);
  }
  input_done(h);
}

static void
press_keysym(UhHost* h, KeySym sym, bool ctrl)
{
  KeyCode code  = XKeysymToKeycode(h->dpy, sym);
  bool    shift = XkbKeycodeToKeysym(h->dpy, code, 0, 0) != sym;
  if (ctrl) {
    modifier(h, "Control_L", true);
  }
  if (shift) {
    modifier(h, "Shift_L", true);
  }
  XTestFakeKeyEvent(h->dpy, code, True, CurrentTime);
  XTestFakeKeyEvent(h->dpy, code, False, CurrentTime);
  if (shift) {
    modifier(h, "Shift_L", false);
  }
  if (ctrl) {
    modifier(h, "Control_L", false);
  }
}

void
uh_key(UhHost* h, const char* keysym_name, bool ctrl)
{
  press_keysym(h, XStringToKeysym(keysym_name), ctrl);
  input_done(h);
}

void
uh_type(UhHost* h, const char* text)
{
  for (const char* c = text; *c; ++c) {
    KeySym sym = *c == '\n' ? XK_Return : *c == ' ' ? XK_space : (KeySym)(unsigned char)*c;
    press_keysym(h, sym, false);
    XSync(h->dpy, False);
  }
  input_done(h);
}

double
uh_cpu_seconds(void)
{
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (double)u.ru_utime.tv_sec + u.ru_utime.tv_usec * 1e-6 + (double)u.ru_stime.tv_sec +
         u.ru_stime.tv_usec * 1e-6;
}

bool
uh_screenshot(UhHost* h, const char* path)
{
  XWindowAttributes a;
  XGetWindowAttributes(h->dpy, h->widget, &a);
  cairo_surface_t* win =
    cairo_xlib_surface_create(h->dpy, h->widget, a.visual, a.width, a.height);
  cairo_surface_t* img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, a.width, a.height);
  cairo_t*         cr  = cairo_create(img);
  cairo_set_source_surface(cr, win, 0, 0);
  cairo_paint(cr);
  cairo_destroy(cr);
  bool ok = cairo_surface_write_to_png(img, path) == CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy(img);
  cairo_surface_destroy(win);
  return ok;
}

void
uh_idle(UhHost* h)
{
  const double t0 = thread_cpu();
  h->idle->idle(h->ui);
  h->ui_cpu += thread_cpu() - t0;
}

void
uh_resize(UhHost* h, int width, int height)
{
  XResizeWindow(h->dpy, h->parent, (unsigned)width, (unsigned)height);
  XResizeWindow(h->dpy, h->widget, (unsigned)width, (unsigned)height);
  XSync(h->dpy, False);
  uh_settle(h, 50);
}

void
uh_set_shown(UhHost* h, bool shown)
{
  if (shown) {
    XMapRaised(h->dpy, h->parent);
  } else {
    XUnmapWindow(h->dpy, h->parent);
  }
  XSync(h->dpy, False);
  uh_run(h, 4, NULL, NULL);
}

void
uh_press_drag(UhHost* h, int x, int y, int moves)
{
  move_to(h, x, y);
  XTestFakeButtonEvent(h->dpy, 1, True, CurrentTime);
  input_done(h);
  for (int k = 0; k < moves; ++k) {
    XTestFakeMotionEvent(h->dpy, -1, x + 1 + (k % 200), y, CurrentTime);
    XSync(h->dpy, False);
    uh_run(h, 1, NULL, NULL);
  }
  XTestFakeButtonEvent(h->dpy, 1, False, CurrentTime);
  input_done(h);
}
