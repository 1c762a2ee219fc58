/* SPDX-License-Identifier: ISC */
#include "reports.h"

#include "flatten.h"

#include "uris.h"

#include <stdlib.h>
#include <string.h>

bool
st_reports_init(StReports* r, uint32_t capacity)
{
  memset(r, 0, sizeof(*r));
  r->capacity = capacity;
  r->order    = calloc(capacity, sizeof(*r->order));
  r->nodes    = calloc(capacity, sizeof(*r->nodes));
  r->values   = calloc(capacity, sizeof(*r->values));
  return r->order && r->nodes && r->values;
}

void
st_reports_free(StReports* r)
{
  free((void*)r->order);
  free(r->nodes);
  free(r->values);
}

uint32_t
st_reports_publish(StReports* r, const StGraph* model)
{
  const unsigned s = atomic_load_explicit(&r->seq, memory_order_relaxed);
  atomic_store_explicit(&r->seq, s + 1, memory_order_relaxed);
  // Release stores (not a fence, which ThreadSanitizer cannot follow): a
  // reader that sees any of them also sees the odd sequence before them.
  uint32_t n = 0;
  for (uint32_t i = 0; i < st_graph_capacity(model) && n < r->capacity; ++i) {
    const StNodeSlot* slot = st_graph_node_at(model, i);
    if (slot) {
      StHandle h = st_arena_handle(&model->arena, i);
      if ((slot->type->flags & (ST_NODE_SUBPATCH | ST_NODE_GROUP)) && slot->type->n_outputs) {
        h = st_flatten_source(model, h, 0).node; // Its level: its first outlet's, where it runs
      }
      atomic_store_explicit(&r->order[n++], (uint64_t)h.index << 32 | h.generation,
                            memory_order_release);
    }
  }
  atomic_store_explicit(&r->count, n, memory_order_release);
  atomic_store_explicit(&r->version, ++r->last_version, memory_order_release);
  atomic_store_explicit(&r->seq, s + 2, memory_order_release);
  return r->last_version;
}

void
st_reports_put_sent(StReports* r, uint32_t version)
{
  r->sent = version;
}

/* Copies the published order into `nodes`; false while the worker writes
   it, or when it belongs to a Put not yet sent. */
static bool
read_order(StReports* r, uint32_t* count)
{
  const unsigned s1 = atomic_load_explicit(&r->seq, memory_order_acquire);
  if (s1 & 1u) {
    return false;
  }
  // Acquire loads keep the second read of the sequence after them.
  const uint32_t version = atomic_load_explicit(&r->version, memory_order_acquire);
  const uint32_t n       = atomic_load_explicit(&r->count, memory_order_acquire);
  for (uint32_t i = 0; i < n && i < r->capacity; ++i) {
    const uint64_t h = atomic_load_explicit(&r->order[i], memory_order_acquire);
    r->nodes[i]      = (StHandle){(uint32_t)(h >> 32), (uint32_t)h};
  }
  const unsigned s2 = atomic_load_explicit(&r->seq, memory_order_relaxed);
  *count            = n < r->capacity ? n : r->capacity;
  return s1 == s2 && version == r->sent && version != 0;
}

static uint32_t
room(const LV2_Atom_Forge* forge)
{
  return forge->size > forge->offset ? (uint32_t)(forge->size - forge->offset) : 0;
}

/* Bytes of an event holding an object with a Float vector of `n` and `extra` more bytes. */
static uint32_t
vector_event_bytes(uint32_t n, uint32_t extra)
{
  return (uint32_t)(sizeof(int64_t) + sizeof(LV2_Atom_Object) + 2 * sizeof(uint32_t) +
                    sizeof(LV2_Atom_Vector) + ((n * sizeof(float) + 7u) & ~7u)) +
         extra;
}

static void
send_levels(StReports* r, StEngine* engine, const StUris* u, LV2_Atom_Forge* forge,
            int64_t frame)
{
  uint32_t n = 0;
  if (!read_order(r, &n) || room(forge) < vector_event_bytes(n, 0)) {
    return;  // Dropped: the next report carries the peaks on.
  }
  for (uint32_t i = 0; i < n; ++i) {
    r->values[i] = st_engine_take_peak(engine, r->nodes[i]);
  }
  LV2_Atom_Forge_Frame obj;
  lv2_atom_forge_frame_time(forge, frame);
  lv2_atom_forge_object(forge, &obj, 0, u->strata_Levels);
  lv2_atom_forge_key(forge, u->strata_levels);
  lv2_atom_forge_vector(forge, sizeof(float), u->atom_Float, n, r->values);
  lv2_atom_forge_pop(forge, &obj);
}

/* "node.output" of the probe, without formatting (no printf in run()). */
static uint32_t
probe_name(const StNodeSlot* slot, uint32_t port, char* out, size_t size)
{
  const char*  port_name = slot->type->outputs[port].name;
  const size_t a = strnlen(slot->name, ST_NAME_MAX - 1), b = strlen(port_name);
  if (a + 1 + b + 1 > size) {
    return 0;
  }
  memcpy(out, slot->name, a);
  out[a] = '.';
  memcpy(out + a + 1, port_name, b + 1);
  return (uint32_t)(a + 1 + b);
}

static void
send_scope(StEngine* engine, const StUris* u, LV2_Atom_Forge* forge, int64_t frame)
{
  float             samples[ST_PROBE_SAMPLES];
  char              name[2 * ST_NAME_MAX + 2];
  uint32_t          port   = 0;
  const StNodeSlot* slot   = st_engine_probed(engine, &port, NULL);
  const uint32_t    length = slot ? probe_name(slot, port, name, sizeof(name)) : 0;
  const uint32_t    string =
    (uint32_t)(2 * sizeof(uint32_t) + sizeof(LV2_Atom)) + ((length + 8u) & ~7u);
  if (!length || room(forge) < vector_event_bytes(ST_PROBE_SAMPLES, string)) {
    return;
  }
  st_engine_probed(engine, &port, samples);
  LV2_Atom_Forge_Frame obj;
  lv2_atom_forge_frame_time(forge, frame);
  lv2_atom_forge_object(forge, &obj, 0, u->strata_Scope);
  lv2_atom_forge_key(forge, u->strata_probe);
  lv2_atom_forge_string(forge, name, length);
  lv2_atom_forge_key(forge, u->strata_samples);
  lv2_atom_forge_vector(forge, sizeof(float), u->atom_Float, ST_PROBE_SAMPLES, samples);
  lv2_atom_forge_pop(forge, &obj);
}

static void
take_request(StReports* r, StEngine* engine, float rate)
{
  const int request =
    atomic_exchange_explicit(&r->request, ST_MONITOR_NONE, memory_order_acquire);
  if (request == ST_MONITOR_ON) {
    r->monitor_left = (uint64_t)(ST_MONITOR_SECONDS * rate);
    st_engine_levels(engine, true);
  } else if (request == ST_MONITOR_OFF && r->monitor_left) {
    r->monitor_left = 0;
    st_engine_levels(engine, false);
  }
}

/* Counts `frames` off a wait; true (and the wait restarted) when it ran out. */
static bool
due(uint64_t* wait, uint32_t frames, uint64_t period)
{
  if (*wait > frames) {
    *wait -= frames;
    return false;
  }
  *wait = period;
  return true;
}

void
st_reports_run(StReports* r, StEngine* engine, const StUris* u, LV2_Atom_Forge* forge,
               float rate, uint32_t frames, int64_t frame)
{
  take_request(r, engine, rate);
  if (r->monitor_left) {
    const uint64_t period = (uint64_t)(rate / ST_LEVELS_PER_SECOND) + 1;
    if (due(&r->levels_wait, frames, period) && forge->buf) {
      send_levels(r, engine, u, forge, frame);
    }
    r->monitor_left = r->monitor_left > frames ? r->monitor_left - frames : 0;
    if (!r->monitor_left) {
      st_engine_levels(engine, false);
    }
  }
  if (st_engine_probed(engine, NULL, NULL)) {
    const uint64_t period = (uint64_t)(rate / ST_SCOPE_PER_SECOND) + 1;
    if (due(&r->scope_wait, frames, period) && forge->buf) {
      send_scope(engine, u, forge, frame);
    }
  }
}
