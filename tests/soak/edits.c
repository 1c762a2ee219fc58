/* SPDX-License-Identifier: ISC */
#include "edits.h"

#include "nodes/registry.h"
#include "patch.h"

#include <lv2/atom/forge.h>
#include <lv2/patch/patch.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NAME_POOL    40 ///< Node names the generator draws from: n0..n39
#define NONE         (-1)

/* --- Random numbers (xorshift64*) --- */

uint64_t
sk_rand(SkRng* rng)
{
  uint64_t x = rng->state ? rng->state : 0x9E3779B97F4A7C15ull;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  rng->state = x;
  return x * 0x2545F4914F6CDD1Dull;
}

uint32_t
sk_below(SkRng* rng, uint32_t n)
{
  return (uint32_t)((sk_rand(rng) >> 32) % n);
}

float
sk_unit(SkRng* rng)
{
  return (float)(sk_rand(rng) >> 40) / (float)(1u << 24);
}

static bool
chance(SkRng* rng, uint32_t percent)
{
  return sk_below(rng, 100) < percent;
}

/* --- The model --- */

typedef struct {
  bool              live;
  const StNodeType* type;
  char              name[ST_NAME_MAX];
  float             params[ST_MAX_PARAMS];
  int32_t           src_node[ST_MAX_INPUTS]; ///< Source node index of each input, or NONE
  uint32_t          src_port[ST_MAX_INPUTS];
} MNode;

typedef struct {
  uint32_t slot;
  int32_t  node;
  uint32_t param;
  float    min;
  float    max;
  StCurve  curve;
  char     label[ST_NAME_MAX];
} MMap;

typedef enum {
  E_ADD,
  E_REMOVE,
  E_CONNECT,
  E_DISCONNECT,
  E_SET,
  E_MAP,
  E_UNMAP,
  E_REPLACE,
  E_NOTHING,
} EKind;

struct SkEdit {
  EKind             kind;
  char              name[ST_NAME_MAX];
  const StNodeType* type;
  float             params[ST_MAX_PARAMS];
  int32_t           node;   ///< Node index (remove, set, map, unmap); src for connect
  int32_t           dst;    ///< Destination node (connect, disconnect)
  uint32_t          port;   ///< Source output (connect)
  uint32_t          input;  ///< Destination input (connect, disconnect)
  uint32_t          param;
  uint32_t          slot;
  float             value;
  float             min;
  float             max;
  StCurve           curve;
  char              label[ST_NAME_MAX];
  char*             text;   ///< Replace: the patch text
};

struct SkModel {
  uint32_t capacity;
  uint32_t pool;
  float    rate;
  MNode*   nodes;
  uint32_t n_live;
  MMap     maps[ST_MAX_MACRO_MAPS];
  uint32_t n_maps;
  int32_t  tap_node[2];
  uint32_t tap_port[2];
  SkEdit   pending;   ///< The one SK_RESOURCE edit in flight
  uint32_t files;     ///< Patch files written
};

SkModel*
sk_model_new(uint32_t capacity, uint32_t pool, float rate)
{
  SkModel* m  = calloc(1, sizeof(SkModel));
  m->capacity = capacity;
  m->pool     = pool;
  m->rate     = rate;
  m->nodes    = calloc(capacity, sizeof(MNode));
  m->tap_node[0] = m->tap_node[1] = NONE;
  return m;
}

void
sk_model_free(SkModel* model)
{
  if (model) {
    char path[256];
    for (uint32_t k = 0; k < 4 && k < model->files; ++k) {
      snprintf(path, sizeof(path), "/tmp/strata-soak-%ld-%u.strata", (long)getpid(), k);
      unlink(path);
    }
    snprintf(path, sizeof(path), "/tmp/strata-soak-%ld-binary", (long)getpid());
    unlink(path);
    free(model->pending.text);
    free(model->nodes);
    free(model);
  }
}

uint32_t
sk_model_count(const SkModel* model)
{
  return model->n_live;
}

static int32_t
find(const SkModel* m, const char* name)
{
  for (uint32_t i = 0; i < m->capacity; ++i) {
    if (m->nodes[i].live && !strcmp(m->nodes[i].name, name)) {
      return (int32_t)i;
    }
  }
  return NONE;
}

static void
clear(SkModel* m)
{
  memset(m->nodes, 0, m->capacity * sizeof(MNode));
  m->n_live      = 0;
  m->n_maps      = 0;
  m->tap_node[0] = m->tap_node[1] = NONE;
}

bool
sk_model_load(SkModel* m, const char* text)
{
  StGraph*     g   = st_graph_new(m->capacity, m->pool, m->rate);
  StPatchError err = {0};
  if (!g || st_patch_parse(text, strlen(text), NULL, g, &err)) {
    st_graph_free(g);
    return false;
  }
  clear(m);
  for (uint32_t i = 0; i < st_graph_capacity(g); ++i) {
    const StNodeSlot* s = st_graph_node_at(g, i);
    if (!s) {
      continue;
    }
    MNode* n = &m->nodes[i];
    n->live             = true;
    n->type             = s->type;
    memcpy(n->name, s->name, ST_NAME_MAX);
    for (uint32_t p = 0; p < s->type->n_params; ++p) {
      n->params[p] = s->params[p].target;
    }
    for (uint32_t k = 0; k < ST_MAX_INPUTS; ++k) {
      n->src_node[k] = k < s->type->n_inputs && s->src[k].node != ST_NO_NODE
                         ? (int32_t)s->src[k].node
                         : NONE;
      n->src_port[k] = n->src_node[k] == NONE ? 0 : s->src[k].port;
    }
    ++m->n_live;
  }
  for (uint32_t k = 0; k < st_graph_map_count(g); ++k) {
    const StMacroMap* x = st_graph_map_at(g, k);
    m->maps[k] = (MMap){x->slot, (int32_t)x->node.index, x->param, x->min, x->max, x->curve, ""};
    memcpy(m->maps[k].label, x->label, ST_NAME_MAX);
  }
  m->n_maps = st_graph_map_count(g);
  for (uint32_t c = 0; c < 2; ++c) {
    const StSource tap = st_graph_tap(g, c);
    m->tap_node[c]     = tap.node == ST_NO_NODE ? NONE : (int32_t)tap.node;
    m->tap_port[c]     = tap.port;
  }
  st_graph_free(g);
  return true;
}

/* The name of the node at slot `index` of the plugin's graph, "-" for none. */
static const char*
slot_name(const StGraph* g, uint32_t index)
{
  const StNodeSlot* s = index == ST_NO_NODE ? NULL : st_graph_node_at(g, index);
  return s ? s->name : "-";
}

static const char*
node_name(const SkModel* m, int32_t i)
{
  return i == NONE ? "-" : m->nodes[i].name;
}

bool
sk_model_matches(const SkModel* m, const char* text, char* why, size_t why_size)
{
  StGraph*     g   = st_graph_new(m->capacity, m->pool, m->rate);
  StPatchError err = {0};
  if (!g || st_patch_parse(text, strlen(text), NULL, g, &err)) {
    snprintf(why, why_size, "the plugin's patch does not parse: %s", err.message);
    st_graph_free(g);
    return false;
  }
  bool ok = true;
#define DIFFER(...) (snprintf(why, why_size, __VA_ARGS__), ok = false)
  if (st_graph_count(g) != m->n_live) {
    DIFFER("%u nodes in the plugin, %u in the model", st_graph_count(g), m->n_live);
  }
  for (uint32_t i = 0; ok && i < m->capacity; ++i) {
    const MNode* n = &m->nodes[i];
    if (!n->live) {
      continue;
    }
    const StNodeSlot* s = st_graph_node(g, st_graph_find(g, n->name));
    if (!s) {
      DIFFER("node '%s' is missing", n->name);
      break;
    }
    if (s->type != n->type) {
      DIFFER("node '%s' is a %s, the model says %s", n->name, s->type->name, n->type->name);
      break;
    }
    for (uint32_t p = 0; ok && p < n->type->n_params; ++p) {
      if (memcmp(&s->params[p].target, &n->params[p], sizeof(float))) {
        DIFFER("%s.%s = %.9g, the model says %.9g", n->name, n->type->params[p].name,
               (double)s->params[p].target, (double)n->params[p]);
      }
    }
    for (uint32_t k = 0; ok && k < n->type->n_inputs; ++k) {
      const char* have = slot_name(g, s->src[k].node);
      const char* want = node_name(m, n->src_node[k]);
      if (strcmp(have, want) || (n->src_node[k] != NONE && s->src[k].port != n->src_port[k])) {
        DIFFER("input %s.%s comes from %s, the model says %s", n->name,
               n->type->inputs[k].name, have, want);
      }
    }
  }
  for (uint32_t c = 0; ok && c < 2; ++c) {
    const char* have = slot_name(g, st_graph_tap(g, c).node);
    if (strcmp(have, node_name(m, m->tap_node[c]))) {
      DIFFER("tap %u is %s, the model says %s", c, have, node_name(m, m->tap_node[c]));
    }
  }
  if (ok && st_graph_map_count(g) != m->n_maps) {
    DIFFER("%u macro maps in the plugin, %u in the model", st_graph_map_count(g), m->n_maps);
  }
  for (uint32_t k = 0; ok && k < m->n_maps; ++k) {
    const MMap* x     = &m->maps[k];
    bool        found = false;
    for (uint32_t j = 0; j < st_graph_map_count(g) && !found; ++j) {
      const StMacroMap* y = st_graph_map_at(g, j);
      found = y->slot == x->slot && !strcmp(slot_name(g, y->node.index), node_name(m, x->node)) &&
              y->param == x->param && !memcmp(&y->min, &x->min, sizeof(float)) &&
              !memcmp(&y->max, &x->max, sizeof(float)) && y->curve == x->curve &&
              !strcmp(y->label, x->label);
    }
    if (!found) {
      DIFFER("macro %u -> %s param %u (%g..%g) is missing", x->slot + 1, node_name(m, x->node),
             x->param, (double)x->min, (double)x->max);
    }
  }
#undef DIFFER
  st_graph_free(g);
  return ok;
}

/* --- Rules (what the model predicts) --- */

static bool
valid_name(const char* s)
{
  const size_t n = strlen(s);
  if (n == 0 || n >= ST_NAME_MAX || (s[0] >= '0' && s[0] <= '9')) {
    return false;
  }
  for (size_t i = 0; i < n; ++i) {
    const char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '_')) {
      return false;
    }
  }
  return true;
}

static bool
value_ok(const StParamSpec* spec, float v)
{
  return isfinite(v) && v >= spec->min && v <= spec->max &&
         (!(spec->flags & (ST_PARAM_CHOICE | ST_PARAM_INT)) || v == floorf(v));
}

/* True when `to` is reachable from `from` walking links backwards (from a
   node to the sources of its inputs): linking to -> from would close a cycle. */
static bool
upstream(const SkModel* m, int32_t from, int32_t to, uint8_t* seen)
{
  if (from == to) {
    return true;
  }
  if (seen[from]) {
    return false;
  }
  seen[from] = 1;
  const MNode* n = &m->nodes[from];
  for (uint32_t k = 0; k < n->type->n_inputs; ++k) {
    if (n->src_node[k] != NONE && upstream(m, n->src_node[k], to, seen)) {
      return true;
    }
  }
  return false;
}

static bool
would_cycle(const SkModel* m, int32_t src, int32_t dst)
{
  uint8_t* seen = calloc(m->capacity, 1);
  const bool cycle = upstream(m, src, dst, seen);
  free(seen);
  return cycle;
}

static int32_t
find_map(const SkModel* m, uint32_t slot, int32_t node, uint32_t param)
{
  for (uint32_t k = 0; k < m->n_maps; ++k) {
    if (m->maps[k].slot == slot && m->maps[k].node == node && m->maps[k].param == param) {
      return (int32_t)k;
    }
  }
  return NONE;
}

static void
drop_map(SkModel* m, uint32_t k)
{
  memmove(&m->maps[k], &m->maps[k + 1], (m->n_maps - k - 1) * sizeof(MMap));
  --m->n_maps;
}

static void
apply(SkModel* m, const SkEdit* e)
{
  switch (e->kind) {
  case E_ADD: {
    uint32_t i = 0;
    while (m->nodes[i].live) {
      ++i;
    }
    MNode* n = &m->nodes[i];
    memset(n, 0, sizeof(*n));
    n->live = true;
    n->type = e->type;
    memcpy(n->name, e->name, ST_NAME_MAX);
    memcpy(n->params, e->params, sizeof(n->params));
    for (uint32_t k = 0; k < ST_MAX_INPUTS; ++k) {
      n->src_node[k] = NONE;
    }
    ++m->n_live;
    break;
  }
  case E_REMOVE:
    for (uint32_t i = 0; i < m->capacity; ++i) {
      for (uint32_t k = 0; k < ST_MAX_INPUTS; ++k) {
        if (m->nodes[i].live && m->nodes[i].src_node[k] == e->node) {
          m->nodes[i].src_node[k] = NONE;
        }
      }
    }
    for (uint32_t k = m->n_maps; k-- > 0;) {
      if (m->maps[k].node == e->node) {
        drop_map(m, k);
      }
    }
    for (int c = 0; c < 2; ++c) {
      if (m->tap_node[c] == e->node) {
        m->tap_node[c] = NONE;
      }
    }
    m->nodes[e->node].live = false;
    --m->n_live;
    break;
  case E_CONNECT:
    m->nodes[e->dst].src_node[e->input] = e->node;
    m->nodes[e->dst].src_port[e->input] = e->port;
    break;
  case E_DISCONNECT:
    m->nodes[e->dst].src_node[e->input] = NONE;
    break;
  case E_SET:
    m->nodes[e->node].params[e->param] = e->value;
    break;
  case E_MAP: {
    const MMap    map = {e->slot, e->node, e->param, e->min, e->max, e->curve, ""};
    const int32_t k   = find_map(m, e->slot, e->node, e->param);
    MMap*         at  = k == NONE ? &m->maps[m->n_maps++] : &m->maps[k];
    *at               = map;
    memcpy(at->label, e->label, ST_NAME_MAX);
    break;
  }
  case E_UNMAP:
    drop_map(m, (uint32_t)find_map(m, e->slot, e->node, e->param));
    break;
  case E_REPLACE:
    sk_model_load(m, e->text);
    break;
  case E_NOTHING:
    break;
  }
}

/* --- Picking things --- */

static int32_t
random_live(const SkModel* m, SkRng* rng)
{
  if (!m->n_live) {
    return NONE;
  }
  uint32_t k = sk_below(rng, m->n_live);
  for (uint32_t i = 0; i < m->capacity; ++i) {
    if (m->nodes[i].live && k-- == 0) {
      return (int32_t)i;
    }
  }
  return NONE;
}

static const StNodeType*
random_type(SkRng* rng)
{
  return st_registry_at(sk_below(rng, (uint32_t)st_registry_count()));
}

static float
random_value(SkRng* rng, const StParamSpec* spec)
{
  if (spec->flags & (ST_PARAM_CHOICE | ST_PARAM_INT)) {
    const float lo = ceilf(spec->min);
    return lo + (float)sk_below(rng, (uint32_t)(floorf(spec->max) - lo) + 1);
  }
  // Keep fixed (memory-sizing) parameters small, so that adds stay cheap.
  const float hi = spec->flags & ST_PARAM_FIXED ? spec->min + (spec->max - spec->min) * 0.01f
                                                : spec->max;
  return spec->min + (hi - spec->min) * sk_unit(rng);
}

static float
bad_value(SkRng* rng, const StParamSpec* spec)
{
  switch (sk_below(rng, 4)) {
  case 0:  return spec->max + 1.0f + fabsf(spec->max);
  case 1:  return spec->min - 1.0f - fabsf(spec->min);
  case 2:  return NAN;
  default: return (spec->flags & (ST_PARAM_CHOICE | ST_PARAM_INT)) && spec->max > spec->min
                    ? spec->min + 0.5f
                    : INFINITY;
  }
}

static void
random_name(SkRng* rng, char* name, bool garbage)
{
  static const char* const bad[] = {
    "9lives", "a-b", "with space", "", "x234567890123456789012345678901234", "caf\xc3\xa9",
  };
  if (garbage) {
    snprintf(name, ST_NAME_MAX, "%s", bad[sk_below(rng, sizeof(bad) / sizeof(bad[0]))]);
  } else {
    snprintf(name, ST_NAME_MAX, "n%u", sk_below(rng, NAME_POOL));
  }
}

/* --- Sending --- */

static LV2_URID
urid(const char* uri)
{
  return ph_urid(uri);
}

static LV2_URID
prefixed(const char* prefix, const char* name)
{
  char uri[256];
  snprintf(uri, sizeof(uri), "%s%s", prefix, name);
  return urid(uri);
}

/* Starts a message in the host's scratch forge (edits go at frame 0). */
static LV2_Atom_Forge*
begin(PhHost* host, LV2_Atom_Forge_Frame* frame, const char* type, int32_t seq)
{
  LV2_Atom_Forge* f = ph_build(host);
  lv2_atom_forge_object(f, frame, 0, urid(type));
  lv2_atom_forge_key(f, urid(LV2_PATCH__sequenceNumber));
  lv2_atom_forge_int(f, seq);
  return f;
}

static void
finish(PhHost* host, LV2_Atom_Forge* f, LV2_Atom_Forge_Frame* frame)
{
  lv2_atom_forge_pop(f, frame);
  ph_send_built(host, 0);
}

static SkSent
certain(SkModel* m, const SkEdit* e, int32_t seq, const char* kind, bool ok)
{
  if (ok) {
    apply(m, e);
  }
  return (SkSent){ok ? SK_ACK : SK_ERROR, seq, kind, false, NULL};
}

static SkSent
resource(SkModel* m, const SkEdit* e, int32_t seq, const char* kind)
{
  free(m->pending.text);
  m->pending = *e;
  return (SkSent){SK_RESOURCE, seq, kind, true, &m->pending};
}

static SkSent
send_add(SkModel* m, SkRng* rng, PhHost* host, bool garbage, int32_t seq)
{
  SkEdit e = {.kind = E_ADD};
  random_name(rng, e.name, garbage && chance(rng, 10));
  e.type = random_type(rng);
  const bool bad_type = garbage && chance(rng, 10);
  for (uint32_t p = 0; p < e.type->n_params; ++p) {
    e.params[p] = e.type->params[p].def;
  }
  // Some parameters given, perhaps one out of range or not a number.
  const char* names[ST_MAX_PARAMS];
  float       values[ST_MAX_PARAMS];
  uint32_t    n        = 0;
  bool        bad      = false;
  const bool  want_bad = garbage && chance(rng, 15);
  for (uint32_t p = 0; p < e.type->n_params; ++p) {
    if (chance(rng, 50)) {
      const StParamSpec* spec = &e.type->params[p];
      e.params[p]             = want_bad && !bad ? bad_value(rng, spec) : random_value(rng, spec);
      bad                     = bad || !value_ok(spec, e.params[p]);
      names[n]                = spec->name;
      values[n++]             = e.params[p];
    }
  }
  const bool ok = !bad_type && valid_name(e.name) && find(m, e.name) == NONE && !bad &&
                  m->n_live < m->capacity;
  ph_msg_add(host, seq, e.name, bad_type ? "oscilator" : e.type->name, n, names, values);
  if (!ok) {
    return certain(m, &e, seq, "add", false);
  }
  return resource(m, &e, seq, "add");
}

static SkSent
send_remove(SkModel* m, SkRng* rng, PhHost* host, int32_t seq)
{
  SkEdit e = {.kind = E_REMOVE, .node = chance(rng, 80) ? random_live(m, rng) : NONE};
  char   name[ST_NAME_MAX];
  if (e.node == NONE) {
    snprintf(name, sizeof(name), "gone%u", sk_below(rng, 100));
  } else {
    snprintf(name, sizeof(name), "%s", m->nodes[e.node].name);
  }
  ph_msg_remove(host, seq, name);
  return certain(m, &e, seq, "remove", e.node != NONE);
}

/* A random "node.port" reference: an existing port, or (rarely) a wrong one. */
static int32_t
random_port(const SkModel* m, SkRng* rng, bool output, bool garbage, uint32_t* index, char* ref,
            size_t size)
{
  const int32_t node = random_live(m, rng);
  const uint32_t n   = node == NONE ? 0 : output ? m->nodes[node].type->n_outputs
                                                 : m->nodes[node].type->n_inputs;
  if (node == NONE || n == 0 || (garbage && chance(rng, 10))) {
    static const char* const bad[] = {"nodot", "ghost.out", ".in", "n1.", "n2.outt", "x.y.z"};
    snprintf(ref, size, "%s", bad[sk_below(rng, sizeof(bad) / sizeof(bad[0]))]);
    const char* dot = strchr(ref, '.');
    // "n1." / "n2.outt" could name a real node; they still name no real port.
    (void)dot;
    return NONE;
  }
  *index                = sk_below(rng, n);
  const StNodeType* t   = m->nodes[node].type;
  snprintf(ref, size, "%s.%s", m->nodes[node].name,
           output ? t->outputs[*index].name : t->inputs[*index].name);
  return node;
}

static SkSent
send_connect(SkModel* m, SkRng* rng, PhHost* host, bool garbage, int32_t seq)
{
  SkEdit e = {.kind = E_CONNECT};
  char   tail[96];
  char   head[96];
  e.node = random_port(m, rng, true, garbage, &e.port, tail, sizeof(tail));
  e.dst  = random_port(m, rng, false, garbage, &e.input, head, sizeof(head));
  ph_msg_connect(host, seq, tail, head);
  const bool ok = e.node != NONE && e.dst != NONE &&
                  m->nodes[e.dst].src_node[e.input] == NONE && !would_cycle(m, e.node, e.dst);
  if (!ok) {
    return certain(m, &e, seq, "connect", false);
  }
  return resource(m, &e, seq, "connect");
}

static SkSent
send_disconnect(SkModel* m, SkRng* rng, PhHost* host, bool garbage, int32_t seq)
{
  SkEdit e = {.kind = E_DISCONNECT};
  char   head[96];
  e.dst = random_port(m, rng, false, garbage, &e.input, head, sizeof(head));
  // Prefer a linked input: scan the node's inputs for one.
  if (e.dst != NONE && chance(rng, 70)) {
    const MNode* n = &m->nodes[e.dst];
    for (uint32_t k = 0; k < n->type->n_inputs; ++k) {
      if (n->src_node[k] != NONE) {
        e.input = k;
        snprintf(head, sizeof(head), "%s.%s", n->name, n->type->inputs[k].name);
        break;
      }
    }
  }
  const bool linked = e.dst != NONE && m->nodes[e.dst].src_node[e.input] != NONE;
  ph_msg_disconnect(host, seq, NULL, head);
  return certain(m, &e, seq, "disconnect", linked);
}

static SkSent
send_set(SkModel* m, SkRng* rng, PhHost* host, bool garbage, int32_t seq)
{
  SkEdit e = {.kind = E_SET, .node = random_live(m, rng)};
  if (e.node == NONE || !m->nodes[e.node].type->n_params) {
    ph_msg_set_param(host, seq, "nobody", "cutoff", 1.0f);
    return certain(m, &e, seq, "set", false);
  }
  const StNodeType*  t    = m->nodes[e.node].type;
  e.param                 = sk_below(rng, t->n_params);
  const StParamSpec* spec = &t->params[e.param];
  e.value = garbage && chance(rng, 20) ? bad_value(rng, spec) : random_value(rng, spec);
  const bool wrong_name = garbage && chance(rng, 5);
  ph_msg_set_param(host, seq, m->nodes[e.node].name, wrong_name ? "cutof" : spec->name, e.value);
  const bool ok = !wrong_name && !(spec->flags & ST_PARAM_FIXED) && value_ok(spec, e.value);
  return certain(m, &e, seq, "set", ok);
}

static SkSent
send_map(SkModel* m, SkRng* rng, PhHost* host, bool garbage, int32_t seq)
{
  SkEdit e = {.kind = E_MAP, .node = random_live(m, rng), .slot = sk_below(rng, 16)};
  if (e.node == NONE || !m->nodes[e.node].type->n_params) {
    ph_msg_map(host, seq, e.slot + 1, "nobody.cutoff", 0.0f, 1.0f, "lin", NULL);
    return certain(m, &e, seq, "map", false);
  }
  const StNodeType*  t    = m->nodes[e.node].type;
  e.param                 = sk_below(rng, t->n_params);
  const StParamSpec* spec = &t->params[e.param];
  e.min   = garbage && chance(rng, 10) ? bad_value(rng, spec) : random_value(rng, spec);
  e.max   = random_value(rng, spec);
  e.curve = chance(rng, 30) ? ST_CURVE_EXPONENTIAL : ST_CURVE_LINEAR;
  const bool bad_curve = garbage && chance(rng, 5);
  if (chance(rng, 50)) {
    snprintf(e.label, sizeof(e.label), "Knob %u", sk_below(rng, 1000));
  }
  char target[96];
  snprintf(target, sizeof(target), "%s.%s", m->nodes[e.node].name, spec->name);
  ph_msg_map(host, seq, e.slot + 1, target, e.min, e.max,
             bad_curve ? "log" : e.curve == ST_CURVE_EXPONENTIAL ? "exp" : "lin",
             e.label[0] ? e.label : NULL);
  const bool ok = !bad_curve && !(spec->flags & ST_PARAM_FIXED) && value_ok(spec, e.min) &&
                  value_ok(spec, e.max) &&
                  (e.curve == ST_CURVE_LINEAR || e.min * e.max > 0.0f) &&
                  (find_map(m, e.slot, e.node, e.param) != NONE ||
                   m->n_maps < ST_MAX_MACRO_MAPS);
  return certain(m, &e, seq, "map", ok);
}

static SkSent
send_unmap(SkModel* m, SkRng* rng, PhHost* host, int32_t seq)
{
  SkEdit e = {.kind = E_UNMAP};
  char   target[96];
  if (m->n_maps && chance(rng, 70)) {
    const MMap* x = &m->maps[sk_below(rng, m->n_maps)];
    e.slot        = x->slot;
    e.node        = x->node;
    e.param       = x->param;
    snprintf(target, sizeof(target), "%s.%s", m->nodes[x->node].name,
             m->nodes[x->node].type->params[x->param].name);
  } else {
    e.slot = sk_below(rng, 16);
    e.node = NONE;
    snprintf(target, sizeof(target), "nobody.gain");
  }
  ph_msg_unmap(host, seq, e.slot + 1, target);
  return certain(m, &e, seq, "unmap", e.node != NONE);
}

char*
sk_random_patch(SkRng* rng, uint32_t nodes)
{
  size_t size = 256 + (size_t)nodes * 160;
  char*  text = malloc(size);
  size_t used = 0;
  used += (size_t)snprintf(text + used, size - used, "# random patch\n");
  const StNodeType** types = calloc(nodes ? nodes : 1, sizeof(*types));
  for (uint32_t i = 0; i < nodes; ++i) {
    do {
      types[i] = random_type(rng);
    } while (types[i]->flags & ST_NODE_SINK);
    used += (size_t)snprintf(text + used, size - used, "node p%u %s", i, types[i]->name);
    if (types[i]->n_params && chance(rng, 50)) {
      const uint32_t     p    = sk_below(rng, types[i]->n_params);
      const StParamSpec* spec = &types[i]->params[p];
      used += (size_t)snprintf(text + used, size - used, " %s=%.9g", spec->name,
                               (double)random_value(rng, spec));
    }
    used += (size_t)snprintf(text + used, size - used, "\n");
  }
  // Links only from lower to higher index: acyclic; each input at most once.
  for (uint32_t i = 1; i < nodes; ++i) {
    if (types[i]->n_inputs && chance(rng, 70)) {
      const uint32_t s = sk_below(rng, i);
      if (types[s]->n_outputs) {
        used += (size_t)snprintf(text + used, size - used, "link p%u.%s -> p%u.%s\n", s,
                                 types[s]->outputs[0].name, i, types[i]->inputs[0].name);
      }
    }
  }
  if (nodes && types[nodes - 1]->n_outputs) {
    used += (size_t)snprintf(text + used, size - used, "link p%u.%s -> out.left\n", nodes - 1,
                             types[nodes - 1]->outputs[0].name);
  }
  free(types);
  return text;
}

/* A patch of exactly `capacity` nodes (consts are cheap): the next add overflows. */
static char*
full_patch(uint32_t capacity)
{
  char*  text = malloc((size_t)capacity * 32 + 64);
  size_t used = 0;
  if (!text) {
    abort(); // The soak cannot go on without its patch.
  }
  for (uint32_t i = 0; i < capacity; ++i) {
    used += (size_t)snprintf(text + used, (size_t)capacity * 32 + 64 - used, "node c%u const\n", i);
  }
  return text;
}

static SkSent
send_replace(SkModel* m, SkRng* rng, PhHost* host, const SkMix* mix, int32_t seq)
{
  SkEdit e = {.kind = E_REPLACE};
  if (mix->garbage && chance(rng, 30)) {
    static const char* const bad[] = {
      "node a osc\nlink a.out -> nowhere.in\n",
      "node a osc freq=\n",
      "node 1a osc\n",
      "link a.out -> b.in\n",
      "node a osc\nnode a osc\n",
      "node a osc freq=1e99\n",
      "macro 17 a.freq 1..2\n",
      "\x01\x02\x03 garbage",
      "node a osc\nnode b svf\nlink a.out -> b.in\nlink b.lp -> a.pitch\nlink b.lp -> b.in\n",
    };
    ph_msg_replace(host, seq, bad[sk_below(rng, sizeof(bad) / sizeof(bad[0]))]);
    return certain(m, &e, seq, "replace", false);
  }
  if (mix->big_patches && chance(rng, 5)) {
    // A patch at capacity is too big for one message: it goes as a file.
    char path[256];
    snprintf(path, sizeof(path), "/tmp/strata-soak-%ld-%u.strata", (long)getpid(),
             m->files++ % 4);
    e.text  = full_patch(m->capacity);
    FILE* f = fopen(path, "w");
    fputs(e.text, f);
    fclose(f);
    ph_msg_load(host, seq, path);
    return resource(m, &e, seq, "load full");
  }
  e.text = sk_random_patch(rng, 1 + sk_below(rng, 24));
  ph_msg_replace(host, seq, e.text);
  return resource(m, &e, seq, "replace");
}

static SkSent
send_load(SkModel* m, SkRng* rng, PhHost* host, int32_t seq)
{
  SkEdit e = {.kind = E_REPLACE};
  char   path[256];
  switch (sk_below(rng, 4)) {
  case 0:
    ph_msg_load(host, seq, "/nonexistent/strata/patch.strata");
    return certain(m, &e, seq, "load", false);
  case 1:
    ph_msg_load(host, seq, "/");
    return certain(m, &e, seq, "load", false);
  case 2: {
    snprintf(path, sizeof(path), "/tmp/strata-soak-%ld-binary", (long)getpid());
    FILE* f = fopen(path, "wb");
    static const unsigned char elf[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0xff, 0xfe};
    fwrite(elf, 1, sizeof(elf), f);
    fclose(f);
    ph_msg_load(host, seq, path);
    return certain(m, &e, seq, "load", false);
  }
  default: {
    snprintf(path, sizeof(path), "/tmp/strata-soak-%ld-%u.strata", (long)getpid(),
             m->files++ % 4);
    e.text  = sk_random_patch(rng, 1 + sk_below(rng, 12));
    FILE* f = fopen(path, "w");
    fputs(e.text, f);
    fclose(f);
    ph_msg_load(host, seq, path);
    return resource(m, &e, seq, "load");
  }
  }
}

/* The macros are the plugin's control ports, not properties: a patch:Set
   of one is refused, whatever its value. */
static SkSent
send_macro(SkModel* m, SkRng* rng, PhHost* host, bool garbage, int32_t seq)
{
  const SkEdit e = {.kind = E_NOTHING};
  const uint32_t slot = 1 + sk_below(rng, 16);
  if (garbage && chance(rng, 20)) {
    LV2_Atom_Forge_Frame msg;
    char                 uri[64];
    snprintf(uri, sizeof(uri), STRATA__macro "%u", slot);
    LV2_Atom_Forge* f = begin(host, &msg, LV2_PATCH__Set, seq);
    lv2_atom_forge_key(f, urid(LV2_PATCH__property));
    lv2_atom_forge_urid(f, urid(uri));
    lv2_atom_forge_key(f, urid(LV2_PATCH__value));
    lv2_atom_forge_string(f, "loud", 4);
    finish(host, f, &msg);
    return certain(m, &e, seq, "macro", false);
  }
  ph_msg_set_macro(host, seq, slot, sk_unit(rng));
  return certain(m, &e, seq, "macro", false);
}

/* Invalid messages of every other kind. */
static SkSent
send_garbage(SkModel* m, SkRng* rng, PhHost* host, int32_t seq)
{
  const SkEdit         e = {.kind = E_NOTHING};
  LV2_Atom_Forge_Frame msg;
  LV2_Atom_Forge_Frame body;
  LV2_Atom_Forge*      f;
  switch (sk_below(rng, 9)) {
  case 0: // An unsupported message type.
    f = begin(host, &msg, LV2_PATCH__Move, seq);
    finish(host, f, &msg);
    break;
  case 1: // A Put without a body.
    f = begin(host, &msg, LV2_PATCH__Put, seq);
    lv2_atom_forge_key(f, urid(LV2_PATCH__subject));
    lv2_atom_forge_urid(f, prefixed(STRATA_NODE_PREFIX, "n1"));
    finish(host, f, &msg);
    break;
  case 2: // A Set of a property the plugin does not have.
    f = begin(host, &msg, LV2_PATCH__Set, seq);
    lv2_atom_forge_key(f, urid(LV2_PATCH__property));
    lv2_atom_forge_urid(f, urid("http://example.org/volume"));
    lv2_atom_forge_key(f, urid(LV2_PATCH__value));
    lv2_atom_forge_float(f, 1.0f);
    finish(host, f, &msg);
    break;
  case 3: // A parameter value of the wrong type.
    f = begin(host, &msg, LV2_PATCH__Set, seq);
    lv2_atom_forge_key(f, urid(LV2_PATCH__subject));
    lv2_atom_forge_uri(f, STRATA_NODE_PREFIX "n1", (uint32_t)strlen(STRATA_NODE_PREFIX "n1"));
    lv2_atom_forge_key(f, urid(LV2_PATCH__property));
    lv2_atom_forge_urid(f, prefixed(STRATA_PARAM_PREFIX, "gain"));
    lv2_atom_forge_key(f, urid(LV2_PATCH__value));
    lv2_atom_forge_string(f, "0.5", 3);
    finish(host, f, &msg);
    break;
  case 4: // A Put whose body has a garbage type string.
    f = begin(host, &msg, LV2_PATCH__Put, seq);
    lv2_atom_forge_key(f, urid(LV2_PATCH__subject));
    lv2_atom_forge_uri(f, STRATA_NODE_PREFIX "g", (uint32_t)strlen(STRATA_NODE_PREFIX "g"));
    lv2_atom_forge_key(f, urid(LV2_PATCH__body));
    lv2_atom_forge_object(f, &body, 0, 0);
    lv2_atom_forge_key(f, urid(RDF__type));
    lv2_atom_forge_string(f, "\xff\xfe garbage \x01", 13);
    lv2_atom_forge_pop(f, &body);
    finish(host, f, &msg);
    break;
  case 5: // Delete of the plugin itself.
    f = begin(host, &msg, LV2_PATCH__Delete, seq);
    lv2_atom_forge_key(f, urid(LV2_PATCH__subject));
    lv2_atom_forge_urid(f, urid(STRATA_URI));
    finish(host, f, &msg);
    break;
  case 6: { // An object whose property runs past its end: refused in run().
    const uint32_t words[] = {
      0, 0,                                  // event time
      24, urid(LV2_ATOM__Object),            // atom: size 24
      0, urid(LV2_PATCH__Set),               // object body
      urid(LV2_PATCH__sequenceNumber), 0,    // property key, context
      4000, urid(LV2_ATOM__Int),             // value claims 4000 bytes
    };
    ph_send_raw(host, words, sizeof(words));
    return (SkSent){SK_ANONYMOUS, seq, "malformed", true, NULL};
  }
  case 7: { // A truncated event at the end of the sequence.
    const uint32_t words[] = {0, 0, 4096, urid(LV2_ATOM__Object), 0, urid(LV2_PATCH__Get)};
    ph_send_raw(host, words, sizeof(words));
    return (SkSent){SK_ANONYMOUS, seq, "truncated", true, NULL};
  }
  default: // A Get of a node (only the plugin can be read).
    f = begin(host, &msg, LV2_PATCH__Get, seq);
    lv2_atom_forge_key(f, urid(LV2_PATCH__subject));
    lv2_atom_forge_urid(f, prefixed(STRATA_NODE_PREFIX, "n1"));
    finish(host, f, &msg);
    break;
  }
  return certain(m, &e, seq, "garbage", false);
}

SkSent
sk_send_edit(SkModel* m, SkRng* rng, PhHost* host, const SkMix* mix, int32_t seq)
{
  const bool     g = mix->garbage;
  const uint32_t r = sk_below(rng, 100);
  if (r < 16) {
    return send_add(m, rng, host, g, seq);
  } else if (r < 24) {
    return send_remove(m, rng, host, seq);
  } else if (r < 44) {
    return send_connect(m, rng, host, g, seq);
  } else if (r < 52) {
    return send_disconnect(m, rng, host, g, seq);
  } else if (r < 70) {
    return send_set(m, rng, host, g, seq);
  } else if (r < 78) {
    return send_map(m, rng, host, g, seq);
  } else if (r < 82) {
    return send_unmap(m, rng, host, seq);
  } else if (r < 87) {
    return send_macro(m, rng, host, g, seq);
  } else if (r < 89) {
    ph_msg_get(host, seq);
    const SkEdit e = {.kind = E_NOTHING};
    return resource(m, &e, seq, "get");
  } else if (r < 91) {
    return send_replace(m, rng, host, mix, seq);
  } else if (r < 92 && mix->patch_files) {
    return send_load(m, rng, host, seq);
  } else if (g) {
    return send_garbage(m, rng, host, seq);
  }
  return send_set(m, rng, host, false, seq);
}

static bool
resource_error(const PhReply* r)
{
  const char* msg = r->message ? r->message : "";
  return r->status == ST_ERR_POOL || r->status == ST_ERR_BUSY || r->status == ST_ERR_NO_MEMORY ||
         strstr(msg, "audio buffers") || strstr(msg, "retry") || strstr(msg, "later") ||
         strstr(msg, "out of memory");
}

bool
sk_agrees(const SkSent* sent, const PhReply* reply)
{
  switch (sent->prediction) {
  case SK_ACK:
    return ph_is_ack(reply);
  case SK_ERROR:
  case SK_ANONYMOUS:
    return ph_is_error(reply) && reply->message && reply->message[0];
  default:
    return true;
  }
}

bool
sk_settle(SkModel* m, const SkSent* sent, const PhReply* reply)
{
  if (sent->prediction != SK_RESOURCE) {
    return sk_agrees(sent, reply);
  }
  const SkEdit* e = sent->pending;
  bool          ok;
  if (e->kind == E_NOTHING) { // patch:Get
    ok = reply->type == ph_urid(LV2_PATCH__Put) || (ph_is_error(reply) && resource_error(reply));
  } else if (ph_is_ack(reply)) {
    apply(m, e);
    ok = true;
  } else {
    ok = ph_is_error(reply) && resource_error(reply);
  }
  free(m->pending.text);
  m->pending.text = NULL;
  return ok;
}

/* --- The driver --- */

#define SK_MAX_BURST 8

struct SkDriver {
  PhHost*  host;
  SkModel* model;
  SkRng*   rng;
  SkMix    mix;
  uint32_t max_edits;
  SkSent*  sent;     ///< By sequence number - 1
  uint8_t* answers;  ///< Replies seen per edit
  uint32_t waiting;  ///< Replies the current burst still waits for
  SkStats  stats;
};

SkDriver*
sk_driver_new(PhHost* host, SkModel* model, SkRng* rng, const SkMix* mix, uint32_t max_edits)
{
  SkDriver* d  = calloc(1, sizeof(SkDriver));
  d->host      = host;
  d->model     = model;
  d->rng       = rng;
  d->mix       = *mix;
  d->max_edits = max_edits;
  d->sent      = calloc(max_edits + 1, sizeof(SkSent));
  d->answers   = calloc(max_edits + 1, 1);
  return d;
}

void
sk_driver_free(SkDriver* d)
{
  if (d) {
    free(d->sent);
    free(d->answers);
    free(d);
  }
}

void
sk_driver_before(SkDriver* d, bool send)
{
  if (d->waiting || !send || d->stats.sent >= d->max_edits) {
    return;
  }
  const uint32_t burst = 1 + sk_below(d->rng, SK_MAX_BURST);
  for (uint32_t i = 0; i < burst && d->stats.sent < d->max_edits; ++i) {
    const uint32_t k = (uint32_t)d->stats.sent;
    const SkSent   s = sk_send_edit(d->model, d->rng, d->host, &d->mix, (int32_t)(k + 1));
    if (s.prediction == SK_ANONYMOUS) {
      ++d->stats.anonymous_sent;
      d->answers[k] = 1; // Answered without a number: counted apart.
    }
    d->sent[k] = s;
    ++d->stats.sent;
    ++d->waiting;
    if (s.ends_burst) {
      break;
    }
  }
}

static const char*
prediction_name(SkPrediction p)
{
  return p == SK_ACK ? "ack" : p == SK_ERROR ? "error" : p == SK_RESOURCE ? "resource" : "other";
}

void
sk_driver_after(SkDriver* d)
{
  const LV2_URID put = ph_urid(LV2_PATCH__Put);
  for (uint32_t i = 0; i < ph_reply_count(d->host); ++i) {
    const PhReply* r = ph_reply_at(d->host, i);
    if (!ph_is_ack(r) && !ph_is_error(r) && r->type != put) {
      continue; // state:StateChanged
    }
    if (!r->has_seq && (r->type == put || (r->message && !strncmp(r->message, "announce:", 9)))) {
      continue; // The new patch announced after a restore or a file load, or too large to be
    }
    if (!r->has_seq) {
      ++d->stats.anonymous_answered;
      d->waiting -= d->waiting ? 1 : 0;
      continue;
    }
    const int64_t k = (int64_t)r->seq - 1;
    if (k < 0 || k >= (int64_t)d->stats.sent) {
      fprintf(stderr, "reply to unknown sequence number %d: %s\n", r->seq,
              r->message ? r->message : "");
      ++d->stats.contradictions;
      continue;
    }
    if (d->answers[k]++) {
      fprintf(stderr, "edit %d answered twice\n", r->seq);
      ++d->stats.duplicates;
      continue;
    }
    d->waiting -= d->waiting ? 1 : 0;
    const SkSent* s = &d->sent[k];
    d->stats.acked += ph_is_ack(r) || r->type == put;
    d->stats.refused += ph_is_error(r);
    if (!sk_settle(d->model, s, r)) {
      fprintf(stderr, "edit %d (%s): predicted %s, got %s: %s\n", r->seq, s->kind,
              prediction_name(s->prediction), ph_is_ack(r) ? "ack" : "error",
              r->message ? r->message : "");
      ++d->stats.contradictions;
    }
    if (r->type == put && r->patch) {
      char why[512];
      ++d->stats.gets_checked;
      if (!sk_model_matches(d->model, r->patch, why, sizeof(why))) {
        fprintf(stderr, "patch:Get %d differs from the model: %s\n", r->seq, why);
        ++d->stats.contradictions;
      }
    }
  }
  ph_clear_replies(d->host);
}

bool
sk_driver_idle(const SkDriver* d)
{
  return d->waiting == 0;
}

const SkStats*
sk_driver_stats(const SkDriver* d)
{
  return &d->stats;
}

uint64_t
sk_driver_unanswered(const SkDriver* d)
{
  uint64_t n = 0;
  for (uint64_t k = 0; k < d->stats.sent; ++k) {
    if (!d->answers[k] && !n++) {
      fprintf(stderr, "edit %llu (%s) was never answered\n", (unsigned long long)k + 1,
              d->sent[k].kind);
    }
  }
  return n;
}
