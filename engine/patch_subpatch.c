/* SPDX-License-Identifier: ISC */
/* The statements of sub-patch definitions (subpatch, inlet, outlet, param,
   end, and links inside a definition) and of voice groups (voices): see
   docs/patch-format.md, "Sub-patches". */
#include "patch_parser.h"

#include "voices.h"

#include <stdio.h>
#include <string.h>

/* --- Names inside a definition --- */

/* Index of `name` among `n` inlet or outlet names, or -1. */
static int
port_index(const char (*names)[ST_NAME_MAX], uint32_t n, const char* name)
{
  for (uint32_t i = 0; i < n; ++i) {
    if (!strcmp(names[i], name)) {
      return (int)i;
    }
  }
  return -1;
}

static int
inlet_index(const StSubpatch* def, const char* name)
{
  return port_index(def->inlets, def->n_inlets, name);
}

static int
outlet_index(const StSubpatch* def, const char* name)
{
  return port_index(def->outlets, def->n_outlets, name);
}

static const char*
inlet_at(const void* source, size_t index)
{
  return ((const StSubpatch*)source)->inlets[index];
}

static const char*
outlet_at(const void* source, size_t index)
{
  return ((const StSubpatch*)source)->outlets[index];
}

StStatus
st_parse_check_free(StParser* p, const char* name, const StToken* token)
{
  if (st_arena_valid(&p->graph->arena, st_graph_find(p->graph, name))) {
    return st_parse_fail(p, ST_ERR_NAME, token->column, "a node named '%s' already exists",
                         name);
  }
  if (p->def && inlet_index(p->def, name) >= 0) {
    return st_parse_fail(p, ST_ERR_NAME, token->column,
                         "'%s' is already an inlet of sub-patch '%s'", name, p->def->name);
  }
  if (p->def && outlet_index(p->def, name) >= 0) {
    return st_parse_fail(p, ST_ERR_NAME, token->column,
                         "'%s' is already an outlet of sub-patch '%s'", name, p->def->name);
  }
  return ST_OK;
}

StStatus
st_parse_body_room(StParser* p, const StNodeType* type, const StToken* token)
{
  StSubpatch*       def    = p->def;
  const StSubpatch* nested = st_subpatch_of(type);
  const uint32_t    weight = nested ? nested->flat_nodes : 1;
  if (st_graph_count(def->body) == ST_SUBPATCH_MAX_NODES) {
    return st_parse_fail(p, ST_ERR_FULL, token->column, "sub-patch '%s' holds at most %d nodes",
                         def->name, ST_SUBPATCH_MAX_NODES);
  }
  if (def->flat_nodes + weight > ST_SUBPATCH_MAX_FLAT) {
    return st_parse_fail(p, ST_ERR_FULL, token->column,
                         "sub-patch '%s' would expand to more than %d nodes", def->name,
                         ST_SUBPATCH_MAX_FLAT);
  }
  def->flat_nodes += weight;  // The node is added next, or the whole parse fails.
  return ST_OK;
}

/* --- subpatch NAME ... end --- */

StStatus
st_parse_subpatch(StParser* p)
{
  StToken  token;
  char     name[ST_NAME_MAX];
  StStatus st;
  if (p->def) {
    return st_parse_fail(p, ST_ERR_SYNTAX, p->column,
                         "a sub-patch cannot be defined inside another (end '%s' first)",
                         p->def->name);
  }
  if ((st = st_parse_expect_name(p, "a sub-patch name", &token, name))) {
    return st;
  }
  if (p->types->find(name)) {
    return st_parse_fail(p, ST_ERR_NAME, token.column,
                         "'%s' is a node type: a sub-patch needs a name of its own", name);
  }
  if (st_parse_find_def(p, name)) {
    return st_parse_fail(p, ST_ERR_NAME, token.column, "sub-patch '%s' is defined twice", name);
  }
  if (p->library->count == ST_SUBPATCH_MAX) {
    return st_parse_fail(p, ST_ERR_FULL, token.column, "a patch holds at most %d sub-patches",
                         ST_SUBPATCH_MAX);
  }
  if ((st = st_parse_expect_end(p))) {
    return st;
  }
  if (!(p->def = st_subpatch_new(name, p->top->plan.pool.count, p->top->rate))) {
    return st_parse_fail(p, ST_ERR_NO_MEMORY, token.column, "out of memory for sub-patch '%s'",
                         name);
  }
  p->graph      = p->def->body;
  p->def_line   = p->lex.line;
  p->def_column = p->column;
  return ST_OK;
}

StStatus
st_parse_end(StParser* p)
{
  const StStatus st = st_parse_expect_end(p);
  if (st) {
    return st;
  }
  st_subpatch_make_types(p->def);
  st_library_add(p->library, p->def);  // st_parse_subpatch made sure there is room.
  p->def   = NULL;
  p->graph = p->top;
  return ST_OK;
}

StStatus
st_parse_finish(StParser* p)
{
  return p->def ? st_parse_fail_at(p, ST_ERR_SYNTAX, p->def_line, p->def_column,
                                   "sub-patch '%s' has no end", p->def->name)
                : ST_OK;
}

/* --- inlet NAME..., outlet NAME... --- */

/* Reads one or more names into `names` (holding `n` of at most `max`). */
static StStatus
parse_ports(StParser* p, const char* noun, char (*names)[ST_NAME_MAX], uint32_t* n,
            uint32_t max)
{
  char what[32];
  snprintf(what, sizeof(what), "an %s name", noun);
  do {
    StToken  token;
    char     name[ST_NAME_MAX];
    StStatus st = st_parse_expect_name(p, what, &token, name);
    if (st || (st = st_parse_check_free(p, name, &token))) {
      return st;
    }
    if (*n == max) {
      return st_parse_fail(p, ST_ERR_FULL, token.column, "sub-patch '%s' has at most %u %ss",
                           p->def->name, max, noun);
    }
    memcpy(names[(*n)++], name, ST_NAME_MAX);
  } while (!st_lexer_at_end(&p->lex));
  return ST_OK;
}

StStatus
st_parse_inlet(StParser* p)
{
  return parse_ports(p, "inlet", p->def->inlets, &p->def->n_inlets, ST_SUBPATCH_MAX_INLETS);
}

StStatus
st_parse_outlet(StParser* p)
{
  return parse_ports(p, "outlet", p->def->outlets, &p->def->n_outlets, ST_SUBPATCH_MAX_OUTLETS);
}

/* --- param NAME NODE.PARAM --- */

StStatus
st_parse_param(StParser* p)
{
  StSubpatch* def = p->def;
  StToken     token;
  StEndpoint  e;
  char        name[ST_NAME_MAX];
  StStatus    st = st_parse_expect_name(p, "the name to expose the parameter as", &token, name);
  if (st) {
    return st;
  }
  for (uint32_t i = 0; i < def->n_exposed; ++i) {
    if (!strcmp(def->exposed[i].name, name)) {
      return st_parse_fail(p, ST_ERR_NAME, token.column, "sub-patch '%s' already exposes '%s'",
                           def->name, name);
    }
  }
  if (def->n_exposed == ST_SUBPATCH_MAX_PARAMS) {
    return st_parse_fail(p, ST_ERR_FULL, token.column,
                         "sub-patch '%s' exposes at most %d parameters", def->name,
                         ST_SUBPATCH_MAX_PARAMS);
  }
  if ((st = st_parse_expect_endpoint(p, ST_ITEM_PARAM, &e)) || (st = st_parse_expect_end(p))) {
    return st;
  }
  for (uint32_t i = 0; i < def->n_exposed; ++i) {
    if (def->exposed[i].node == e.node.index && def->exposed[i].param == e.index) {
      return st_parse_fail(p, ST_ERR_PARAM, e.node_token.column,
                           "%s.%s is already exposed as '%s'", e.slot->name, e.item,
                           def->exposed[i].name);
    }
  }
  StExposed* x = &def->exposed[def->n_exposed++];
  memcpy(x->name, name, ST_NAME_MAX);
  x->node  = e.node.index;
  x->param = e.index;
  return ST_OK;
}

/* --- link inside a definition --- */

/* One end of a link inside a definition: a node's port, or a bare inlet or outlet. */
typedef struct {
  StEndpoint at;    ///< The node's port, when `bare` is -1
  int        bare;  ///< Inlet (source) or outlet (destination) index, or -1
} BodyEnd;

/* True when a '.' follows, without reading it. */
static bool
dot_follows(StParser* p)
{
  const size_t pos = p->lex.pos;
  StToken      dot;
  const bool   found = st_lexer_punct(&p->lex, ".", &dot);
  p->lex.pos         = pos;
  return found;
}

/* A bare name that is not what this end may be: says what it is instead. */
static StStatus
fail_bare(StParser* p, const char* name, const StToken* token, bool source)
{
  StSubpatch* def = p->def;
  char        h[ST_PARSE_HINT_BYTES];
  if (st_arena_valid(&p->graph->arena, st_graph_find(p->graph, name))) {
    return st_parse_fail_expected(p, "'.' after the node name");
  }
  if (source && outlet_index(def, name) >= 0) {
    return st_parse_fail(p, ST_ERR_PORT, token->column,
                         "'%s' is an outlet: links go into it, not out of it", name);
  }
  if (!source && inlet_index(def, name) >= 0) {
    return st_parse_fail(p, ST_ERR_PORT, token->column,
                         "'%s' is an inlet: links go out of it, not into it", name);
  }
  if (source) {
    st_parse_hint(h, name, def, def->n_inlets, inlet_at);
  } else {
    st_parse_hint(h, name, def, def->n_outlets, outlet_at);
  }
  return st_parse_fail(p, ST_ERR_UNKNOWN, token->column, "sub-patch '%s' has no %s '%s'%s",
                       def->name, source ? "inlet" : "outlet", name, h);
}

/* Reads NODE.OUTPUT or INLET (`source`), NODE.INPUT or OUTLET. */
static StStatus
expect_body_end(StParser* p, bool source, BodyEnd* end)
{
  char     name[ST_NAME_MAX];
  StStatus st = st_parse_expect_name(
    p, source ? "a node or inlet name" : "a node or outlet name", &end->at.node_token, name);
  if (st) {
    return st;
  }
  end->bare = -1;
  if (dot_follows(p)) {
    return st_parse_endpoint_after(p, source ? ST_ITEM_OUTPUT : ST_ITEM_INPUT, name, &end->at);
  }
  end->bare = source ? inlet_index(p->def, name) : outlet_index(p->def, name);
  memcpy(end->at.item, name, ST_NAME_MAX);
  return end->bare >= 0 ? ST_OK : fail_bare(p, name, &end->at.node_token, source);
}

/* "node.output" or "inlet" of what feeds input `input` of body node `node`;
   false when nothing does. */
static bool
linked_from(const StSubpatch* def, uint32_t node, uint32_t input, char* out, size_t size)
{
  const StSource src = def->body->slots[node].src[input];
  if (src.node != ST_NO_NODE) {
    const StNodeSlot* s = &def->body->slots[src.node];
    snprintf(out, size, "%s.%s", s->name, s->type->outputs[src.port].name);
    return true;
  }
  for (uint32_t k = 0; k < def->n_inlet_links; ++k) {
    const StInletLink* l = &def->inlet_links[k];
    if (l->node == node && l->input == input) {
      snprintf(out, size, "%s", def->inlets[l->inlet]);
      return true;
    }
  }
  return false;
}

/* The text of a link end, for messages. */
static void
describe_end(const BodyEnd* end, char* out, size_t size)
{
  if (end->bare >= 0) {
    snprintf(out, size, "%s", end->at.item);
  } else {
    snprintf(out, size, "%s.%s", end->at.slot->name, end->at.item);
  }
}

/* Refuses a link into an input or outlet that is linked already. */
static StStatus
check_destination_free(StParser* p, const BodyEnd* src, const BodyEnd* dst)
{
  const StSubpatch* def = p->def;
  char              from[80], to[80], old[80];
  bool              taken;
  if (dst->bare >= 0) {
    const StSource s = def->outlet_src[dst->bare];
    taken            = s.node != ST_NO_NODE;
    if (taken) {
      const StNodeSlot* slot = &def->body->slots[s.node];
      snprintf(old, sizeof(old), "%s.%s", slot->name, slot->type->outputs[s.port].name);
    }
  } else {
    taken = linked_from(def, dst->at.node.index, dst->at.index, old, sizeof(old));
  }
  if (!taken) {
    return ST_OK;
  }
  describe_end(src, from, sizeof(from));
  describe_end(dst, to, sizeof(to));
  return st_parse_fail(p, ST_ERR_PORT, dst->at.node_token.column,
                       "cannot link %s -> %s: %s is already linked from %s", from, to, to, old);
}

/* link NODE.OUTPUT|INLET -> NODE.INPUT|OUTLET, inside a definition */
StStatus
st_parse_body_link(StParser* p)
{
  StSubpatch* def = p->def;
  BodyEnd     src, dst;
  StStatus    st = expect_body_end(p, true, &src);
  if (st || (st = st_parse_expect_punct(p, "->", "'->' after the link's source")) ||
      (st = expect_body_end(p, false, &dst)) || (st = st_parse_expect_end(p))) {
    return st;
  }
  if (src.bare >= 0 && dst.bare >= 0) {
    return st_parse_fail(p, ST_ERR_PORT, dst.at.node_token.column,
                         "an outlet takes a node's output, not an inlet");
  }
  if ((st = check_destination_free(p, &src, &dst))) {
    return st;
  }
  if (dst.bare >= 0) {
    def->outlet_src[dst.bare] = (StSource){src.at.node.index, src.at.index};
    return ST_OK;
  }
  if (src.bare < 0) {
    st = st_graph_connect(def->body, src.at.node, src.at.index, dst.at.node, dst.at.index);
    return st ? st_parse_fail(p, st, dst.at.node_token.column, "%s", st_graph_error(def->body))
              : ST_OK;
  }
  if (def->n_inlet_links == ST_SUBPATCH_MAX_INLET_LINKS) {
    return st_parse_fail(p, ST_ERR_FULL, dst.at.node_token.column,
                         "sub-patch '%s' holds at most %d links from inlets", def->name,
                         ST_SUBPATCH_MAX_INLET_LINKS);
  }
  def->inlet_links[def->n_inlet_links++] =
    (StInletLink){(uint32_t)src.bare, dst.at.node.index, dst.at.index};
  return ST_OK;
}

/* --- voices NAME DEF [PARAM=VALUE ...] --- */

/* The definition a voice group plays, or a failure. */
static StSubpatch*
find_group_def(StParser* p, const char* name, const StToken* token, StStatus* st)
{
  char        h[ST_PARSE_HINT_BYTES];
  StSubpatch* def = st_parse_find_def(p, name);
  if (def) {
    *st = ST_OK;
  } else if (p->types->find(name)) {
    *st = st_parse_fail(p, ST_ERR_UNKNOWN, token->column,
                        "'%s' is a node type, not a sub-patch: voices play a sub-patch", name);
  } else {
    st_parse_hint(h, name, p->library, p->library->count, st_library_name_at);
    *st = st_parse_fail(p, ST_ERR_UNKNOWN, token->column, "unknown sub-patch '%s'%s", name, h);
  }
  return def;
}

StStatus
st_parse_voices(StParser* p)
{
  StToken  name_token, def_token;
  char     name[ST_NAME_MAX], def_name[ST_NAME_MAX];
  StStatus st = st_parse_expect_name(p, "a voice group name", &name_token, name);
  if (st || (st = st_parse_check_free(p, name, &name_token)) ||
      (st = st_parse_expect_name(p, "a sub-patch name", &def_token, def_name))) {
    return st;
  }
  const StSubpatch* def = find_group_def(p, def_name, &def_token, &st);
  if (st) {
    return st;
  }
  for (uint32_t e = 0; e < def->n_exposed; ++e) {
    for (uint32_t g = 0; g < ST_GROUP_PARAMS; ++g) {
      if (!strcmp(def->exposed[e].name, st_voice_group_params[g].name)) {
        return st_parse_fail(
          p, ST_ERR_NAME, def_token.column,
          "sub-patch '%s' exposes '%s', which voice groups use for their own "
          "setting",
          def->name, def->exposed[e].name);
      }
    }
  }
  return st_parse_add_node(p, name, &name_token, &def->group);
}
