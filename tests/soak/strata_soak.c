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
#define START_SEQ  1

typedef struct {
  double   minutes;
  uint32_t edits;
  uint32_t block;
  uint64_t seed;
  double   rss_mib;
} Options;

typedef struct {
  uint64_t sent;
  uint64_t acked;
  uint64_t refused;
  uint64_t anonymous_sent;
  uint64_t anonymous_answered;
  uint64_t contradictions;
  uint64_t duplicates;
  uint64_t unanswered;
  uint64_t gets_checked;
  uint64_t midi;
  uint64_t nonfinite;
} Stats;

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

/* Every edit sent, by sequence number - START_SEQ. */
typedef struct {
  SkSent*  sent;
  uint8_t* answers;
} Ledger;

/* MIDI and macro-port automation for one block. */
static void
perform(PhHost* host, SkRng* rng, uint32_t block, Stats* stats)
{
  if (sk_below(rng, 8) == 0) {
    const uint32_t n = sk_below(rng, 24);
    for (uint32_t i = 0; i < n; ++i) {
      const uint8_t kind[] = {0x90, 0x80, 0xB0, 0xE0, 0xD0, 0xF8};
      ph_midi(host, (uint32_t)((uint64_t)i * block / (n ? n : 1)),
              (uint8_t)(kind[sk_below(rng, 6)] | sk_below(rng, 16)), (uint8_t)sk_below(rng, 128),
              (uint8_t)sk_below(rng, 128));
    }
    stats->midi += n;
  }
  if (sk_below(rng, 4) == 0) {
    ph_set_macro(host, sk_below(rng, PH_MACROS), sk_unit(rng));
  }
}

/* Reads the replies of the last block: each with a sequence number must
   answer an edit not yet answered, agree with the model, and a patch:Get
   must show the model's patch. */
static void
collect(PhHost* host, SkModel* model, Ledger* ledger, uint32_t sent, Stats* stats,
        uint32_t* waiting)
{
  const LV2_URID put = ph_urid(LV2_PATCH__Put);
  for (uint32_t i = 0; i < ph_reply_count(host); ++i) {
    const PhReply* r = ph_reply_at(host, i);
    if (!ph_is_ack(r) && !ph_is_error(r) && r->type != put) {
      continue; // state:StateChanged
    }
    if (!r->has_seq) {
      ++stats->anonymous_answered;
      if (*waiting) {
        --*waiting;
      }
      continue;
    }
    const int64_t k = (int64_t)r->seq - START_SEQ;
    if (k < 0 || k >= sent) {
      fprintf(stderr, "reply to unknown sequence number %d: %s\n", r->seq,
              r->message ? r->message : "");
      ++stats->contradictions;
      continue;
    }
    if (ledger->answers[k]++) {
      fprintf(stderr, "edit %d answered twice\n", r->seq);
      ++stats->duplicates;
      continue;
    }
    if (*waiting) {
      --*waiting;
    }
    SkSent* s = &ledger->sent[k];
    stats->acked += ph_is_ack(r) || r->type == put;
    stats->refused += ph_is_error(r);
    if (!sk_settle(model, s, r)) {
      fprintf(stderr, "edit %d (%s): predicted %s, got %s: %s\n", r->seq, s->kind,
              s->prediction == SK_ACK ? "ack" : s->prediction == SK_ERROR ? "error" : "resource",
              ph_is_ack(r) ? "ack" : "error", r->message ? r->message : "");
      ++stats->contradictions;
    }
    if (r->type == put && r->patch) {
      char why[512];
      ++stats->gets_checked;
      if (!sk_model_matches(model, r->patch, why, sizeof(why))) {
        fprintf(stderr, "patch:Get %d differs from the model: %s\n", r->seq, why);
        ++stats->contradictions;
      }
    }
  }
  ph_clear_replies(host);
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
  SkModel* model  = sk_model_new(ST_DEFAULT_MAX_NODES, ST_DEFAULT_POOL_BUFFERS, RATE);
  SkRng    rng    = {o.seed * 0x9E3779B97F4A7C15ull + 1};
  Ledger   ledger = {calloc(o.edits + 1, sizeof(SkSent)), calloc(o.edits + 1, 1)};
  Stats    stats  = {0};
  const SkMix mix = {.garbage = true, .big_patches = true, .patch_files = true};

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

  const uint64_t frames  = (uint64_t)(o.minutes * 60.0 * RATE);
  const uint64_t blocks  = (frames + o.block - 1) / o.block;
  float*         left    = malloc(o.block * sizeof(float));
  float*         right   = malloc(o.block * sizeof(float));
  uint32_t       sent    = 0;
  uint32_t       waiting = 0; // Replies the current burst still waits for
  double         rss_warm = 0.0;
  double         rss_peak = 0.0;
  const double   t0       = now();
  const bool     trace    = getenv("STRATA_SOAK_TRACE") != NULL;
  uint64_t       b        = 0;
  for (; b < blocks || (waiting && b < blocks + 1000); ++b) {
    const uint64_t due = (uint64_t)o.edits * (b + 1) / blocks + MAX_BURST;
    if (!waiting && sent < o.edits && sent < due && b < blocks) {
      const uint32_t burst = 1 + sk_below(&rng, MAX_BURST);
      for (uint32_t i = 0; i < burst && sent < o.edits; ++i) {
        SkSent s = sk_send_edit(model, &rng, host, &mix, (int32_t)(START_SEQ + sent));
        if (s.prediction == SK_ANONYMOUS) {
          ++stats.anonymous_sent;
          ledger.answers[sent] = 1; // Answered without a number: counted apart.
        }
        if (trace) {
          fprintf(stderr, "block %llu: edit %u %s\n", (unsigned long long)b, START_SEQ + sent,
                  s.kind);
        }
        ledger.sent[sent++] = s;
        ++waiting;
        if (s.ends_burst) {
          break;
        }
      }
    }
    perform(host, &rng, o.block, &stats);
    const uint32_t n = (uint32_t)(b < blocks && (b + 1) * o.block > frames
                                    ? frames - b * o.block
                                    : o.block);
    ph_render(host, n, n, left, right);
    if (!ph_finite(left, n) || !ph_finite(right, n)) {
      if (!stats.nonfinite++) {
        fprintf(stderr, "NaN or infinity in block %llu\n", (unsigned long long)b);
      }
    }
    collect(host, model, &ledger, sent, &stats, &waiting);
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
  const PhReply* last = ph_reply(host, 0);
  char           why[512] = "no reply to the final patch:Get";
  const bool     same = last && last->patch && sk_model_matches(model, last->patch, why, sizeof(why));
  const double   rss_end = rss_mib();

  for (uint32_t k = 0; k < sent; ++k) {
    if (!ledger.answers[k]) {
      if (!stats.unanswered++) {
        fprintf(stderr, "edit %u (%s) was never answered\n", START_SEQ + k, ledger.sent[k].kind);
      }
    }
  }
  const double seconds = (double)(b * o.block) / RATE;
  printf("strata-soak: %.1f s of audio (%llu blocks of %u frames) in %.1f s wall\n", seconds,
         (unsigned long long)b, o.block, now() - t0);
  printf("  edits sent %u: answered %llu (acked %llu, refused %llu), anonymous %llu/%llu, "
         "unanswered %llu, duplicates %llu\n",
         sent, (unsigned long long)(stats.acked + stats.refused), (unsigned long long)stats.acked,
         (unsigned long long)stats.refused, (unsigned long long)stats.anonymous_answered,
         (unsigned long long)stats.anonymous_sent, (unsigned long long)stats.unanswered,
         (unsigned long long)stats.duplicates);
  printf("  model contradictions %llu, patch:Get checked against the model %llu, final patch %s "
         "(%u nodes)\n",
         (unsigned long long)stats.contradictions, (unsigned long long)stats.gets_checked,
         same ? "equal" : "DIFFERS", sk_model_count(model));
  printf("  MIDI events %llu, non-finite blocks %llu\n", (unsigned long long)stats.midi,
         (unsigned long long)stats.nonfinite);
  printf("  RSS after warm-up %.1f MiB, peak %.1f MiB, end %.1f MiB (bound +%.0f MiB%s)\n",
         rss_warm, rss_peak, rss_end, o.rss_mib,
         RSS_CHECKED ? "" : ", not checked under AddressSanitizer");
  if (!same) {
    fprintf(stderr, "final patch differs from the model: %s\n", why);
  }
  const bool pass = same && !stats.contradictions && !stats.duplicates && !stats.unanswered &&
                    stats.anonymous_answered == stats.anonymous_sent && !stats.nonfinite &&
                    sent == o.edits && (!RSS_CHECKED || rss_end - rss_warm <= o.rss_mib);
  ph_free(host);
  sk_model_free(model);
  free(ledger.sent);
  free(ledger.answers);
  free(left);
  free(right);
  printf("strata-soak: %s\n", pass ? "PASS" : "FAIL");
  return pass ? 0 : 1;
}
