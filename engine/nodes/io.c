/* SPDX-License-Identifier: ISC */
/* The patch's ends: host audio in, and the sink summed into the host output. */
#include "types.h"
#include "zeroed.h"

#include <string.h>

static void
input_process(void* state, const StProcess* p)
{
  (void)state;
  for (uint32_t c = 0; c < 2; ++c) {
    if (p->host && p->host->in[c]) {
      memcpy(p->out[c], p->host->in[c], p->frames * sizeof(float));
    } else {
      memset(p->out[c], 0, p->frames * sizeof(float));
    }
  }
}

static const StPortSpec stereo[] = {
  {"left", "Left channel"},
  {"right", "Right channel"},
};

const StNodeType st_input_type = {
  .name       = "input",
  .family     = "I/O",
  .doc        = "The plugin's stereo audio input.",
  .n_outputs  = 2,
  .outputs    = stereo,
  .cost       = 1.0f,
  .state_size = st_zeroed_tiny_size,
  .init       = st_zeroed_init,
  .process    = input_process,
};

const StNodeType st_output_type = {
  .name       = "output",
  .family     = "I/O",
  .doc        = "The plugin's stereo audio output: the engine sums what reaches its inputs "
                "into the host output (several output nodes add up).",
  .n_inputs   = 2,
  .inputs     = stereo,
  .flags      = ST_NODE_SINK,
  .cost       = 1.0f,
  .state_size = st_zeroed_tiny_size,
  .init       = st_zeroed_init,
};
