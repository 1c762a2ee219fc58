/* SPDX-License-Identifier: ISC */
/* An instance of the plugin: features, ports and run(). */
#include "host_private.h"

#include <lv2/atom/util.h>
#include <lv2/buf-size/buf-size.h>
#include <lv2/core/lv2.h>
#include <lv2/midi/midi.h>
#include <lv2/parameters/parameters.h>
#include <lv2/patch/patch.h>
#include <lv2/resize-port/resize-port.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SH_DEFAULT_MAX_BLOCK 8192u
#define SH_MIN_ATOM_BYTES    8192u
#define SH_WORKER_BYTES      (1u << 20)

/* --- Log --- */

static int
log_vprintf(LV2_Log_Handle handle, LV2_URID type, const char* fmt, va_list ap)
{
  ShHost*   host = handle;
  const int n    = vsnprintf(host->last_log, sizeof(host->last_log), fmt, ap);
  if (type == host->log_Error) {
    ++host->log_errors;
  }
  return n;
}

static int
log_printf(LV2_Log_Handle handle, LV2_URID type, const char* fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  const int n = log_vprintf(handle, type, fmt, ap);
  va_end(ap);
  return n;
}

/* --- Creation --- */

static void
set_features(ShHost* host)
{
  ShWorld*       w     = host->world;
  const LV2_URID Int   = host->u->atom_Int;
  const LV2_URID Float = host->u->atom_Float;
  host->rate           = (float)host->config.rate;
  host->min_block      = (int32_t)host->config.min_block;
  host->max_block      = (int32_t)host->config.max_block;
  host->nominal_block  = host->max_block;
  host->options[0] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0,
                                          sh_urid(w, LV2_PARAMETERS__sampleRate), sizeof(float),
                                          Float, &host->rate};
  host->options[1] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0,
                                          sh_urid(w, LV2_BUF_SIZE__minBlockLength),
                                          sizeof(int32_t), Int, &host->min_block};
  host->options[2] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0,
                                          sh_urid(w, LV2_BUF_SIZE__maxBlockLength),
                                          sizeof(int32_t), Int, &host->max_block};
  host->options[3] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0,
                                          sh_urid(w, LV2_BUF_SIZE__nominalBlockLength),
                                          sizeof(int32_t), Int, &host->nominal_block};
  host->options[4] = (LV2_Options_Option){LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, NULL};
  host->schedule   = (LV2_Worker_Schedule){host, sh_worker_schedule};
  host->log        = (LV2_Log_Log){host, log_printf, log_vprintf};
  host->f_map      = (LV2_Feature){LV2_URID__map, &w->map};
  host->f_unmap    = (LV2_Feature){LV2_URID__unmap, &w->unmap};
  host->f_schedule = (LV2_Feature){LV2_WORKER__schedule, &host->schedule};
  host->f_options  = (LV2_Feature){LV2_OPTIONS__options, host->options};
  host->f_log      = (LV2_Feature){LV2_LOG__log, &host->log};
  host->f_bounded  = (LV2_Feature){LV2_BUF_SIZE__boundedBlockLength, NULL};
  uint32_t n = 0;
  host->features[n++] = &host->f_map;
  host->features[n++] = &host->f_unmap;
  host->features[n++] = &host->f_log;
  if (!host->config.no_options) {
    host->features[n++] = &host->f_options;
    host->features[n++] = &host->f_bounded;
  }
  if (!host->config.no_worker) {
    host->features[n++] = &host->f_schedule;
  }
  if (host->config.extra_feature) {
    host->features[n++] = host->config.extra_feature;
  }
  host->features[n] = NULL;
}

/* The largest rsz:minimumSize of the plugin's atom ports, or 0. */
static uint32_t
atom_minimum_size(const ShWorld* w)
{
  LilvNode* min_size = lilv_new_uri(w->lilv, LV2_RESIZE_PORT__minimumSize);
  uint32_t  most     = 0;
  for (uint32_t i = 0; i < lilv_plugin_get_num_ports(w->plugin); ++i) {
    const LilvPort* port  = lilv_plugin_get_port_by_index(w->plugin, i);
    LilvNodes*      sizes = lilv_port_get_value(w->plugin, port, min_size);
    LILV_FOREACH (nodes, s, sizes) {
      const int v = lilv_node_as_int(lilv_nodes_get(sizes, s));
      most        = v > 0 && (uint32_t)v > most ? (uint32_t)v : most;
    }
    lilv_nodes_free(sizes);
  }
  lilv_node_free(min_size);
  return most;
}

static void
fill_defaults(ShConfig* c, const ShWorld* w)
{
  c->rate      = c->rate == 0.0 ? 48000.0 : c->rate; // NaN and negatives as given
  c->max_block = c->max_block ? c->max_block : SH_DEFAULT_MAX_BLOCK;
  c->min_block = c->min_block ? c->min_block : 1;
  c->min_block = c->min_block < c->max_block ? c->min_block : c->max_block;
  if (!c->atom_capacity) {
    const uint32_t wanted = atom_minimum_size(w);
    c->atom_capacity      = wanted > SH_MIN_ATOM_BYTES ? wanted : SH_MIN_ATOM_BYTES;
  }
  c->atom_capacity = (c->atom_capacity + 7u) & ~7u;
  c->atom_capacity = c->atom_capacity > 64u ? c->atom_capacity : 64u;
  // Any notify capacity a test asks for, down to a bare header (room for nothing).
  c->notify_capacity = c->notify_capacity ? c->notify_capacity : c->atom_capacity;
  c->notify_capacity = (c->notify_capacity + 7u) & ~7u;
  c->notify_capacity = c->notify_capacity > sizeof(LV2_Atom) ? c->notify_capacity
                                                             : (uint32_t)sizeof(LV2_Atom);
  c->worker_capacity = c->worker_capacity ? c->worker_capacity : SH_WORKER_BYTES;
}

static void*
buffer(size_t bytes, bool* ok)
{
  void* p = calloc(1, bytes ? bytes : 1);
  *ok     = *ok && p;
  return p;
}

/* Allocates and connects every port: audio, atom (the first atom input is
   the control sequence, the first atom output the notify sequence), control. */
static bool
connect_ports(ShHost* host, char* why, size_t why_size)
{
  ShWorld*          w      = host->world;
  const LilvPlugin* plugin = w->plugin;
  LilvNode* audio  = lilv_new_uri(w->lilv, LV2_CORE__AudioPort);
  LilvNode* atom   = lilv_new_uri(w->lilv, LV2_ATOM__AtomPort);
  LilvNode* input  = lilv_new_uri(w->lilv, LV2_CORE__InputPort);
  LilvNode* cntrl  = lilv_new_uri(w->lilv, LV2_CORE__ControlPort);
  LilvNode* opt    = lilv_new_uri(w->lilv, LV2_CORE__connectionOptional);
  const uint32_t frames = host->config.max_block;
  const uint32_t bytes  = host->config.atom_capacity;
  bool      ok     = true;
  host->n_ports       = lilv_plugin_get_num_ports(plugin);
  host->controls      = buffer(host->n_ports * sizeof(float), &ok);
  host->is_control_in = buffer(host->n_ports * sizeof(bool), &ok);
  float* defaults     = buffer(host->n_ports * sizeof(float), &ok);
  if (ok) {
    lilv_plugin_get_port_ranges_float(plugin, NULL, NULL, defaults);
  }
  for (uint32_t i = 0; ok && i < host->n_ports; ++i) {
    const LilvPort* port     = lilv_plugin_get_port_by_index(plugin, i);
    const bool      is_input = lilv_port_is_a(plugin, port, input);
    void*           data     = NULL;
    if (lilv_port_is_a(plugin, port, audio)) {
      uint32_t* n = is_input ? &host->n_in : &host->n_out;
      float**   b = is_input ? host->in : host->out;
      if (*n == SH_MAX_AUDIO) {
        snprintf(why, why_size, "the plugin has more than %d audio %s", SH_MAX_AUDIO,
                 is_input ? "inputs" : "outputs");
        ok = false;
        break;
      }
      if (!is_input) {
        host->out_port[*n] = i;
      }
      data = b[(*n)++] = buffer(frames * sizeof(float), &ok);
    } else if (lilv_port_is_a(plugin, port, atom) && is_input && !host->control) {
      data = host->control = buffer(bytes, &ok);
    } else if (lilv_port_is_a(plugin, port, atom) && !is_input && !host->notify) {
      data = host->notify = buffer(host->config.notify_capacity, &ok);
    } else if (lilv_port_is_a(plugin, port, cntrl)) {
      host->controls[i]      = isnan(defaults[i]) ? 0.0f : defaults[i];
      host->is_control_in[i] = is_input;
      data                   = &host->controls[i];
    } else if (!lilv_port_has_property(plugin, port, opt)) {
      snprintf(why, why_size, "port %u (%s) is of a kind this host does not support", i,
               lilv_node_as_string(lilv_port_get_symbol(plugin, port)));
      ok = false;
      break;
    }
    lilv_instance_connect_port(host->instance, i, data);
  }
  if (!ok && !why[0]) {
    snprintf(why, why_size, "out of memory");
  }
  free(defaults);
  lilv_node_free(audio);
  lilv_node_free(atom);
  lilv_node_free(input);
  lilv_node_free(cntrl);
  lilv_node_free(opt);
  return ok;
}

/* The plugin's own binary through lilv, or the descriptor linked in. */
static LilvInstance*
instantiate(ShHost* host)
{
  const ShWorld*        w    = host->world;
  const LV2_Descriptor* desc = host->config.descriptor;
  if (!desc) {
    return lilv_plugin_instantiate(w->plugin, host->config.rate, host->features);
  }
  char* bundle = lilv_file_uri_parse(lilv_node_as_uri(lilv_plugin_get_bundle_uri(w->plugin)), NULL);
  host->linked = (LilvInstance){desc, NULL, NULL};
  host->linked.lv2_handle =
    desc->instantiate(desc, host->config.rate, bundle ? bundle : "", host->features);
  lilv_free(bundle);
  return host->linked.lv2_handle ? &host->linked : NULL;
}

ShHost*
sh_host_new(ShWorld* world, const ShConfig* config, char* why, size_t why_size)
{
  ShHost* host = calloc(1, sizeof(ShHost));
  if (!host) {
    snprintf(why, why_size, "out of memory");
    return NULL;
  }
  why[0]       = '\0';
  host->world  = world;
  host->u      = &world->u;
  host->config = config ? *config : (ShConfig){0};
  host->log_Error = sh_urid(world, LV2_LOG__Error);
  fill_defaults(&host->config, world);
  set_features(host);
  bool ok       = sh_worker_init(host);
  host->pending = buffer(host->config.atom_capacity, &ok);
  host->scratch = buffer(host->config.atom_capacity, &ok);
  if (!ok) {
    snprintf(why, why_size, "out of memory");
    sh_host_free(host);
    return NULL;
  }
  lv2_atom_forge_init(&host->forge, &world->map);
  if (!(host->instance = instantiate(host))) {
    snprintf(why, why_size, "cannot instantiate <%s>%s%s",
             lilv_node_as_uri(lilv_plugin_get_uri(world->plugin)),
             host->last_log[0] ? ": " : "", host->last_log);
    sh_host_free(host);
    return NULL;
  }
  host->iface = sh_host_extension(host, LV2_WORKER__interface);
  if (!connect_ports(host, why, why_size) || !sh_worker_start(host)) {
    if (!why[0]) {
      snprintf(why, why_size, "cannot start the worker thread");
    }
    sh_host_free(host);
    return NULL;
  }
  lilv_instance_activate(host->instance);
  host->active = true;
  return host;
}

void
sh_host_free(ShHost* host)
{
  if (!host) {
    return;
  }
  sh_worker_destroy(host); // Joins the worker thread before the instance goes.
  if (host->instance) {
    if (host->active) {
      lilv_instance_deactivate(host->instance);
    }
    if (host->instance == &host->linked) {
      host->linked.lv2_descriptor->cleanup(host->linked.lv2_handle);
    } else {
      lilv_instance_free(host->instance);
    }
  }
  sh_host_clear_replies(host);
  for (uint32_t c = 0; c < SH_MAX_AUDIO; ++c) {
    free(host->in[c]);
    free(host->out[c]);
  }
  free(host->controls);
  free(host->is_control_in);
  free(host->control);
  free(host->notify);
  free(host->pending);
  free(host->scratch);
  free(host);
}

void
sh_host_unplug_output(ShHost* host, uint32_t channel, bool unplugged)
{
  if (channel < host->n_out) {
    host->out_unplugged[channel] = unplugged;
    lilv_instance_connect_port(host->instance, host->out_port[channel],
                               unplugged ? NULL : host->out[channel]);
  }
}

uint32_t
sh_host_audio_outputs(const ShHost* host)
{
  return host->n_out;
}

LV2_Handle
sh_host_handle(const ShHost* host)
{
  return lilv_instance_get_handle(host->instance);
}

const void*
sh_host_extension(const ShHost* host, const char* uri)
{
  return lilv_instance_get_extension_data(host->instance, uri);
}

const char*
sh_host_last_log(const ShHost* host)
{
  return host->last_log;
}

void
sh_host_set_rt_hook(ShHost* host, ShRtHook hook)
{
  host->rt_hook = hook;
}

void
sh_host_rt(const ShHost* host, bool entering)
{
  if (host->rt_hook) {
    host->rt_hook(entering);
  }
}

/* --- Controls --- */

int32_t
sh_host_control_index(const ShHost* host, const char* symbol)
{
  const LilvPlugin* plugin = host->world->plugin;
  LilvNode*         sym    = lilv_new_string(host->world->lilv, symbol);
  const LilvPort*   port   = lilv_plugin_get_port_by_symbol(plugin, sym);
  lilv_node_free(sym);
  if (!port) {
    return -1;
  }
  const uint32_t index = lilv_port_get_index(plugin, port);
  return host->is_control_in[index] ? (int32_t)index : -1;
}

void
sh_host_set_control(ShHost* host, uint32_t port, float value)
{
  if (port < host->n_ports && host->is_control_in[port]) {
    host->controls[port] = value;
  }
}

float
sh_host_control(const ShHost* host, uint32_t port)
{
  return port < host->n_ports ? host->controls[port] : 0.0f;
}

/* --- run() --- */

static void
prepare_sequences(ShHost* host)
{
  LV2_Atom_Sequence* control = (LV2_Atom_Sequence*)host->control;
  if (control) {
    control->atom.type = host->u->atom_Sequence;
    control->atom.size = (uint32_t)sizeof(LV2_Atom_Sequence_Body) + host->pending_used;
    control->body.unit = 0;
    control->body.pad  = 0;
    memcpy(control + 1, host->pending, host->pending_used);
  }
  host->pending_used = 0;
  LV2_Atom_Sequence* notify = (LV2_Atom_Sequence*)host->notify;
  if (notify) {
    notify->atom.type = 0; // The plugin writes a sequence of at most this size.
    notify->atom.size = host->config.notify_capacity - (uint32_t)sizeof(LV2_Atom);
  }
}

static void
read_notify(ShHost* host)
{
  host->notify_ok = !host->notify ||
                    sh_replies_read(host->u, (const LV2_Atom_Sequence*)host->notify,
                                    host->config.notify_capacity, &host->replies,
                                    &host->n_replies);
}

void
sh_host_run(ShHost* host, uint32_t frames, const float* const* in, float* const* out)
{
  frames = frames < host->config.max_block ? frames : host->config.max_block;
  for (uint32_t c = 0; c < host->n_in; ++c) {
    if (in && in[c]) {
      memcpy(host->in[c], in[c], frames * sizeof(float));
    } else {
      memset(host->in[c], 0, frames * sizeof(float));
    }
  }
  prepare_sequences(host);
  sh_host_rt(host, true);
  lilv_instance_run(host->instance, frames);
  sh_host_rt(host, false);
  for (uint32_t c = 0; out && c < host->n_out; ++c) {
    if (out[c] && host->out_unplugged[c]) {
      memset(out[c], 0, frames * sizeof(float));  // Nothing was written for it.
    } else if (out[c]) {
      memcpy(out[c], host->out[c], frames * sizeof(float));
    }
  }
  read_notify(host);
  sh_host_work(host);
  sh_worker_deliver(host);
}

const ShReply*
sh_host_await(ShHost* host, int32_t seq, uint32_t block, uint32_t max_runs)
{
  block = block ? block : 1;
  for (uint32_t i = 0; i < max_runs; ++i) {
    const ShReply* reply = sh_host_reply(host, seq);
    if (reply) {
      return reply;
    }
    sh_host_run(host, block, NULL, NULL);
  }
  return sh_host_reply(host, seq);
}
