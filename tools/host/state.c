/* SPDX-License-Identifier: ISC */
/* State: saving an instance's state and restoring one (a preset's too),
   port values included. */
#include "host_private.h"

#include <lv2/state/state.h>

#include <stdio.h>
#include <string.h>

static const void*
get_port_value(const char* symbol, void* user_data, uint32_t* size, uint32_t* type)
{
  ShHost*       host  = user_data;
  const int32_t index = sh_host_control_index(host, symbol);
  if (index < 0) {
    *size = 0;
    *type = 0;
    return NULL;
  }
  *size = sizeof(float);
  *type = host->u->atom_Float;
  return &host->controls[index];
}

static void
set_port_value(const char* symbol, void* user_data, const void* value, uint32_t size,
               uint32_t type)
{
  ShHost*       host  = user_data;
  const int32_t index = sh_host_control_index(host, symbol);
  if (index < 0) {
    return;
  }
  float v = 0.0f;
  if (type == host->u->atom_Float && size == sizeof(float)) {
    memcpy(&v, value, sizeof(v));
  } else if (type == host->u->atom_Int && size == sizeof(int32_t)) {
    int32_t i = 0;
    memcpy(&i, value, sizeof(i));
    v = (float)i;
  } else {
    return;
  }
  sh_host_set_control(host, (uint32_t)index, v);
}

LilvState*
sh_host_save(ShHost* host)
{
  return lilv_state_new_from_instance(host->world->plugin, host->instance, &host->world->map,
                                      NULL, NULL, NULL, NULL, get_port_value, host,
                                      LV2_STATE_IS_POD | LV2_STATE_IS_PORTABLE, host->features);
}

const LV2_Feature* const*
sh_host_restore_features(ShHost* host, bool through_worker)
{
  uint32_t n                  = 0;
  host->restore_features[n++] = &host->f_map;
  host->restore_features[n++] = &host->f_log;
  if (through_worker) {
    host->restore_features[n++] = &host->f_schedule;
  }
  host->restore_features[n] = NULL;
  return host->restore_features;
}

bool
sh_host_restore(ShHost* host, const LilvState* state, bool through_worker)
{
  const uint32_t errors = host->log_errors;
  lilv_state_restore(state, host->instance, set_port_value, host, 0,
                     sh_host_restore_features(host, through_worker));
  if (through_worker) {
    sh_host_work(host);
  }
  return host->log_errors == errors;
}

uint32_t
sh_host_restore_undelivered(ShHost* host, const LilvState* state)
{
  lilv_state_restore(state, host->instance, set_port_value, host, 0,
                     sh_host_restore_features(host, true));
  return sh_worker_drop(host);
}

bool
sh_host_load_preset(ShHost* host, const char* uri, char* why, size_t why_size)
{
  LilvState* state = sh_preset_state(host->world, uri);
  if (!state) {
    snprintf(why, why_size, "preset <%s> not found or unreadable", uri);
    return false;
  }
  const bool ok = sh_host_restore(host, state, !host->config.no_worker);
  lilv_state_free(state);
  if (!ok) {
    snprintf(why, why_size, "the plugin refused preset <%s>: %s", uri, host->last_log);
    // Drop the log's trailing newline from the message.
    const size_t len = strlen(why);
    if (len && why[len - 1] == '\n') {
      why[len - 1] = '\0';
    }
  }
  return ok;
}
