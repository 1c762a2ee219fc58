/* SPDX-License-Identifier: ISC */
#include "fuzz_host.h"

#include "strata_host.h"

#include <lv2/state/state.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const LV2_Descriptor* lv2_descriptor(uint32_t index);

static ShWorld* world;
static ShHost*  host;

static void
release(void)
{
  sh_host_free(host);
  sh_world_free(world);
}

static ShHost*
the_host(void)
{
  if (!host) {
    char           why[512];
    const ShConfig config = {
      .max_block     = FH_BLOCK,
      .atom_capacity = FH_ATOM_BYTES,
      .no_options    = true,
      .descriptor    = lv2_descriptor(0),
    };
    if (!(world = sh_world_new(NULL, why, sizeof(why))) ||
        !(host = sh_host_new(world, &config, why, sizeof(why)))) {
      fprintf(stderr, "%s\n", why);
      abort();
    }
    atexit(release);
  }
  return host;
}

LV2_Handle
fh_instance(void)
{
  return sh_host_handle(the_host());
}

LV2_URID
fh_urid(const char* uri)
{
  the_host();
  return sh_urid(world, uri);
}

LV2_URID_Map*
fh_map(void)
{
  the_host();
  return sh_world_map(world);
}

static void
block(const void* body, uint32_t size)
{
  float  out[2][FH_BLOCK];
  float* outs[2] = {out[0], out[1]};
  sh_host_send_raw(host, body, size);
  sh_host_run(host, FH_BLOCK, NULL, outs);
  for (uint32_t c = 0; c < 2; ++c) {
    for (uint32_t i = 0; i < FH_BLOCK; ++i) {
      if (!isfinite(out[c][i])) {
        abort();
      }
    }
  }
  if (!sh_host_notify_ok(host)) {
    abort();
  }
  sh_host_clear_replies(host);
}

void
fh_run(const void* body, uint32_t size)
{
  the_host();
  block(body, size);
  block(NULL, 0);  // Replies of the worker go out; commands are applied.
}

typedef struct {
  uint32_t    key;
  uint32_t    type;
  uint32_t    flags;
  const void* value;
  size_t      size;
} Property;

static const void*
retrieve(LV2_State_Handle h, uint32_t key, size_t* size, uint32_t* type, uint32_t* flags)
{
  const Property* p = h;
  if (key != p->key) {
    return NULL;
  }
  *size  = p->size;
  *type  = p->type;
  *flags = p->flags;
  return p->value;
}

int
fh_restore(uint32_t key, uint32_t type, uint32_t flags, const void* value, size_t size,
           bool with_worker)
{
  the_host();
  const LV2_State_Interface* state = sh_host_extension(host, LV2_STATE__interface);
  Property                   p     = {key, type, flags, value, size};
  const int                  st    = (int)state->restore(sh_host_handle(host), retrieve, &p, 0,
                                                         sh_host_restore_features(host, with_worker));
  sh_host_work(host);  // The swap, through the worker
  block(NULL, 0);
  block(NULL, 0);
  return st;
}

static LV2_State_Status
store(LV2_State_Handle h, uint32_t key, const void* value, size_t size, uint32_t type,
      uint32_t flags)
{
  (void)h;
  (void)flags;
  if (key != fh_urid(STRATA__patch) || type != fh_urid(LV2_ATOM__String) || !size ||
      ((const char*)value)[size - 1] != '\0' || strlen(value) != size - 1) {
    abort();
  }
  return LV2_STATE_SUCCESS;
}

void
fh_save(void)
{
  the_host();
  const LV2_State_Interface* state = sh_host_extension(host, LV2_STATE__interface);
  if (state->save(sh_host_handle(host), store, NULL, 0,
                  sh_host_restore_features(host, false)) != LV2_STATE_SUCCESS) {
    abort();
  }
}
