/* The worker hand-off with real threads, for ThreadSanitizer: the audio
   thread calls run() and work_response() while a worker thread calls work()
   and the main thread calls save() now and then, as a real host does. The
   host's two rings are lock-free single-producer single-consumer byte rings
   (C11 atomics); the worker sleeps on a semaphore that schedule_work posts.
   Every edit must be answered exactly once. The plugin's sources are
   linked in (no lilv), so the whole hand-off is instrumented. */
#include <lv2/atom/forge.h>
#include <lv2/atom/util.h>
#include <lv2/core/lv2.h>
#include <lv2/patch/patch.h>
#include <lv2/state/state.h>
#include <lv2/urid/urid.h>
#include <lv2/worker/worker.h>

#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const LV2_Descriptor* lv2_descriptor(uint32_t index);

#define RING_BYTES (1u << 20)
#define BLOCK      64
#define EDITS      1500

/* --- A lock-free SPSC ring of size-prefixed records --- */

typedef struct {
  uint8_t*     data;
  atomic_uint  head; ///< Bytes written (producer)
  atomic_uint  tail; ///< Bytes read (consumer)
} Ring;

static bool
ring_write(Ring* r, uint32_t size, const void* data)
{
  const uint32_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
  const uint32_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
  if (sizeof(size) + size > RING_BYTES - (head - tail)) {
    return false;
  }
  const uint8_t* parts[2] = {(const uint8_t*)&size, data};
  const uint32_t sizes[2] = {sizeof(size), size};
  uint32_t       at       = head;
  for (int p = 0; p < 2; ++p) {
    for (uint32_t i = 0; i < sizes[p]; ++i, ++at) {
      r->data[at % RING_BYTES] = parts[p][i];
    }
  }
  atomic_store_explicit(&r->head, at, memory_order_release);
  return true;
}

/* Reads one record into buf (capacity RING_BYTES); its size, or -1 when empty. */
static int64_t
ring_read(Ring* r, uint8_t* buf)
{
  const uint32_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
  const uint32_t head = atomic_load_explicit(&r->head, memory_order_acquire);
  if (head == tail) {
    return -1;
  }
  uint32_t size = 0;
  uint32_t at   = tail;
  for (uint32_t i = 0; i < sizeof(size); ++i, ++at) {
    ((uint8_t*)&size)[i] = r->data[at % RING_BYTES];
  }
  for (uint32_t i = 0; i < size; ++i, ++at) {
    buf[i] = r->data[at % RING_BYTES];
  }
  atomic_store_explicit(&r->tail, at, memory_order_release);
  return size;
}

/* --- The host --- */

static char*          uris[256];
static uint32_t       n_uris;
static pthread_mutex_t map_lock = PTHREAD_MUTEX_INITIALIZER;

static LV2_URID
map_uri(LV2_URID_Map_Handle handle, const char* uri)
{
  (void)handle;
  pthread_mutex_lock(&map_lock); // Mapping is allowed to lock: never called from run()
  LV2_URID id = 0;
  for (uint32_t i = 0; i < n_uris && !id; ++i) {
    if (!strcmp(uris[i], uri)) {
      id = i + 1;
    }
  }
  if (!id && n_uris < 256) {
    uris[n_uris] = strdup(uri);
    id           = ++n_uris;
  }
  pthread_mutex_unlock(&map_lock);
  return id;
}

static const LV2_Descriptor*       desc;
static LV2_Handle                  handle;
static const LV2_Worker_Interface* worker;
static Ring                        requests;
static Ring                        responses;
static sem_t                       work_ready;
static atomic_bool                 done;
static atomic_uint                 works;     ///< work() calls made
static atomic_uint                 refused;   ///< Requests or responses a full ring refused
static atomic_uint                 responded; ///< Responses written
static uint32_t                    delivered; ///< work_response() calls

static LV2_Worker_Status
schedule_work(LV2_Worker_Schedule_Handle h, uint32_t size, const void* data)
{
  (void)h;
  if (!ring_write(&requests, size, data)) {
    atomic_fetch_add(&refused, 1);
    return LV2_WORKER_ERR_NO_SPACE;
  }
  sem_post(&work_ready);
  return LV2_WORKER_SUCCESS;
}

static LV2_Worker_Status
respond(LV2_Worker_Respond_Handle h, uint32_t size, const void* data)
{
  (void)h;
  if (!ring_write(&responses, size, data)) {
    atomic_fetch_add(&refused, 1);
    return LV2_WORKER_ERR_NO_SPACE;
  }
  atomic_fetch_add(&responded, 1);
  return LV2_WORKER_SUCCESS;
}

static void*
worker_thread(void* arg)
{
  (void)arg;
  uint8_t* buf = malloc(RING_BYTES);
  while (!atomic_load(&done)) {
    sem_wait(&work_ready);
    for (int64_t n; (n = ring_read(&requests, buf)) >= 0;) {
      worker->work(handle, respond, NULL, (uint32_t)n, buf);
      atomic_fetch_add(&works, 1);
    }
  }
  free(buf);
  return NULL;
}

static LV2_State_Status
store(LV2_State_Handle h, uint32_t key, const void* value, size_t size, uint32_t type,
      uint32_t flags)
{
  (void)h, (void)key, (void)value, (void)type, (void)flags;
  return size ? LV2_STATE_SUCCESS : LV2_STATE_ERR_UNKNOWN;
}

int
main(void)
{
  static LV2_URID_Map        map      = {NULL, map_uri};
  static LV2_Worker_Schedule schedule = {NULL, schedule_work};
  const LV2_Feature          f_map    = {LV2_URID__map, &map};
  const LV2_Feature          f_sched  = {LV2_WORKER__schedule, &schedule};
  const LV2_Feature*         features[] = {&f_map, &f_sched, NULL};
  requests.data  = calloc(1, RING_BYTES);
  responses.data = calloc(1, RING_BYTES);
  sem_init(&work_ready, 0, 0);
  desc   = lv2_descriptor(0);
  handle = desc->instantiate(desc, 48000.0, "", features);
  if (!handle) {
    return 1;
  }
  worker                          = desc->extension_data(LV2_WORKER__interface);
  const LV2_State_Interface* st   = desc->extension_data(LV2_STATE__interface);
  static float               in[2][BLOCK], out[2][BLOCK], macros[16];
  static uint64_t            control[8192], notify[8192];
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
  pthread_t thread;
  pthread_create(&thread, NULL, worker_thread, NULL);

  LV2_Atom_Forge forge;
  lv2_atom_forge_init(&forge, &map);
  const LV2_URID seq_key = map_uri(NULL, LV2_PATCH__sequenceNumber);
  uint8_t*       buf     = malloc(RING_BYTES);
  uint8_t*       answers = calloc(EDITS, 1);
  uint32_t       sent    = 0;
  uint32_t       dup     = 0;
  uint32_t       answered = 0;
  uint32_t       unnumbered = 0;
  // Until every edit is answered (a slow worker, under a sanitizer, only
  // takes longer), or four minutes have passed.
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (uint32_t b = 0; !(sent == EDITS && answered == EDITS); ++b) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - start.tv_sec > 240) {
      break;
    }
    // Control: one edit per block (a parameter set, a replace, or a get).
    lv2_atom_forge_set_buffer(&forge, (uint8_t*)control, sizeof(control));
    LV2_Atom_Forge_Frame seq_frame;
    lv2_atom_forge_sequence_head(&forge, &seq_frame, 0);
    // Like a UI, keep at most a few hundred edits in flight (the plugin's
    // reply queue holds about a thousand answers).
    if (sent < EDITS && sent - answered < 300) {
      LV2_Atom_Forge_Frame msg;
      lv2_atom_forge_frame_time(&forge, 0);
      const uint32_t kind = sent % 3;
      lv2_atom_forge_object(&forge, &msg, 0,
                            map_uri(NULL, kind == 2 ? LV2_PATCH__Get : LV2_PATCH__Set));
      lv2_atom_forge_key(&forge, seq_key);
      lv2_atom_forge_int(&forge, (int32_t)sent);
      if (kind == 0) {
        lv2_atom_forge_key(&forge, map_uri(NULL, LV2_PATCH__subject));
        lv2_atom_forge_uri(&forge, "urn:strata:node:vcf", 19);
        lv2_atom_forge_key(&forge, map_uri(NULL, LV2_PATCH__property));
        lv2_atom_forge_urid(&forge, map_uri(NULL, "urn:strata:param:cutoff"));
        lv2_atom_forge_key(&forge, map_uri(NULL, LV2_PATCH__value));
        lv2_atom_forge_float(&forge, 200.0f + (float)(sent % 1000));
      } else if (kind == 1) {
        static const char text[] = "node osc1 osc\nnode vcf svf\nlink osc1.out -> vcf.in\n"
                                   "link vcf.lp -> out.left\n";
        lv2_atom_forge_key(&forge, map_uri(NULL, LV2_PATCH__property));
        lv2_atom_forge_urid(&forge, map_uri(NULL, "urn:strata:modular#patch"));
        lv2_atom_forge_key(&forge, map_uri(NULL, LV2_PATCH__value));
        lv2_atom_forge_string(&forge, text, sizeof(text) - 1);
      }
      lv2_atom_forge_pop(&forge, &msg);
      ++sent;
    }
    lv2_atom_forge_pop(&forge, &seq_frame);
    LV2_Atom_Sequence* n = (LV2_Atom_Sequence*)notify;
    n->atom.type         = 0;
    n->atom.size         = sizeof(notify) - sizeof(LV2_Atom);
    desc->run(handle, BLOCK);
    // Audio thread, after run(): the worker's responses.
    for (int64_t k; (k = ring_read(&responses, buf)) >= 0;) {
      worker->work_response(handle, (uint32_t)k, buf);
      ++delivered;
    }
    LV2_ATOM_SEQUENCE_FOREACH (n, ev) {
      const LV2_Atom* s = NULL;
      if (ev->body.type == forge.Object) {
        lv2_atom_object_get((const LV2_Atom_Object*)&ev->body, seq_key, &s, 0);
      }
      if (!s && ev->body.type == forge.Object) {
        const LV2_Atom* e = NULL;
        lv2_atom_object_get((const LV2_Atom_Object*)&ev->body,
                            map_uri(NULL, "urn:strata:modular#error"), &e, 0);
        if (e && !unnumbered++) {
          printf("error without a sequence number: %s\n", (const char*)LV2_ATOM_BODY_CONST(e));
        }
      }
      if (s && s->type == forge.Int) {
        const int32_t k = ((const LV2_Atom_Int*)s)->body;
        if (k >= 0 && k < EDITS && answers[k]++) {
          ++dup;
        } else if (k >= 0 && k < EDITS) {
          ++answered;
        }
      }
    }
    if (b % 500 == 0) { // The host's main thread saving the session meanwhile
      st->save(handle, store, NULL, 0, features);
    }
  }
  atomic_store(&done, true);
  sem_post(&work_ready);
  pthread_join(thread, NULL);
  uint32_t missing = 0;
  for (uint32_t k = 0; k < EDITS; ++k) {
    missing += !answers[k];
  }
  printf("worker thread: %u edits, %u unanswered, %u answered twice; %u work() calls, %u "
         "refused by a full ring, %u responses, %u delivered\n",
         sent, missing, dup, atomic_load(&works), atomic_load(&refused), atomic_load(&responded),
         delivered);
  for (uint32_t k = 0; k < EDITS && missing; ++k) {
    if (!answers[k]) {
      printf("  first unanswered: %u (kind %u)\n", k, k % 3);
      break;
    }
  }
  desc->cleanup(handle);
  for (uint32_t i = 0; i < n_uris; ++i) {
    free(uris[i]);
  }
  free(buf);
  free(answers);
  free(requests.data);
  free(responses.data);
  sem_destroy(&work_ready);
  return missing || dup ? 1 : 0;
}
