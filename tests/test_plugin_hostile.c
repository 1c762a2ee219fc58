/* SPDX-License-Identifier: ISC */
/* A hostile host and a hostile user: atoms that end before their body,
   notify ports that are small or flooded, patch files that are FIFOs,
   directories, devices or still growing, restores every block, ports left
   unconnected, swaps never delivered, odd sample rates and options. Each
   case gets a clear answer (or none where none is due) and nothing blocks,
   leaks, clicks or writes where it must not. */
#include "plugin_exchange.h"

#include <check.h>
#include <lv2/atom/forge.h>
#include <lv2/atom/util.h>
#include <lv2/options/options.h>
#include <lv2/parameters/parameters.h>
#include <lv2/patch/patch.h>
#include <lv2/presets/presets.h>
#include <lv2/state/state.h>
#include <lv2/time/time.h>

#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK 64

/* --- Helpers --- */

static void
render_blocks(PhHost* host, uint32_t blocks)
{
  ph_render(host, blocks * BLOCK, BLOCK, NULL, NULL);
}

/* Replies carrying this sequence number. */
static uint32_t
count_seq(const PhHost* host, int32_t seq)
{
  uint32_t n = 0;
  for (uint32_t i = 0; i < ph_reply_count(host); ++i) {
    const PhReply* r = ph_reply_at(host, i);
    n += r->has_seq && r->seq == seq;
  }
  return n;
}

/* The one reply with this number (failing when there is not exactly one). */
static const PhReply*
only_reply(const PhHost* host, int32_t seq)
{
  ck_assert_msg(count_seq(host, seq) == 1, "message %d got %u answers", seq,
                count_seq(host, seq));
  return ph_reply(host, seq);
}

static void
expect_error(const PhHost* host, int32_t seq, const char* text)
{
  const PhReply* r = only_reply(host, seq);
  ck_assert_msg(ph_is_error(r), "message %d was not refused", seq);
  ck_assert_msg(r->message && strstr(r->message, text), "error '%s' does not say '%s'",
                r->message ? r->message : "", text);
}

/* A fresh directory for this test's files, under the working directory. */
static char work_dir[64];

static void
make_work_dir(void)
{
  snprintf(work_dir, sizeof(work_dir), "strata-hostile-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(work_dir));
}

static void
in_work_dir(char* path, size_t size, const char* name)
{
  char cwd[1024];
  ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
  snprintf(path, size, "%s/%s/%s", cwd, work_dir, name);
}

static void
write_file(const char* path, const char* text)
{
  FILE* f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  fclose(f);
}

/* A patch of `n` const nodes with names of equal length. */
static char*
const_patch(uint32_t n)
{
  const size_t size = 32u * n + 1u;
  char*        text = malloc(size);
  size_t       at   = 0;
  ck_assert_ptr_nonnull(text);
  text[0] = '\0';
  for (uint32_t i = 0; i < n; ++i) {
    at += (size_t)snprintf(text + at, size - at, "node n%05u const\n", i);
  }
  return text;
}

/* Loads `text` through a patch file; the file load must be acked. */
static void
load_text(PhHost* host, const char* text, int32_t seq)
{
  char path[1200];
  in_work_dir(path, sizeof(path), "big.strata");
  write_file(path, text);
  ph_msg_load(host, seq, path);
  render_blocks(host, 4);
  const PhReply* r = only_reply(host, seq);
  ck_assert_msg(ph_is_ack(r), "load: %s", r->message ? r->message : "");
  unlink(path);
}

/* The patch text a patch:Get answers, or NULL when it was refused. */
static char*
get_text(PhHost* host, int32_t seq)
{
  ph_msg_get(host, seq);
  render_blocks(host, 4);
  const PhReply* r = only_reply(host, seq);
  return r->patch ? strdup(r->patch) : NULL;
}

/* --- Every atom run() reads is size-checked --- */

/* Leaves 777 in the control buffer beyond where the next sequence ends: a
   reader that goes past the end of an empty atom finds it. */
static void
stain_control_buffer(PhHost* host)
{
  uint32_t words[2 + 2 + 256];
  memset(words, 0, sizeof(words));
  words[2] = 256 * sizeof(uint32_t);
  words[3] = ph_urid("urn:strata:test:filler");
  for (uint32_t i = 4; i < 4 + 256; ++i) {
    words[i] = 777;
  }
  ph_send_raw(host, words, sizeof(words));
  ph_run(host, BLOCK);
  ph_clear_replies(host);
}

/* A patch:Get whose patch:sequenceNumber is an atom:Int of size 0, the last
   bytes of the control sequence: the number is absent, not read past the end. */
START_TEST(test_empty_sequence_number)
{
  PhHost* host = ph_new(&(PhConfig){.no_worker = true});
  ck_assert_ptr_nonnull(host);
  stain_control_buffer(host);
  const uint32_t words[] = {0, 0, 24, ph_urid(LV2_ATOM__Object), 0, ph_urid(LV2_PATCH__Get),
                            ph_urid(LV2_PATCH__sequenceNumber), 0, 0, ph_urid(LV2_ATOM__Int)};
  ph_send_raw(host, words, sizeof(words));
  ph_run(host, BLOCK);
  ck_assert_uint_eq(ph_reply_count(host), 1);
  const PhReply* r = ph_reply_at(host, 0);
  ck_assert(ph_is_error(r));
  ck_assert_msg(!r->has_seq, "a number was read past the end of the atom: %d", r->seq);
  ph_free(host);
}
END_TEST

/* A patch:Set of macro1 whose atom:Float value is empty, at the end of the
   sequence: refused (macros are ports), never applied from stale bytes. */
START_TEST(test_empty_macro_value)
{
  PhHost* host = ph_new(NULL);
  ck_assert_ptr_nonnull(host);
  stain_control_buffer(host);
  const uint32_t words[] = {0, 0, 56, ph_urid(LV2_ATOM__Object), 0, ph_urid(LV2_PATCH__Set),
                            ph_urid(LV2_PATCH__sequenceNumber), 0, 4, ph_urid(LV2_ATOM__Int),
                            5, 0,
                            ph_urid(LV2_PATCH__property), 0, 4, ph_urid(LV2_ATOM__URID),
                            ph_urid(STRATA__macro "1"), 0,
                            ph_urid(LV2_PATCH__value), 0, 0, ph_urid(LV2_ATOM__Float)};
  ph_send_raw(host, words, sizeof(words));
  ph_run(host, BLOCK);
  render_blocks(host, 2);
  expect_error(host, 5, "control ports");
  ph_free(host);
}
END_TEST

/* --- Replies never wedge and are never lost --- */

static const uint32_t notify_sizes[] = {8192, 32768, 65536};

/* Bytes of the patch:Put of a text of `length` characters, as it is written
   on notify: event time, object, sequence number, subject, body object and
   its string. */
static uint32_t
put_bytes(size_t length)
{
  return 8 + 16 + 24 + 24 + 8 + 16 + 16 + (uint32_t)((length + 1 + 7) & ~(size_t)7);
}

/* Patches whose Put nearly fills the notify port, one node more each time,
   until one can no longer fit: each Get gets exactly one answer (the text,
   or an error saying it does not fit), and replies keep flowing after. */
START_TEST(test_get_near_notify_capacity)
{
  const uint32_t capacity = notify_sizes[_i];
  PhHost*        host     = ph_new(&(PhConfig){.notify_bytes = capacity});
  ck_assert_ptr_nonnull(host);
  make_work_dir();
  // What one node adds to the written text.
  char* one = const_patch(1);
  char* two = const_patch(2);
  load_text(host, one, 1);
  char* t1 = get_text(host, 2);
  load_text(host, two, 3);
  char* t2 = get_text(host, 4);
  ck_assert(t1 && t2);
  const size_t line = strlen(t2) - strlen(t1);
  const size_t head = strlen(t1) - line;
  // The sequence (16 bytes) inside atom.size = capacity - 8 holds the Put.
  const uint32_t room  = capacity - 8 - 16;
  uint32_t       n     = (uint32_t)((room - 900 - head) / line);
  int32_t        seq   = 10;
  size_t         sent  = 0;
  bool           refused = false;
  while (!refused) {
    char* text = const_patch(n);
    load_text(host, text, seq++);
    free(text);
    const int32_t  get = seq++;
    ph_msg_get(host, get);
    render_blocks(host, 4);
    const PhReply* r = only_reply(host, get);
    if (r->type == ph_urid(LV2_PATCH__Put)) {
      ck_assert_uint_le(put_bytes(strlen(r->patch)), room);
      sent = strlen(r->patch);
    } else {
      expect_error(host, get, "does not fit the host's notify buffer");
      ck_assert_uint_gt(put_bytes(head + line * n), room);
      refused = true;
    }
    ph_clear_replies(host);
    ++n;
  }
  // The largest text sent is within one node line of the exact limit.
  ck_assert_uint_gt(put_bytes(sent + line), room);
  // Later replies flow.
  load_text(host, one, seq++);
  char* again = get_text(host, seq++);
  ck_assert_str_eq(again, t1);
  free(again);
  free(one);
  free(two);
  free(t1);
  free(t2);
  rmdir(work_dir);
  ph_free(host);
}
END_TEST

/* Renders until the plugin has been quiet for a while (bounded). */
static void
drain(PhHost* host)
{
  uint32_t quiet = 0;
  for (uint32_t b = 0; b < 4000 && quiet < 8; ++b) {
    const uint32_t before = ph_reply_count(host);
    ph_run(host, BLOCK);
    quiet = ph_reply_count(host) == before ? quiet + 1 : 0;
  }
}

/* Every message of a storm gets exactly one answer carrying its number:
   its reply, or an explicit busy refusal. */
static void
expect_one_answer_each(const PhHost* host, int32_t first, int32_t last, const char* what,
                       uint32_t* answered, uint32_t* busy)
{
  *answered = 0;
  *busy     = 0;
  for (int32_t s = first; s <= last; ++s) {
    const PhReply* r = only_reply(host, s);
    if (ph_is_error(r)) {
      ck_assert_msg(r->message && strstr(r->message, "busy"), "%s %d: %s", what, s,
                    r->message ? r->message : "");
      ++*busy;
    } else {
      ++*answered;
    }
  }
  for (uint32_t i = 0; i < ph_reply_count(host); ++i) {
    const PhReply* r = ph_reply_at(host, i);
    ck_assert_msg(!(ph_is_error(r) && !r->has_seq), "an error without a number: %s",
                  r->message ? r->message : "");
  }
}

#define GET_STORM  1100 ///< patch:Get messages in one block (what 64 KiB of control holds)
#define EDIT_STORM 400  ///< patch:Set messages per block

START_TEST(test_get_storm)
{
  PhHost* host = ph_new(&(PhConfig){.notify_bytes = notify_sizes[_i]});
  ck_assert_ptr_nonnull(host);
  for (int32_t s = 1; s <= GET_STORM; ++s) {
    ph_msg_get(host, s);
  }
  drain(host);
  uint32_t puts = 0;
  uint32_t busy = 0;
  expect_one_answer_each(host, 1, GET_STORM, "get", &puts, &busy);
  ck_assert_uint_gt(puts, 0);
  fprintf(stderr, "notify %u bytes: %u Gets answered with the patch, %u refused busy\n",
          notify_sizes[_i], puts, busy);
  ph_clear_replies(host);
  ph_msg_get(host, 5000);
  render_blocks(host, 4);
  ck_assert(only_reply(host, 5000)->patch != NULL);
  ph_free(host);
}
END_TEST

START_TEST(test_edit_storm)
{
  PhHost* host = ph_new(&(PhConfig){.notify_bytes = notify_sizes[_i]});
  ck_assert_ptr_nonnull(host);
  int32_t seq = 1;
  for (uint32_t b = 0; b < 8; ++b) {
    for (uint32_t k = 0; k < EDIT_STORM; ++k, ++seq) {
      ph_msg_set_param(host, seq, "vcf", "cutoff", 500.0f + (float)(seq % 1000));
    }
    ph_run(host, BLOCK);
  }
  drain(host);
  uint32_t acks = 0;
  uint32_t busy = 0;
  expect_one_answer_each(host, 1, seq - 1, "set", &acks, &busy);
  fprintf(stderr, "notify %u bytes: %u edits acked, %u refused busy\n", notify_sizes[_i], acks,
          busy);
  ph_free(host);
}
END_TEST

/* A host whose worker cannot hand any answer back (its response queue
   takes 256 bytes): each message still gets an answer with its number. */
START_TEST(test_worker_cannot_respond)
{
  PhHost* host = ph_new(&(PhConfig){.worker_capacity = 256});
  ck_assert_ptr_nonnull(host);
  ph_msg_set_param(host, 1, "vcf", "cutoff", 1200.0f);
  ph_msg_get(host, 2);
  drain(host);
  expect_error(host, 1, "the host's worker could not hand this answer back");
  ck_assert(only_reply(host, 2) != NULL);
  ph_free(host);
}
END_TEST

/* --- Loading a file never blocks --- */

static PhHost* victim;

static void
file_setup(void)
{
  victim = ph_new(NULL);
  ck_assert_ptr_nonnull(victim);
  make_work_dir();
}

static void
file_teardown(void)
{
  ph_free(victim);
  rmdir(work_dir);
}

/* Refused with `text` on notify and in the host's log; the patch is kept. */
static void
expect_file_refused(int32_t seq, const char* path, const char* text)
{
  char* before = get_text(victim, 1);
  ph_msg_load(victim, seq, path);
  render_blocks(victim, 4);
  expect_error(victim, seq, text);
  ck_assert_msg(strstr(ph_last_log(victim), text), "log '%s' does not say '%s'",
                ph_last_log(victim), text);
  ph_clear_replies(victim);
  char* after = get_text(victim, 2);
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
}

typedef struct {
  const char* path;
  int         fd;
} Writer;

/* Opens the FIFO for writing, which blocks until a reader opens it, and
   closes it at once: a reader that opened it blocking then reads an empty
   file instead of waiting forever. */
static void*
open_for_writing(void* data)
{
  Writer* w = data;
  w->fd     = open(w->path, O_WRONLY);
  if (w->fd >= 0) {
    close(w->fd);
  }
  return NULL;
}

/* A FIFO without a writer, which blocks a plain open() forever. */
START_TEST(test_fifo)
{
  char path[1200];
  in_work_dir(path, sizeof(path), "pipe.strata");
  ck_assert_int_eq(mkfifo(path, 0600), 0);
  // A writer waiting in open(): a blocking reader would be let through it
  // and read an empty patch; the plugin must refuse the FIFO as it is.
  Writer    w = {path, -1};
  pthread_t writer;
  pthread_create(&writer, NULL, open_for_writing, &w);
  expect_file_refused(20, path, "a FIFO, not a regular file");
  const int release = open(path, O_RDONLY | O_NONBLOCK); // Lets the writer's open() return.
  pthread_join(writer, NULL);
  close(release);
  unlink(path);
}
END_TEST

START_TEST(test_directory)
{
  char path[1200];
  in_work_dir(path, sizeof(path), "");
  expect_file_refused(21, path, "a directory, not a regular file");
}
END_TEST

START_TEST(test_device)
{
  expect_file_refused(22, "/dev/zero", "a character device, not a regular file");
}
END_TEST

START_TEST(test_file_over_limit)
{
  char path[1200];
  in_work_dir(path, sizeof(path), "huge.strata");
  FILE* f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  for (int i = 0; i < 70000; ++i) {
    fputs("# a comment line\n", f); // 17 bytes: 1.1 MiB in all
  }
  fclose(f);
  expect_file_refused(23, path, "is larger than the 1 MiB limit");
  unlink(path);
}
END_TEST

typedef struct {
  const char* path;
  atomic_bool stop;
} Grower;

static void*
grow(void* data)
{
  Grower* g = data;
  FILE*   f = fopen(g->path, "a");
  while (f && !atomic_load(&g->stop)) {
    fputs("garbage that is not patch text\n", f);
    fflush(f);
  }
  if (f) {
    fclose(f);
  }
  return NULL;
}

/* A file that grows while it is read (a second thread appends): refused
   (beyond the limit, or as text that is not a patch), and the read ends. */
START_TEST(test_growing_file)
{
  char path[1200];
  in_work_dir(path, sizeof(path), "growing.strata");
  write_file(path, "garbage that is not patch text\n");
  Grower    g = {path, false};
  pthread_t thread;
  pthread_create(&thread, NULL, grow, &g);
  char* before = get_text(victim, 1);
  ph_msg_load(victim, 24, path);
  render_blocks(victim, 4);
  atomic_store(&g.stop, true);
  pthread_join(thread, NULL);
  const PhReply* r = only_reply(victim, 24);
  ck_assert(ph_is_error(r));
  ck_assert_msg(strstr(r->message, "grew beyond the size limit") ||
                  strstr(r->message, "growing.strata:1:1:") ||
                  strstr(r->message, "larger than the 1 MiB limit"),
                "%s", r->message);
  ph_clear_replies(victim);
  char* after = get_text(victim, 2);
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
  unlink(path);
}
END_TEST

/* --- Errors reach the user: the log, with file, line and column --- */

START_TEST(test_file_error_in_log)
{
  char path[1200];
  in_work_dir(path, sizeof(path), "mypatch.strata");
  write_file(path, "node osc osc\n"
                   "node vcf svf\n"
                   "node lp  svf cutof=100\n");
  expect_file_refused(25, path, "mypatch.strata:3:14: ");
  ck_assert_msg(strstr(ph_last_log(victim), "'cutof' (did you mean 'cutoff'?)"), "%s",
                ph_last_log(victim));
  unlink(path);
}
END_TEST

START_TEST(test_refused_edit_in_log)
{
  ph_msg_add(victim, 26, "x", "oscilator", 0, NULL, NULL);
  render_blocks(victim, 4);
  expect_error(victim, 26, "unknown node type 'oscilator'");
  ck_assert_msg(strstr(ph_last_log(victim), "add node 'x': unknown node type 'oscilator'"),
                "log: '%s'", ph_last_log(victim));
}
END_TEST

/* --- Announcements: the new patch after a restore, preset or file --- */

static const char patch_a[] = "node osc osc wave=sine freq=110\n"
                              "node amp vca gain=0.5\n"
                              "link osc.out -> amp.in\n"
                              "link amp.out -> out.left\n"
                              "link amp.out -> out.right\n";
static const char patch_b[] = "node osc osc wave=sine freq=173\n"
                              "node amp vca gain=0.5\n"
                              "link osc.out -> amp.in\n"
                              "link amp.out -> out.left\n"
                              "link amp.out -> out.right\n";

static LilvState*
state_of(const char* text)
{
  char ttl[4096];
  char escaped[2048];
  size_t at = 0;
  for (const char* c = text; *c && at + 3 < sizeof(escaped); ++c) {
    if (*c == '\n') {
      escaped[at++] = '\\';
      escaped[at++] = 'n';
    } else {
      escaped[at++] = *c;
    }
  }
  escaped[at] = '\0';
  snprintf(ttl, sizeof(ttl),
           "@prefix state: <http://lv2plug.in/ns/ext/state#> .\n"
           "@prefix lv2: <http://lv2plug.in/ns/lv2core#> .\n"
           "@prefix pset: <http://lv2plug.in/ns/ext/presets#> .\n"
           "<urn:strata:test:state> a pset:Preset ;\n"
           "  lv2:appliesTo <urn:strata:modular> ;\n"
           "  state:state [ <urn:strata:modular#patch> \"%s\" ] .\n",
           escaped);
  LilvState* state = lilv_state_new_from_string(ph_world(), ph_map(), ttl);
  ck_assert_ptr_nonnull(state);
  return state;
}

/* The one announcement since the last clear, which must have come. */
static const char*
announced(const PhHost* host)
{
  const char* text = ph_announcement(host);
  ck_assert_msg(text != NULL, "the new patch was not announced");
  return text;
}

START_TEST(test_announce_after_restore)
{
  const bool through_worker = _i;
  PhHost*    host           = ph_new(NULL);
  ck_assert_ptr_nonnull(host);
  LilvState* state = state_of(patch_a);
  ph_restore(host, state, through_worker);
  lilv_state_free(state);
  render_blocks(host, 4);
  char* text = strdup(announced(host));
  ph_clear_replies(host);
  char* got = get_text(host, 1);
  ck_assert_str_eq(text, got);
  ck_assert_msg(strstr(got, "freq=110"), "%s", got);
  free(text);
  free(got);
  ph_free(host);
}
END_TEST

START_TEST(test_announce_after_preset)
{
  PhHost* host = ph_new(NULL);
  ck_assert_ptr_nonnull(host);
  LilvNode*  preset  = lilv_new_uri(ph_world(), LV2_PRESETS__Preset);
  LilvNodes* presets = lilv_plugin_get_related(ph_plugin(), preset);
  ck_assert_uint_gt(lilv_nodes_size(presets), 0);
  const LilvNode* first = lilv_nodes_get(presets, lilv_nodes_begin(presets));
  lilv_world_load_resource(ph_world(), first);
  ck_assert(ph_load_preset(host, lilv_node_as_uri(first), true));
  render_blocks(host, 4);
  char* text = strdup(announced(host));
  ph_clear_replies(host);
  char* got = get_text(host, 1);
  ck_assert_str_eq(text, got);
  free(text);
  free(got);
  lilv_nodes_free(presets);
  lilv_node_free(preset);
  ph_free(host);
}
END_TEST

START_TEST(test_announce_after_file_and_replace)
{
  char path[1200];
  in_work_dir(path, sizeof(path), "b.strata");
  write_file(path, patch_b);
  ph_msg_load(victim, 30, path);
  render_blocks(victim, 4);
  ck_assert(ph_is_ack(only_reply(victim, 30)));
  ck_assert_msg(strstr(announced(victim), "freq=173"), "%s", announced(victim));
  ph_clear_replies(victim);
  ph_msg_replace(victim, 31, patch_a);
  render_blocks(victim, 4);
  ck_assert(ph_is_ack(only_reply(victim, 31)));
  ck_assert_msg(strstr(announced(victim), "freq=110"), "%s", announced(victim));
  unlink(path);
}
END_TEST

/* --- time:Position is accepted silently --- */

START_TEST(test_time_position_silent)
{
  PhHost* host = ph_new(NULL);
  ck_assert_ptr_nonnull(host);
  for (uint32_t b = 0; b < 4; ++b) {
    LV2_Atom_Forge*      f = ph_build(host);
    LV2_Atom_Forge_Frame frame;
    lv2_atom_forge_object(f, &frame, 0, ph_urid(LV2_TIME__Position));
    lv2_atom_forge_key(f, ph_urid(LV2_TIME__speed));
    lv2_atom_forge_float(f, 1.0f);
    lv2_atom_forge_key(f, ph_urid(LV2_TIME__bar));
    lv2_atom_forge_long(f, b);
    lv2_atom_forge_key(f, ph_urid(LV2_TIME__beatsPerMinute));
    lv2_atom_forge_float(f, 120.0f);
    lv2_atom_forge_pop(f, &frame);
    ph_send_built(host, 0);
    ph_run(host, BLOCK);
  }
  render_blocks(host, 4);
  ck_assert_uint_eq(ph_reply_count(host), 0);
  ph_free(host);
}
END_TEST

/* --- Fast restores do not click --- */

#define RESTORES 200

/* Largest difference between neighbouring samples. */
static float
max_step(const float* x, uint32_t n)
{
  float step = 0.0f;
  for (uint32_t i = 1; i < n; ++i) {
    step = fmaxf(step, fabsf(x[i] - x[i - 1]));
  }
  return step;
}

/* Two sines of amplitude 0.5 at 110 and 173 Hz: on their own they move at
   most 0.012 a sample at 48 kHz; a hard switch between them jumps up to 1. */
#define STEP_LIMIT 0.05f

START_TEST(test_restore_every_block)
{
  const uint32_t kind = (uint32_t)_i; // 0 restore, 1 restore through the worker, 2 messages
  PhHost*        host = ph_new(NULL);
  ck_assert_ptr_nonnull(host);
  LilvState* a = state_of(patch_a);
  LilvState* b = state_of(patch_b);
  ph_restore(host, a, true);
  render_blocks(host, 64);
  static float out[RESTORES * BLOCK];
  for (uint32_t i = 0; i < RESTORES; ++i) {
    if (kind == 2) {
      ph_msg_replace(host, (int32_t)i, i % 2 ? patch_a : patch_b);
    } else {
      ph_restore(host, i % 2 ? a : b, kind == 1);
    }
    ph_render(host, BLOCK, BLOCK, out + i * BLOCK, NULL);
  }
  // The patches did change: the output is not the first patch alone.
  static float only_a[RESTORES * BLOCK];
  PhHost*      ref = ph_new(NULL);
  ph_restore(ref, a, true);
  render_blocks(ref, 64);
  ph_render(ref, RESTORES * BLOCK, BLOCK, only_a, NULL);
  ck_assert(memcmp(out, only_a, sizeof(out)) != 0);
  ph_free(ref);
  const float step = max_step(out, RESTORES * BLOCK);
  fprintf(stderr, "restores every %u frames (%s): largest step %.4f, peak %.3f\n", BLOCK,
          kind == 2 ? "patch messages" : kind ? "through the worker" : "restore()", (double)step,
          (double)ph_peak(out, RESTORES * BLOCK));
  ck_assert(ph_finite(out, RESTORES * BLOCK));
  ck_assert_msg(step < STEP_LIMIT, "a step of %f between samples", (double)step);
  lilv_state_free(a);
  lilv_state_free(b);
  ph_free(host);
}
END_TEST

/* --- Host misuse --- */

START_TEST(test_null_output_skipped)
{
  PhHost* host = ph_new(NULL);
  ck_assert_ptr_nonnull(host);
  static float left[4096];
  ph_unplug_output(host, 1, true); // The host disconnected the right output.
  for (uint32_t frames = 1; frames <= 4096; frames *= 4) {
    ph_render(host, frames, frames, left, NULL);
    ck_assert(ph_finite(left, frames));
  }
  ph_unplug_output(host, 0, true); // Now both.
  ph_render(host, 1000, 1000, NULL, NULL);
  ph_free(host);
}
END_TEST

/* restore() queued a swap through work:schedule, but the host never runs
   the work: cleanup frees the graph (a leak LeakSanitizer reports in the
   sanitizer run otherwise). */
START_TEST(test_undelivered_swap_freed)
{
  for (int round = 0; round < 3; ++round) {
    PhHost* host = ph_new(NULL);
    ck_assert_ptr_nonnull(host);
    LilvState* a = state_of(patch_a);
    LilvState* b = state_of(patch_b);
    ck_assert_uint_eq(ph_restore_undelivered(host, a), 1);
    ck_assert_uint_eq(ph_restore_undelivered(host, b), 1); // Replaces the first, undelivered.
    lilv_state_free(a);
    lilv_state_free(b);
    ph_free(host);
  }
}
END_TEST

START_TEST(test_sample_rate_bounds)
{
  static const double rates[] = {-48000.0, 100.0, 7999.0, 768001.0, 3e8, NAN};
  const PhConfig      config  = {.rate = rates[_i]};
  char                why[512];
  ck_assert_ptr_null(ph_new_why(&config, why, sizeof(why)));
  ck_assert_msg(strstr(why, "Strata runs at 8000 to 768000 Hz"), "why: %s", why);
  // A rate of 0, as the host's sampleRate option (the test host reads 0 as "default").
  static const float  zero    = 0.0f;
  LV2_Options_Option  opts[]  = {
    {LV2_OPTIONS_INSTANCE, 0, ph_urid(LV2_PARAMETERS__sampleRate), sizeof(float),
     ph_urid(LV2_ATOM__Float), &zero},
    {LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, NULL},
  };
  const LV2_Feature  options = {LV2_OPTIONS__options, opts};
  const PhConfig     by_opt  = {.no_options = true, .extra_feature = &options};
  ck_assert_ptr_null(ph_new_why(&by_opt, why, sizeof(why)));
  ck_assert_msg(strstr(why, "Strata runs at 8000 to 768000 Hz"), "why: %s", why);
}
END_TEST

START_TEST(test_options_wrong_type)
{
  // A sample rate option given as an Int (and one with a NULL value).
  static const int32_t rate  = 44100;
  LV2_Options_Option   opts[] = {
    {LV2_OPTIONS_INSTANCE, 0, ph_urid(LV2_PARAMETERS__sampleRate), sizeof(int32_t),
     ph_urid(LV2_ATOM__Int), &rate},
    {LV2_OPTIONS_INSTANCE, 0, ph_urid(LV2_PARAMETERS__sampleRate), sizeof(float),
     ph_urid(LV2_ATOM__Float), NULL},
    {LV2_OPTIONS_INSTANCE, 0, 0, 0, 0, NULL},
  };
  const LV2_Feature options = {LV2_OPTIONS__options, opts};
  const PhConfig    config  = {.no_options = true, .extra_feature = &options};
  PhHost*           host    = ph_new(&config);
  ck_assert_ptr_nonnull(host); // The rate passed to instantiate stands.
  ck_assert_msg(strstr(ph_last_log(host), "ignored: wrong type, size or value"), "log: %s",
                ph_last_log(host));
  ph_free(host);
}
END_TEST

/* --- What hosts are told --- */

START_TEST(test_metadata)
{
  LilvWorld*        w = ph_world();
  const LilvPlugin* p = ph_plugin();
  LilvNode*         author = lilv_plugin_get_author_name(p);
  ck_assert_ptr_nonnull(author);
  ck_assert_str_eq(lilv_node_as_string(author), "Strata");
  lilv_node_free(author);
  LilvNode* project = lilv_plugin_get_project(p);
  ck_assert_ptr_nonnull(project);
  lilv_node_free(project);
  // Hosts are offered the patch file only: no macroN copies of the ports,
  // and not the patch text.
  LilvNode*  writable = lilv_new_uri(w, LV2_PATCH__writable);
  LilvNode*  readable = lilv_new_uri(w, LV2_PATCH__readable);
  LilvNodes* ws       = lilv_world_find_nodes(w, lilv_plugin_get_uri(p), writable, NULL);
  LilvNodes* rs       = lilv_world_find_nodes(w, lilv_plugin_get_uri(p), readable, NULL);
  ck_assert_uint_eq(lilv_nodes_size(ws), 1);
  ck_assert_str_eq(lilv_node_as_uri(lilv_nodes_get(ws, lilv_nodes_begin(ws))),
                   STRATA__patchFile);
  ck_assert_uint_eq(lilv_nodes_size(rs), 0);
  LilvNode* file  = lilv_new_uri(w, STRATA__patchFile);
  LilvNode* types = lilv_new_uri(w, "http://moddevices.com/ns/mod#fileTypes");
  LilvNode* what  = lilv_world_get(w, file, types, NULL);
  ck_assert_ptr_nonnull(what);
  ck_assert_str_eq(lilv_node_as_string(what), "strata");
  lilv_node_free(what);
  lilv_node_free(types);
  lilv_node_free(file);
  lilv_nodes_free(ws);
  lilv_nodes_free(rs);
  lilv_node_free(writable);
  lilv_node_free(readable);
}
END_TEST

int
main(void)
{
  Suite* s     = suite_create("plugin_hostile");
  TCase* atoms = tcase_create("atoms");
  tcase_add_test(atoms, test_empty_sequence_number);
  tcase_add_test(atoms, test_empty_macro_value);
  tcase_add_test(atoms, test_time_position_silent);
  suite_add_tcase(s, atoms);

  TCase* replies = tcase_create("replies");
  tcase_add_loop_test(replies, test_get_near_notify_capacity, 0, 3);
  tcase_add_loop_test(replies, test_get_storm, 0, 3);
  tcase_add_loop_test(replies, test_edit_storm, 0, 3);
  tcase_add_test(replies, test_worker_cannot_respond);
  suite_add_tcase(s, replies);

  TCase* files = tcase_create("files");
  tcase_add_checked_fixture(files, file_setup, file_teardown);
  tcase_add_test(files, test_fifo);
  tcase_add_test(files, test_directory);
  tcase_add_test(files, test_device);
  tcase_add_test(files, test_file_over_limit);
  tcase_add_test(files, test_growing_file);
  tcase_add_test(files, test_file_error_in_log);
  tcase_add_test(files, test_refused_edit_in_log);
  tcase_add_test(files, test_announce_after_file_and_replace);
  suite_add_tcase(s, files);

  TCase* restores = tcase_create("restores");
  tcase_add_loop_test(restores, test_announce_after_restore, 0, 2);
  tcase_add_test(restores, test_announce_after_preset);
  tcase_add_loop_test(restores, test_restore_every_block, 0, 3);
  suite_add_tcase(s, restores);

  TCase* host = tcase_create("host");
  tcase_add_test(host, test_null_output_skipped);
  tcase_add_test(host, test_undelivered_swap_freed);
  tcase_add_loop_test(host, test_sample_rate_bounds, 0, 6);
  tcase_add_test(host, test_options_wrong_type);
  tcase_add_test(host, test_metadata);
  suite_add_tcase(s, host);

  SRunner* r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  const int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
