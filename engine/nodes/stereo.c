/* SPDX-License-Identifier: ISC */
#include "stereo.h"

const StPortSpec st_stereo_inputs[2] = {
  {"left", "Left signal"},
  {"right", "Right signal (unlinked: the left signal, for mono in, stereo out)"},
};

const StPortSpec st_stereo_outputs[2] = {
  {"left", "Left dry/wet mix"},
  {"right", "Right dry/wet mix"},
};
