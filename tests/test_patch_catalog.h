/* SPDX-License-Identifier: ISC */
/* A small node catalog for the patch tests, independent of the registry:
   sources, a filter with a fixed parameter and a choice whose name is no
   identifier, a mixer, and the input, output and midi types that implicit
   nodes use. */
#ifndef TEST_PATCH_CATALOG_H
#define TEST_PATCH_CATALOG_H

#include "node.h"
#include "patch.h"

#include <float.h>
#include <string.h>

static const char* const test_waves[] = {"sine", "saw", "square", "tri", "noise", NULL};
static const char* const test_modes[] = {"svf", "ladder", "12dB", NULL};

static const StPortSpec test_osc_in[]   = {{"pitch", ""}, {"fm", ""}};
static const StPortSpec test_osc_out[]  = {{"out", ""}, {"sync", ""}};
static const StParamSpec test_osc_par[] = {
  {"freq", "Hz", "", 0.01f, 20000.0f, 440.0f, 0.0f, 0, NULL},
  {"wave", "", "", 0.0f, 4.0f, 1.0f, 0.0f, ST_PARAM_CHOICE, test_waves},
  {"detune", "cents", "", -100.0f, 100.0f, 0.0f, 0.0f, 0, NULL},
  {"voices", "", "", 1.0f, 16.0f, 1.0f, 0.0f, ST_PARAM_INT, NULL},
};

static const StPortSpec test_filt_in[]   = {{"in", ""}, {"cutoff", ""}, {"res", ""}};
static const StPortSpec test_filt_out[]  = {{"lp", ""}, {"bp", ""}, {"hp", ""}};
static const StParamSpec test_filt_par[] = {
  {"cutoff", "Hz", "", 20.0f, 20000.0f, 1000.0f, 0.0f, 0, NULL},
  {"res", "", "", 0.0f, 1.0f, 0.5f, 0.0f, 0, NULL},
  {"mode", "", "", 0.0f, 2.0f, 0.0f, 0.0f, ST_PARAM_CHOICE, test_modes},
  {"size", "", "", 1.0f, 8.0f, 2.0f, 0.0f, ST_PARAM_FIXED | ST_PARAM_INT, NULL},
};

static const StPortSpec test_mix_in[]   = {{"a", ""}, {"b", ""}, {"c", ""}, {"d", ""}};
static const StPortSpec test_mix_out[]  = {{"out", ""}};
static const StParamSpec test_mix_par[] = {
  {"level", "dB", "", -60.0f, 12.0f, 0.0f, 0.0f, 0, NULL},
  {"pan", "", "", -1.0f, 1.0f, 0.0f, 0.0f, 0, NULL},
  {"wide", "", "", -FLT_MAX, FLT_MAX, 0.0f, 0.0f, 0, NULL},
};

static const StPortSpec test_env_in[]   = {{"gate", ""}};
static const StPortSpec test_env_out[]  = {{"out", ""}};
static const StParamSpec test_env_par[] = {
  {"attack", "s", "", 0.0f, 10.0f, 0.01f, 0.0f, 0, NULL},
  {"decay", "s", "", 0.0f, 10.0f, 0.2f, 0.0f, 0, NULL},
  {"sustain", "", "", 0.0f, 1.0f, 0.6f, 0.0f, 0, NULL},
  {"release", "s", "", 0.0f, 10.0f, 0.4f, 0.0f, 0, NULL},
};

static const StPortSpec test_stereo[]  = {{"left", ""}, {"right", ""}};
static const StParamSpec test_gain[]   = {{"gain", "dB", "", -60.0f, 12.0f, 0.0f, 0.0f, 0, NULL}};
static const StPortSpec test_midi_out[] = {{"gate", ""}, {"pitch", ""}, {"velocity", ""}};
static const StParamSpec test_midi_par[] = {
  {"channel", "", "", 0.0f, 16.0f, 0.0f, 0.0f, ST_PARAM_INT, NULL},
};

#define TEST_TYPE(name, in, out, par, flags)                                                  \
  {name, "Test", "", sizeof(in) / sizeof(in[0]), in, sizeof(out) / sizeof(out[0]), out,       \
   sizeof(par) / sizeof(par[0]), par, flags, 1.0f, NULL, NULL, NULL, NULL, NULL}

static const StNodeType test_types[] = {
  TEST_TYPE("testosc", test_osc_in, test_osc_out, test_osc_par, 0),
  TEST_TYPE("testfilt", test_filt_in, test_filt_out, test_filt_par, 0),
  TEST_TYPE("testmix", test_mix_in, test_mix_out, test_mix_par, 0),
  TEST_TYPE("testenv", test_env_in, test_env_out, test_env_par, 0),
  {"input", "Test", "", 0, NULL, 2, test_stereo, 1, test_gain, 0, 1.0f, NULL, NULL, NULL, NULL, NULL},
  {"output", "Test", "", 2, test_stereo, 0, NULL, 1, test_gain, ST_NODE_SINK, 1.0f, NULL, NULL,
   NULL, NULL, NULL},
  {"midi", "Test", "", 0, NULL, 3, test_midi_out, 1, test_midi_par, ST_NODE_EVENTS, 1.0f, NULL,
   NULL, NULL, NULL, NULL},
};

#define TEST_N_TYPES (sizeof(test_types) / sizeof(test_types[0]))

static inline size_t
test_count(void)
{
  return TEST_N_TYPES;
}

static inline const StNodeType*
test_at(size_t index)
{
  return index < TEST_N_TYPES ? &test_types[index] : NULL;
}

static inline const StNodeType*
test_find(const char* name)
{
  for (size_t i = 0; i < TEST_N_TYPES; ++i) {
    if (!strcmp(test_types[i].name, name)) {
      return &test_types[i];
    }
  }
  return NULL;
}

/* The test catalog; `bare` has no listing, so it suggests no type names. */
static inline const StTypeCatalog*
test_catalog(bool bare)
{
  static const StTypeCatalog full  = {test_find, test_count, test_at};
  static const StTypeCatalog plain = {test_find, NULL, NULL};
  return bare ? &plain : &full;
}

/* A deterministic generator for seeded random tests. */
static inline uint32_t
test_rand(uint64_t* state)
{
  *state ^= *state << 13;
  *state ^= *state >> 7;
  *state ^= *state << 17;
  return (uint32_t)(*state >> 32);
}

#endif
