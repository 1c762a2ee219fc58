/* SPDX-License-Identifier: ISC */
/* The worker hand-off with real threads, for ThreadSanitizer: this thread
   (the audio thread) calls run() and work_response() while the host
   library's worker thread calls work() (its request and response queues
   are lock-free rings), and this thread saves the state now and then, as a
   host's session save does. Every edit must be answered exactly once. */
#include "strata_host.h"

#include <lv2/patch/patch.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BLOCK 64
#define EDITS 1500
#define IN_FLIGHT 300  ///< Like a UI: the plugin's reply queue holds about a thousand answers

/* One edit per block: a parameter set, a patch replacement, or a get. */
static void
send_edit(ShHost* host, ShWorld* world, uint32_t n)
{
  static const char text[] = "node osc1 osc\nnode vcf svf\nlink osc1.out -> vcf.in\n"
                             "link vcf.lp -> out.left\n";
  const StUris*     u      = sh_world_uris(world);
  const uint32_t    kind   = n % 3;
  if (kind == 1) {
    sh_host_patch_set_string(host, 0, (int32_t)n, STRATA__patch, LV2_ATOM__String, text);
    return;
  }
  if (kind == 2) {
    sh_host_patch_get(host, 0, (int32_t)n);
    return;
  }
  LV2_Atom_Forge*      f = sh_host_forge(host);
  LV2_Atom_Forge_Frame msg;
  lv2_atom_forge_object(f, &msg, 0, u->patch_Set);
  lv2_atom_forge_key(f, u->patch_sequenceNumber);
  lv2_atom_forge_int(f, (int32_t)n);
  lv2_atom_forge_key(f, u->patch_subject);
  lv2_atom_forge_uri(f, STRATA_NODE_PREFIX "vcf", sizeof(STRATA_NODE_PREFIX "vcf") - 1);
  lv2_atom_forge_key(f, u->patch_property);
  lv2_atom_forge_urid(f, sh_urid(world, STRATA_PARAM_PREFIX "cutoff"));
  lv2_atom_forge_key(f, u->patch_value);
  lv2_atom_forge_float(f, 200.0f + (float)(n % 1000));
  lv2_atom_forge_pop(f, &msg);
  sh_host_send_forged(host, 0);
}

int
main(void)
{
  char     why[512];
  ShWorld* world = sh_world_new(NULL, why, sizeof(why));
  if (!world) {
    fprintf(stderr, "%s\n", why);
    return 1;
  }
  const ShConfig config = {.max_block = BLOCK, .atom_capacity = 65536, .worker_thread = true};
  ShHost*        host   = sh_host_new(world, &config, why, sizeof(why));
  if (!host) {
    fprintf(stderr, "%s\n", why);
    sh_world_free(world);
    return 1;
  }
  uint8_t* answers    = calloc(EDITS, 1);
  uint32_t sent       = 0;
  uint32_t dup        = 0;
  uint32_t answered   = 0;
  uint32_t unnumbered = 0;
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
    if (sent < EDITS && sent - answered < IN_FLIGHT) {
      send_edit(host, world, sent++);
    }
    sh_host_run(host, BLOCK, NULL, NULL);
    for (uint32_t i = 0; i < sh_host_reply_count(host); ++i) {
      const ShReply* r = sh_host_reply_at(host, i);
      if (!r->has_seq && sh_reply_is_error(host, r) && !unnumbered++) {
        printf("error without a sequence number: %s\n", r->message ? r->message : "");
      }
      if (r->has_seq && r->seq >= 0 && r->seq < EDITS && answers[r->seq]++) {
        ++dup;
      } else if (r->has_seq && r->seq >= 0 && r->seq < EDITS) {
        ++answered;
      }
    }
    sh_host_clear_replies(host);
    if (b % 500 == 0) {  // The session saved meanwhile
      lilv_state_free(sh_host_save(host));
    }
  }
  uint32_t missing = 0;
  for (uint32_t k = 0; k < EDITS; ++k) {
    missing += !answers[k];
  }
  printf("worker thread: %u edits, %u unanswered, %u answered twice\n", sent, missing, dup);
  for (uint32_t k = 0; k < EDITS && missing; ++k) {
    if (!answers[k]) {
      printf("  first unanswered: %u (kind %u)\n", k, k % 3);
      break;
    }
  }
  sh_host_free(host);
  sh_world_free(world);
  free(answers);
  return missing || dup ? 1 : 0;
}
