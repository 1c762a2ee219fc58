/* SPDX-License-Identifier: ISC */
/* A constant signal, smoothed when changed: a knob inside the patch. */
#include "dsp.h"
#include "zeroed.h"
#include "types.h"

static void
const_process(void* state, const StProcess* p)
{
  (void)state;
  for (uint32_t i = 0; i < p->frames; ++i) {
    p->out[0][i] = st_param_next(&p->params[0]);
  }
}

static const StPortSpec outputs[] = {
  {"out", "The value"},
};

static const StParamSpec params[] = {
  {"value", "", "Output value", -100000, 100000, 0, 0.01f, 0, NULL},
};

const StNodeType st_const_type = {
  .name       = "const",
  .family     = "Sources",
  .doc        = "Outputs its `value` parameter, smoothed, so a macro or a patch edit can "
                "drive several inputs at once.",
  .n_outputs  = 1,
  .outputs    = outputs,
  .n_params   = 1,
  .params     = params,
  .flags      = ST_NODE_BOUNDED,
  .cost       = 1.0f,
  .state_size = st_zeroed_tiny_size,
  .init       = st_zeroed_init,
  .process    = const_process,
};
