/* SPDX-License-Identifier: ISC */
/* strata-soak: renders minutes of audio through the plugin (lilv, the test
   host of tests/plugin_host.c) while random edits, valid and invalid, stream
   in on the control port, with MIDI and macro automation. It fails on:
   a NaN or infinity in the output, an edit not answered exactly once, a
   reply that contradicts the reference model (tests/soak/edits.c), a
   patch:Get (sent among the edits and once at the end) that differs from
   the model, or resident memory growing past a bound after warm-up.

     strata-soak [--minutes M] [--edits N] [--block FRAMES] [--seed S] [--rss-mib MIB]

   CI runs `--minutes 1 --edits 20000`; the full soak is
   `--minutes 30 --edits 1000000`. STRATA_THREADS sets the engine threads. */
#include "edits.h"

#include "st_config.h"

#include <lv2/patch/patch.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define RSS_CHECKED 0 // AddressSanitizer's quarantine holds freed memory: RSS says nothing
#else
#define RSS_CHECKED 1
#endif

#define RATE       48000
#define MAX_BURST  8

typedef struct {
  double   minutes;
  uint32_t edits;
  uint32_t block;
  uint64_t seed;
  double   rss_mib;
} Options;

static double
rss_mib(void)
{
  long  pages = 0;
  long  rss   = 0;
  FILE* f     = fopen("/proc/self/statm", "r");
  if (f) {
    if (fscanf(f, "%ld %ld", &pages, &rss) != 2) {
      rss = 0;
    }
    fclose(f);
  }
  return (double)rss * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
}

static double
now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static bool
parse_options(int argc, char** argv, Options* o)
{
  *o = (Options){1.0, 20000, 64, 1, 64.0};
  for (int i = 1; i < argc; ++i) {
    const char* v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(argv[i], "--minutes") && v) {
      o->minutes = atof(v);
    } else if (!strcmp(argv[i], "--edits") && v) {
      o->edits = (uint32_t)strtoul(v, NULL, 10);
    } else if (!strcmp(argv[i], "--block") && v) {
      o->block = (uint32_t)strtoul(v, NULL, 10);
    } else if (!strcmp(argv[i], "--seed") && v) {
      o->seed = strtoull(v, NULL, 10);
    } else if (!strcmp(argv[i], "--rss-mib") && v) {
      o->rss_mib = atof(v);
    } else {
      fprintf(stderr,
              "usage: strata-soak [--minutes M] [--edits N] [--block FRAMES] [--seed S] "
              "[--rss-mib MIB]\n");
      return false;
    }
    ++i;
  }
  return o->minutes > 0 && o->block >= 1 && o->block <= PH_MAX_BLOCK;
}

/* MIDI and macro-port automation for one block. */
static void
perform(PhHost* host, SkRng* rng, uint32_t block, uint64_t* midi)
{
  if (sk_below(rng, 8) == 0) {
    const uint32_t n = sk_below(rng, 24);
    for (uint32_t i = 0; i < n; ++i) {
      const uint8_t kind[] = {0x90, 0x80, 0xB0, 0xE0, 0xD0, 0xF8};
      ph_midi(host, (uint32_t)((uint64_t)i * block / (n ? n : 1)),
              (uint8_t)(kind[sk_below(rng, 6)] | sk_below(rng, 16)), (uint8_t)sk_below(rng, 128),
              (uint8_t)sk_below(rng, 128));
    }
    *midi += n;
  }
  if (sk_below(rng, 4) == 0) {
    ph_set_macro(host, sk_below(rng, PH_MACROS), sk_unit(rng));
  }
}

int
main(int argc, char** argv)
{
  Options o;
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (!parse_options(argc, argv, &o)) {
    return 2;
  }
  PhHost* host = ph_new(NULL);
  if (!host) {
    return 1;
  }
  SkModel*    model = sk_model_new(ST_DEFAULT_MAX_NODES, ST_DEFAULT_POOL_BUFFERS, RATE);
  SkRng       rng   = {o.seed * 0x9E3779B97F4A7C15ull + 1};
  const SkMix mix   = {.garbage = true, .big_patches = true, .patch_files = true};

  // A known start: the model parses the same text the plugin receives.
  char* start = sk_random_patch(&rng, 12);
  ph_msg_replace(host, 0, start);
  ph_render(host, 4 * 64, 64, NULL, NULL);
  if (!ph_is_ack(ph_reply(host, 0)) || !sk_model_load(model, start)) {
    fprintf(stderr, "the start patch was refused\n");
    return 1;
  }
  free(start);
  ph_clear_replies(host);

  SkDriver*      driver    = sk_driver_new(host, model, &rng, &mix, o.edits);
  const uint64_t frames    = (uint64_t)(o.minutes * 60.0 * RATE);
  const uint64_t blocks    = (frames + o.block - 1) / o.block;
  float*         left      = malloc(o.block * sizeof(float));
  float*         right     = malloc(o.block * sizeof(float));
  uint64_t       midi      = 0;
  uint64_t       nonfinite = 0;
  double         rss_warm  = 0.0;
  double         rss_peak  = 0.0;
  const double   t0        = now();
  uint64_t       b         = 0;
  for (; b < blocks || (!sk_driver_idle(driver) && b < blocks + 1000); ++b) {
    // Spread the edits over the whole length.
    const uint64_t due = (uint64_t)o.edits * (b + 1) / blocks + MAX_BURST;
    sk_driver_before(driver, b < blocks && sk_driver_stats(driver)->sent < due);
    perform(host, &rng, o.block, &midi);
    const uint32_t n = (uint32_t)((b + 1) * o.block > frames && b < blocks ? frames - b * o.block
                                                                           : o.block);
    ph_render(host, n, n, left, right);
    if ((!ph_finite(left, n) || !ph_finite(right, n)) && !nonfinite++) {
      fprintf(stderr, "NaN or infinity in block %llu\n", (unsigned long long)b);
    }
    sk_driver_after(driver);
    if (b == blocks / 10) {
      rss_warm = rss_mib();
    }
    if (b % 4096 == 0) {
      const double r = rss_mib();
      rss_peak       = r > rss_peak ? r : rss_peak;
    }
  }

  // The final patch, against the model.
  ph_msg_get(host, 0);
  ph_render(host, 4 * 64, 64, NULL, NULL);
  const PhReply* last     = ph_reply(host, 0);
  char           why[512] = "no reply to the final patch:Get";
  const bool     same     = last && last->patch && sk_model_matches(model, last->patch, why, sizeof(why));
  const double   rss_end  = rss_mib();

  const SkStats* st         = sk_driver_stats(driver);
  const uint64_t unanswered = sk_driver_unanswered(driver);
  const double   seconds    = (double)(b * o.block) / RATE;
  printf("strata-soak: %.1f s of audio (%llu blocks of %u frames) in %.1f s wall\n", seconds,
         (unsigned long long)b, o.block, now() - t0);
  printf("  edits sent %llu: answered %llu (acked %llu, refused %llu), anonymous %llu/%llu, "
         "unanswered %llu, duplicates %llu\n",
         (unsigned long long)st->sent, (unsigned long long)(st->acked + st->refused),
         (unsigned long long)st->acked, (unsigned long long)st->refused,
         (unsigned long long)st->anonymous_answered, (unsigned long long)st->anonymous_sent,
         (unsigned long long)unanswered, (unsigned long long)st->duplicates);
  printf("  model contradictions %llu, patch:Get checked against the model %llu, final patch %s "
         "(%u nodes)\n",
         (unsigned long long)st->contradictions, (unsigned long long)st->gets_checked,
         same ? "equal" : "DIFFERS", sk_model_count(model));
  printf("  MIDI events %llu, non-finite blocks %llu\n", (unsigned long long)midi,
         (unsigned long long)nonfinite);
  printf("  RSS after warm-up %.1f MiB, peak %.1f MiB, end %.1f MiB (bound +%.0f MiB%s)\n",
         rss_warm, rss_peak, rss_end, o.rss_mib,
         RSS_CHECKED ? "" : ", not checked under AddressSanitizer");
  if (!same) {
    fprintf(stderr, "final patch differs from the model: %s\n", why);
  }
  const bool pass = same && !st->contradictions && !st->duplicates && !unanswered &&
                    st->anonymous_answered == st->anonymous_sent && !nonfinite &&
                    st->sent == o.edits && (!RSS_CHECKED || rss_end - rss_warm <= o.rss_mib);
  sk_driver_free(driver);
  ph_free(host);
  sk_model_free(model);
  free(left);
  free(right);
  printf("strata-soak: %s\n", pass ? "PASS" : "FAIL");
  return pass ? 0 : 1;
}
