/* SPDX-License-Identifier: ISC */
/* Presets saved before voice groups and sub-patches existed still load and
   sound the same: each preset's patch text as it was then
   (tests/presets_before_voices/NAME.strata, with the macro values the preset
   set in NAME.macros) is played the same notes and input through the engine, and the
   output's FNV-1a hash, peak and RMS must equal what that engine rendered
   (expected.txt). Run with --record to print expected.txt anew. */
#include "engine.h"
#include "patch.h"

#include <check.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE   48000
#define FRAMES (3 * RATE)
#define HOST_BLOCK 256

static const char* dir;

/* Asserts also when recording, outside Check's runner. */
#define need(cond, ...)                                                                        \
  do {                                                                                         \
    if (!(cond)) {                                                                             \
      fprintf(stderr, __VA_ARGS__);                                                            \
      fputc('\n', stderr);                                                                     \
      exit(EXIT_FAILURE);                                                                      \
    }                                                                                          \
  } while (0)

/* Notes: a four-note chord, then a line over it; (frame, status, note). */
typedef struct {
  uint32_t frame;
  uint8_t  msg[3];
} Note;

static const Note score[] = {
  {0, {0x90, 48, 100}},        {0, {0x90, 52, 90}},         {100, {0x90, 55, 80}},
  {203, {0x90, 59, 70}},       {24000, {0x90, 72, 110}},    {36000, {0x80, 72, 0}},
  {36000, {0x90, 74, 60}},     {48000, {0x80, 74, 64}},     {48001, {0x90, 67, 127}},
  {60000, {0xE0, 0, 80}},      {66000, {0xB0, 1, 90}},      {72000, {0x80, 48, 0}},
  {72000, {0x80, 52, 0}},      {72000, {0x80, 55, 0}},      {72000, {0x80, 59, 0}},
  {84000, {0x80, 67, 0}},      {96000, {0x90, 45, 100}},    {120000, {0x80, 45, 0}},
};

static char*
slurp(const char* name, const char* ext, size_t* length)
{
  char path[1024];
  snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext);
  FILE* f = fopen(path, "rb");
  need(f != NULL, "cannot open %s", path);
  char*  text = malloc(1 << 20);
  size_t n    = fread(text, 1, (1 << 20) - 1, f);
  fclose(f);
  text[n] = '\0';
  if (length) {
    *length = n;
  }
  return text;
}

typedef struct {
  uint64_t hash;
  float    peak;
  double   rms;
} Heard;

/* Renders the preset; its hash is of every output sample's bits, left then right. */
static Heard
render(const char* name)
{
  size_t         length = 0;
  char*          text   = slurp(name, "strata", &length);
  char*          macros = slurp(name, "macros", NULL);
  StStatus       st;
  StEngineConfig config = {.rate = RATE};
  StEngine*      e      = st_engine_new(&config, &st);
  need(e != NULL, "no engine");
  StGraph*     model = st_engine_new_model(e);
  StPatchError err;
  need(st_patch_parse(text, length, NULL, model, &err) == ST_OK, "%s: %s", name, err.message);
  need(st_engine_swap(e, model) == ST_OK, "%s: %s", name, st_engine_error(e));
  char* at = macros;
  for (uint32_t slot = 0; slot < ST_MACRO_SLOTS; ++slot) {
    st_engine_macro(e, slot, strtof(at, &at));
  }
  static float left[FRAMES], right[FRAMES], input[2][FRAMES];
  for (uint32_t i = 0; i < FRAMES; ++i) { // Plucks every half second, for the effects
    const double t = (double)(i % (RATE / 2)) / RATE;
    input[0][i]    = (float)(0.5 * exp(-8.0 * t) * sin(6.283185307179586 * 220.0 * t));
    input[1][i]    = (float)(0.4 * exp(-6.0 * t) * sin(6.283185307179586 * 331.0 * t));
  }
  size_t       next = 0;
  for (uint32_t f = 0; f < FRAMES;) {
    uint32_t end = f + HOST_BLOCK < FRAMES ? f + HOST_BLOCK : FRAMES;
    st_engine_begin(e);
    while (f < end) {
      while (next < sizeof(score) / sizeof(score[0]) && score[next].frame == f) {
        st_engine_event(e, score[next].msg, 3);
        ++next;
      }
      uint32_t stop = end;
      if (next < sizeof(score) / sizeof(score[0]) && score[next].frame < stop) {
        stop = score[next].frame;
      }
      float*             out[2] = {left + f, right + f};
      const float* const in[2]  = {input[0] + f, input[1] + f};
      st_engine_process(e, in, out, stop - f);
      f = stop;
    }
  }
  Heard h = {1469598103934665603ull, 0.0f, 0.0};
  for (int c = 0; c < 2; ++c) {
    const float* x = c ? right : left;
    for (uint32_t i = 0; i < FRAMES; ++i) {
      uint32_t bits;
      memcpy(&bits, &x[i], 4);
      for (int b = 0; b < 4; ++b) {
        h.hash = (h.hash ^ ((bits >> (8 * b)) & 0xffu)) * 1099511628211ull;
      }
      h.peak = fabsf(x[i]) > h.peak ? fabsf(x[i]) : h.peak;
      h.rms += (double)x[i] * x[i];
    }
  }
  h.rms = sqrt(h.rms / (2.0 * FRAMES));
  st_engine_free(e);
  free(text);
  free(macros);
  return h;
}

START_TEST(test_sounds_the_same)
{
  char* expected = slurp("expected", "txt", NULL);
  int   checked  = 0;
  for (char* line = strtok(expected, "\n"); line; line = strtok(NULL, "\n")) {
    if (line[0] == '#') {
      continue;
    }
    char               name[64];
    unsigned long long hash;
    float              peak;
    double             rms;
    ck_assert_int_eq(sscanf(line, "%63s %llx %g %lg", name, &hash, &peak, &rms), 4);
    const Heard h = render(name);
    ck_assert_msg(h.hash == hash,
                  "%s sounds different: hash %016llx (peak %.6f, RMS %.6f), expected %016llx "
                  "(peak %.6f, RMS %.6f)",
                  name, (unsigned long long)h.hash, h.peak, h.rms, hash, peak, rms);
    ++checked;
  }
  ck_assert_int_eq(checked, 17);
  free(expected);
}
END_TEST

int
main(int argc, char** argv)
{
  dir = argc > 1 ? argv[1] : "tests/presets_before_voices";
  if (argc > 2 && !strcmp(argv[2], "--record")) {
    printf("# SPDX-License-Identifier: ISC\n# preset, FNV-1a hash of the output, peak, RMS "
           "(test_presets_before_voices.c)\n");
    for (int i = 3; i < argc; ++i) {
      const Heard h = render(argv[i]);
      printf("%s %016llx %.6f %.6f\n", argv[i], (unsigned long long)h.hash, h.peak, h.rms);
    }
    return 0;
  }
  Suite* s  = suite_create("presets_before_voices");
  TCase* tc = tcase_create("core");
  tcase_add_test(tc, test_sounds_the_same);
  tcase_set_timeout(tc, 300);
  suite_add_tcase(s, tc);
  SRunner* sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  const int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
