/* SPDX-License-Identifier: ISC */
#include "registry.h"

#include "types.h"

#include <string.h>

static const StNodeType* const types[] = {
  &st_osc_type,
  &st_noise_type,
  &st_lfo_type,
  &st_const_type,
  &st_wavetable_type,
  &st_svf_type,
  &st_biquad_type,
  &st_vca_type,
  &st_mixer_type,
  &st_xfade_type,
  &st_pan_type,
  &st_shaper_type,
  &st_delay_type,
  &st_sh_type,
  &st_slew_type,
  &st_math_type,
  &st_compressor_type,
  &st_limiter_type,
  &st_wavefolder_type,
  &st_crusher_type,
  &st_ringmod_type,
  &st_reverb_type,
  &st_chorus_type,
  &st_flanger_type,
  &st_phaser_type,
  &st_comb_type,
  &st_allpass_type,
  &st_adsr_type,
  &st_follower_type,
  &st_transport_type,
  &st_seq_type,
  &st_arp_type,
  &st_clockdiv_type,
  &st_gatedelay_type,
  &st_quantize_type,
  &st_input_type,
  &st_output_type,
  &st_midi_type,
  &st_poly_type,
  &st_macro_type,
  &st_cc_type,
  NULL,
};

size_t
st_registry_count(void)
{
  return sizeof(types) / sizeof(types[0]) - 1;
}

const StNodeType*
st_registry_at(size_t index)
{
  return index < st_registry_count() ? types[index] : NULL;
}

const StNodeType*
st_registry_find(const char* name)
{
  for (size_t i = 0; i < st_registry_count(); ++i) {
    if (!strcmp(types[i]->name, name)) {
      return types[i];
    }
  }
  return NULL;
}
