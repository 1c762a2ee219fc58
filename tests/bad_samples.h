/* SPDX-License-Identifier: ISC */
/* The bad samples the robustness tests send in bursts, to a node
   (test_node_nonfinite) or to the plugin's audio input
   (test_plugin_nonfinite): NaN, +-infinity, +-1e30 and subnormals. */
#ifndef BAD_SAMPLES_H
#define BAD_SAMPLES_H

#include <math.h>
#include <stddef.h>

enum { NAN_BURST, PLUS_INF, MINUS_INF, PLUS_HUGE, MINUS_HUGE, SUBNORMAL, N_KINDS };

/* The kind's name in messages. */
static inline const char*
bad_kind_name(int kind)
{
  static const char* const names[] = {"NaN", "+inf", "-inf", "+1e30", "-1e30", "subnormal"};
  return names[kind];
}

/* Sample `i` of a burst of this kind (subnormals alternate in sign and size). */
static inline float
bad_sample(int kind, size_t i)
{
  switch (kind) {
  case NAN_BURST:
    return NAN;
  case PLUS_INF:
    return INFINITY;
  case MINUS_INF:
    return -INFINITY;
  case PLUS_HUGE:
    return 1e30f;
  case MINUS_HUGE:
    return -1e30f;
  default:
    return (i & 1u) ? 1e-40f : -3e-42f;
  }
}

#endif
