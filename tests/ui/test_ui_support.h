/* SPDX-License-Identifier: ISC */
/* What the editor model's tests share: a URID map, the plugin's side of
   the conversation (Acks, Errors, Puts forged as the plugin forges them),
   readers of the messages the model sends, and the presets' patch texts. */
#ifndef TEST_UI_SUPPORT_H
#define TEST_UI_SUPPORT_H

#include "forge.h"
#include "model.h"

#include <check.h>
#include <lv2/atom/forge.h>
#include <lv2/atom/util.h>
#include <lv2/urid/urid.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- URIDs: an array, URID i+1 is uris[i] --- */

static char*    test_uris[4096];
static uint32_t test_n_uris;

static inline LV2_URID
test_map_uri(LV2_URID_Map_Handle handle, const char* uri)
{
  (void)handle;
  for (uint32_t i = 0; i < test_n_uris; ++i) {
    if (!strcmp(test_uris[i], uri)) {
      return i + 1;
    }
  }
  ck_assert_uint_lt(test_n_uris, 4096);
  test_uris[test_n_uris++] = strdup(uri);
  return test_n_uris;
}

static inline const char*
test_unmap(LV2_URID urid)
{
  return urid >= 1 && urid <= test_n_uris ? test_uris[urid - 1] : "";
}

static LV2_URID_Map test_map = {NULL, test_map_uri};

static inline LV2_URID
urid(const char* uri)
{
  return test_map_uri(NULL, uri);
}

/* 7 canvas units a byte: a fixed-width font. */
static inline float
test_measure(void* data, const char* text, size_t length)
{
  (void)data;
  (void)text;
  return 7.0f * (float)length;
}

/* --- Messages the model sent --- */

#define OUT_SIZE (128 * 1024)

static uint64_t test_out_buf[OUT_SIZE / 8];
static StUiOut  test_out;

static inline StUiOut*
fresh_out(void)
{
  st_ui_out_init(&test_out, test_out_buf, sizeof(test_out_buf));
  return &test_out;
}

/* A second buffer, for what the model sends while it takes answers. */
static uint64_t test_answer_buf[OUT_SIZE / 8];
static StUiOut  test_answer;

static inline StUiOut*
answers_out(void)
{
  st_ui_out_init(&test_answer, test_answer_buf, sizeof(test_answer_buf));
  return &test_answer;
}

static inline const LV2_Atom_Object*
message(const StUiOut* out, size_t i)
{
  const LV2_Atom* a = st_ui_out_first(out);
  for (size_t k = 0; a && k < i; ++k) {
    a = st_ui_out_next(out, a);
  }
  ck_assert_msg(a != NULL, "no message %zu", i);
  ck_assert_uint_eq(a->type, urid(LV2_ATOM__Object));
  return (const LV2_Atom_Object*)(const void*)a;
}

static inline const char*
otype(const LV2_Atom_Object* o)
{
  return test_unmap(o->body.otype);
}

static inline const LV2_Atom*
prop(const LV2_Atom_Object* o, const char* key)
{
  const LV2_Atom* value = NULL;
  lv2_atom_object_get(o, urid(key), &value, 0);
  return value;
}

/* Number of properties of an object: nothing more is sent than a test checks. */
static inline int
n_props(const LV2_Atom_Object* o)
{
  int n = 0;
  LV2_ATOM_OBJECT_FOREACH (o, p) {
    ++n;
  }
  return n;
}

static inline const char*
prop_uri(const LV2_Atom_Object* o, const char* key)
{
  const LV2_Atom* a = prop(o, key);
  ck_assert_msg(a != NULL, "no %s", key);
  ck_assert_uint_eq(a->type, urid(LV2_ATOM__URID));
  return test_unmap(((const LV2_Atom_URID*)(const void*)a)->body);
}

static inline const char*
prop_string(const LV2_Atom_Object* o, const char* key)
{
  const LV2_Atom* a = prop(o, key);
  ck_assert_msg(a != NULL, "no %s", key);
  ck_assert_uint_eq(a->type, urid(LV2_ATOM__String));
  return (const char*)LV2_ATOM_BODY_CONST(a);
}

static inline float
prop_float(const LV2_Atom_Object* o, const char* key)
{
  const LV2_Atom* a = prop(o, key);
  ck_assert_msg(a != NULL, "no %s", key);
  ck_assert_uint_eq(a->type, urid(LV2_ATOM__Float));
  return ((const LV2_Atom_Float*)(const void*)a)->body;
}

static inline bool
prop_bool(const LV2_Atom_Object* o, const char* key)
{
  const LV2_Atom* a = prop(o, key);
  ck_assert_msg(a != NULL, "no %s", key);
  ck_assert_uint_eq(a->type, urid(LV2_ATOM__Bool));
  return ((const LV2_Atom_Bool*)(const void*)a)->body != 0;
}

static inline int32_t
prop_seq(const LV2_Atom_Object* o)
{
  const LV2_Atom* a = prop(o, LV2_PATCH__sequenceNumber);
  ck_assert_msg(a != NULL, "no sequence number");
  ck_assert_uint_eq(a->type, urid(LV2_ATOM__Int));
  return ((const LV2_Atom_Int*)(const void*)a)->body;
}

static inline const LV2_Atom_Object*
prop_object(const LV2_Atom_Object* o, const char* key)
{
  const LV2_Atom* a = prop(o, key);
  ck_assert_msg(a != NULL, "no %s", key);
  ck_assert_uint_eq(a->type, urid(LV2_ATOM__Object));
  return (const LV2_Atom_Object*)(const void*)a;
}

/* --- The plugin's answers --- */

static uint64_t test_in_buf[(256 * 1024) / 8];

typedef struct {
  LV2_Atom_Forge       forge;
  LV2_Atom_Forge_Frame frame;
} Reply;

static inline void
reply_begin(Reply* r, const char* type)
{
  lv2_atom_forge_init(&r->forge, &test_map);
  lv2_atom_forge_set_buffer(&r->forge, (uint8_t*)test_in_buf, sizeof(test_in_buf));
  lv2_atom_forge_object(&r->forge, &r->frame, 0, urid(type));
}

static inline unsigned
reply_end(Reply* r, StUiModel* m, StUiOut* out)
{
  lv2_atom_forge_pop(&r->forge, &r->frame);
  return st_ui_model_receive(m, (const LV2_Atom*)(const void*)test_in_buf, out);
}

static inline unsigned
send_ack(StUiModel* m, int32_t seq, StUiOut* out)
{
  Reply r;
  reply_begin(&r, LV2_PATCH__Ack);
  lv2_atom_forge_key(&r.forge, urid(LV2_PATCH__sequenceNumber));
  lv2_atom_forge_int(&r.forge, seq);
  return reply_end(&r, m, out);
}

static inline unsigned
send_error(StUiModel* m, int32_t seq, const char* text, StUiOut* out)
{
  Reply r;
  reply_begin(&r, LV2_PATCH__Error);
  lv2_atom_forge_key(&r.forge, urid(LV2_PATCH__sequenceNumber));
  lv2_atom_forge_int(&r.forge, seq);
  lv2_atom_forge_key(&r.forge, urid(STRATA__error));
  lv2_atom_forge_string(&r.forge, text, (uint32_t)strlen(text));
  return reply_end(&r, m, out);
}

static inline unsigned
send_put(StUiModel* m, const char* text, StUiOut* out)
{
  Reply                r;
  LV2_Atom_Forge_Frame body;
  reply_begin(&r, LV2_PATCH__Put);
  lv2_atom_forge_key(&r.forge, urid(LV2_PATCH__subject));
  lv2_atom_forge_urid(&r.forge, urid(STRATA_URI));
  lv2_atom_forge_key(&r.forge, urid(LV2_PATCH__body));
  lv2_atom_forge_object(&r.forge, &body, 0, 0);
  lv2_atom_forge_key(&r.forge, urid(STRATA__patch));
  lv2_atom_forge_string(&r.forge, text, (uint32_t)strlen(text));
  lv2_atom_forge_pop(&r.forge, &body);
  return reply_end(&r, m, out);
}

/* Acks every message in `sent`, in order, as the plugin would; answers go to `out`. */
static inline void
ack_all(StUiModel* m, const StUiOut* sent, StUiOut* out)
{
  const size_t n = st_ui_out_count(sent);
  for (size_t i = 0; i < n; ++i) {
    send_ack(m, prop_seq(message(sent, i)), out);
  }
}

/* --- Patches --- */

/* The patch text of a preset file in presets/ (malloc'd). */
static inline char*
preset_patch(const char* file)
{
  char path[512];
  snprintf(path, sizeof(path), "%s/presets/%s", ST_SOURCE_ROOT, file);
  FILE* f = fopen(path, "rb");
  ck_assert_msg(f != NULL, "cannot open %s", path);
  static char  ttl[1 << 16];
  const size_t n = fread(ttl, 1, sizeof(ttl) - 1, f);
  fclose(f);
  ttl[n]            = '\0';
  const char* start = strstr(ttl, "strata:patch \"\"\"");
  ck_assert_ptr_nonnull(start);
  start += strlen("strata:patch \"\"\"");
  const char* end = strstr(start, "\"\"\"");
  ck_assert_ptr_nonnull(end);
  char*  text = malloc((size_t)(end - start) + 1);
  size_t k    = 0;
  for (const char* s = start; s < end; ++s) {
    if (*s == '\\' && s + 1 < end) {
      ++s;  // Turtle escapes in the long string: \" and \\ .
    }
    text[k++] = *s;
  }
  text[k] = '\0';
  return text;
}

/* A model holding `text` as the plugin's announced patch. */
static inline StUiModel*
model_with(const char* text)
{
  StUiModel* m = st_ui_model_new(&test_map, test_measure, NULL);
  ck_assert_ptr_nonnull(m);
  ck_assert_uint_eq(send_put(m, text, fresh_out()) & ST_UI_CHANGED_PATCH, ST_UI_CHANGED_PATCH);
  return m;
}

/* The mirror's patch text (the engine writer's), in a static buffer. */
static inline const char*
mirror_text(const StUiModel* m)
{
  static char buf[1 << 16];
  char*       text = st_ui_mirror_text(m->mirror);
  ck_assert_ptr_nonnull(text);
  snprintf(buf, sizeof(buf), "%s", text);
  free(text);
  return buf;
}

static inline int
node_index(const StUiModel* m, const char* name)
{
  const int i = st_ui_mirror_find(m->mirror, name);
  ck_assert_msg(i >= 0, "no node %s", name);
  return i;
}

static inline int
run_suite(Suite* s)
{
  SRunner* r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? 1 : 0;
}

#endif
