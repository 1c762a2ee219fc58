#include "fuzz_host.h"

#include <lv2/atom/atom.h>
#include <lv2/atom/util.h>
#include <lv2/log/log.h>
#include <lv2/state/state.h>
#include <lv2/worker/worker.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const LV2_Descriptor* lv2_descriptor(uint32_t index);

#define FH_MAX_URIS  4096
#define FH_QUEUE     (1u << 20)

static char*    uris[FH_MAX_URIS];
static uint32_t n_uris;

static LV2_URID
map_uri(LV2_URID_Map_Handle handle, const char* uri)
{
  (void)handle;
  for (uint32_t i = 0; i < n_uris; ++i) {
    if (!strcmp(uris[i], uri)) {
      return i + 1;
    }
  }
  if (n_uris == FH_MAX_URIS) {
    return 0;
  }
  uris[n_uris] = strdup(uri);
  return ++n_uris;
}

static const char*
unmap_uri(LV2_URID_Unmap_Handle handle, LV2_URID urid)
{
  (void)handle;
  return urid >= 1 && urid <= n_uris ? uris[urid - 1] : NULL;
}

LV2_URID
fh_urid(const char* uri)
{
  return map_uri(NULL, uri);
}

/* A queue of size-prefixed records, allocated once. */
typedef struct {
  uint8_t* data;
  uint32_t used;
} Queue;

static bool
queue_push(Queue* q, uint32_t size, const void* data)
{
  const uint32_t record = 8u + ((size + 7u) & ~7u);
  if (size > FH_QUEUE / 4 || record > FH_QUEUE - q->used) {
    return false;
  }
  memcpy(q->data + q->used, &size, sizeof(size));
  memcpy(q->data + q->used + 8u, data, size);
  q->used += record;
  return true;
}

static const LV2_Descriptor*       desc;
static LV2_Handle                  handle;
static const LV2_Worker_Interface* worker;
static const LV2_State_Interface*  state;
static Queue                       requests;
static Queue                       responses;
static float                       in[2][FH_BLOCK];
static float                       out[2][FH_BLOCK];
static float                       macros[16];
static uint64_t                    control[FH_ATOM_BYTES / 8];
static uint64_t                    notify[FH_ATOM_BYTES / 8];
static char                        last_log[512];

static LV2_Worker_Status
schedule_work(LV2_Worker_Schedule_Handle h, uint32_t size, const void* data)
{
  (void)h;
  return queue_push(&requests, size, data) ? LV2_WORKER_SUCCESS : LV2_WORKER_ERR_NO_SPACE;
}

static LV2_Worker_Status
respond(LV2_Worker_Respond_Handle h, uint32_t size, const void* data)
{
  (void)h;
  return queue_push(&responses, size, data) ? LV2_WORKER_SUCCESS : LV2_WORKER_ERR_NO_SPACE;
}

static int
log_vprintf(LV2_Log_Handle h, LV2_URID type, const char* fmt, va_list ap)
{
  (void)h;
  (void)type;
  return vsnprintf(last_log, sizeof(last_log), fmt, ap);
}

static int
log_printf(LV2_Log_Handle h, LV2_URID type, const char* fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  const int n = log_vprintf(h, type, fmt, ap);
  va_end(ap);
  return n;
}

static LV2_URID_Map        the_map   = {NULL, map_uri};
static LV2_URID_Unmap      the_unmap = {NULL, unmap_uri};
static LV2_Worker_Schedule schedule  = {NULL, schedule_work};
static LV2_Log_Log         the_log   = {NULL, log_printf, log_vprintf};
static const LV2_Feature   f_map     = {LV2_URID__map, &the_map};
static const LV2_Feature   f_unmap   = {LV2_URID__unmap, &the_unmap};
static const LV2_Feature   f_sched   = {LV2_WORKER__schedule, &schedule};
static const LV2_Feature   f_log     = {LV2_LOG__log, &the_log};

LV2_URID_Map*
fh_map(void)
{
  return &the_map;
}

static void
release(void)
{
  if (handle) {
    desc->cleanup(handle);
  }
  free(requests.data);
  free(responses.data);
  for (uint32_t i = 0; i < n_uris; ++i) {
    free(uris[i]);
  }
}

LV2_Handle
fh_instance(void)
{
  if (!handle) {
    const LV2_Feature* features[] = {&f_map, &f_unmap, &f_sched, &f_log, NULL};
    requests.data                 = malloc(FH_QUEUE);
    responses.data                = malloc(FH_QUEUE);
    desc                          = lv2_descriptor(0);
    handle                        = desc->instantiate(desc, 48000.0, "", features);
    if (!handle) {
      abort();
    }
    worker = desc->extension_data(LV2_WORKER__interface);
    state  = desc->extension_data(LV2_STATE__interface);
    desc->connect_port(handle, 0, in[0]);
    desc->connect_port(handle, 1, in[1]);
    desc->connect_port(handle, 2, out[0]);
    desc->connect_port(handle, 3, out[1]);
    desc->connect_port(handle, 4, control);
    desc->connect_port(handle, 5, notify);
    for (uint32_t m = 0; m < 16; ++m) {
      desc->connect_port(handle, 6 + m, &macros[m]);
    }
    desc->activate(handle);
    atexit(release);
  }
  return handle;
}

static void
drain(Queue* q, bool work)
{
  const uint32_t end = q->used;
  for (uint32_t at = 0; at < end;) {
    uint32_t size = 0;
    memcpy(&size, q->data + at, sizeof(size));
    if (work) {
      worker->work(handle, respond, NULL, size, q->data + at + 8u);
    } else {
      worker->work_response(handle, size, q->data + at + 8u);
    }
    at += 8u + ((size + 7u) & ~7u);
  }
  memmove(q->data, q->data + end, q->used - end);
  q->used -= end;
}

/* The notify port holds a well-formed sequence inside its buffer. */
static void
check_notify(void)
{
  const LV2_Atom_Sequence* seq = (const LV2_Atom_Sequence*)notify;
  if (seq->atom.size > FH_ATOM_BYTES - sizeof(LV2_Atom)) {
    abort();
  }
  LV2_ATOM_SEQUENCE_FOREACH (seq, ev) {
    const uint8_t* end = (const uint8_t*)&seq->body + seq->atom.size;
    if ((const uint8_t*)(ev + 1) + ev->body.size > end) {
      abort();
    }
  }
}

static void
block(const void* body, uint32_t size)
{
  LV2_Atom_Sequence* seq = (LV2_Atom_Sequence*)control;
  if (size > FH_ATOM_BYTES - sizeof(LV2_Atom_Sequence)) {
    size = FH_ATOM_BYTES - sizeof(LV2_Atom_Sequence);
  }
  seq->atom.type = fh_urid(LV2_ATOM__Sequence);
  seq->atom.size = (uint32_t)sizeof(LV2_Atom_Sequence_Body) + size;
  seq->body.unit = 0;
  seq->body.pad  = 0;
  if (size) {
    memcpy(seq + 1, body, size);
  }
  LV2_Atom_Sequence* n = (LV2_Atom_Sequence*)notify;
  n->atom.type         = 0;
  n->atom.size         = FH_ATOM_BYTES - sizeof(LV2_Atom);
  desc->run(handle, FH_BLOCK);
  for (uint32_t c = 0; c < 2; ++c) {
    for (uint32_t i = 0; i < FH_BLOCK; ++i) {
      if (!isfinite(out[c][i])) {
        abort();
      }
    }
  }
  check_notify();
  drain(&requests, true);
  drain(&responses, false);
}

void
fh_run(const void* body, uint32_t size)
{
  fh_instance();
  block(body, size);
  block(NULL, 0); // Replies of the worker go out; commands are applied.
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
  fh_instance();
  Property           p             = {key, type, flags, value, size};
  const LV2_Feature* with[]        = {&f_map, &f_log, &f_sched, NULL};
  const LV2_Feature* without[]     = {&f_map, &f_log, NULL};
  const int          st = (int)state->restore(handle, retrieve, &p, 0, with_worker ? with : without);
  drain(&requests, true); // The swap, through the worker
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
  if (key != fh_urid("urn:strata:modular#patch") || type != fh_urid(LV2_ATOM__String) ||
      !size || ((const char*)value)[size - 1] != '\0' || strlen(value) != size - 1) {
    abort();
  }
  return LV2_STATE_SUCCESS;
}

void
fh_save(void)
{
  fh_instance();
  const LV2_Feature* features[] = {&f_map, NULL};
  if (state->save(handle, store, NULL, 0, features) != LV2_STATE_SUCCESS) {
    abort();
  }
}
