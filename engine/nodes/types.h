/* SPDX-License-Identifier: ISC */
/* Every node type the library defines, one per file of engine/nodes/. */
#ifndef ST_TYPES_H
#define ST_TYPES_H

#include "node.h"

// Sources
extern const StNodeType st_osc_type;
extern const StNodeType st_noise_type;
extern const StNodeType st_lfo_type;
extern const StNodeType st_const_type;
extern const StNodeType st_wavetable_type;

// Shapers
extern const StNodeType st_svf_type;
extern const StNodeType st_biquad_type;
extern const StNodeType st_vca_type;
extern const StNodeType st_mixer_type;
extern const StNodeType st_xfade_type;
extern const StNodeType st_pan_type;
extern const StNodeType st_shaper_type;
extern const StNodeType st_delay_type;
extern const StNodeType st_sh_type;
extern const StNodeType st_slew_type;
extern const StNodeType st_math_type;
extern const StNodeType st_compressor_type;
extern const StNodeType st_limiter_type;
extern const StNodeType st_wavefolder_type;
extern const StNodeType st_crusher_type;
extern const StNodeType st_ringmod_type;

// Space
extern const StNodeType st_reverb_type;
extern const StNodeType st_chorus_type;
extern const StNodeType st_flanger_type;
extern const StNodeType st_phaser_type;
extern const StNodeType st_comb_type;
extern const StNodeType st_allpass_type;

// Envelopes
extern const StNodeType st_adsr_type;
extern const StNodeType st_follower_type;

// Sequencing
extern const StNodeType st_transport_type;
extern const StNodeType st_seq_type;
extern const StNodeType st_arp_type;
extern const StNodeType st_clockdiv_type;
extern const StNodeType st_gatedelay_type;
extern const StNodeType st_quantize_type;

// I/O
extern const StNodeType st_input_type;
extern const StNodeType st_output_type;
extern const StNodeType st_midi_type;
extern const StNodeType st_poly_type;
extern const StNodeType st_macro_type;
extern const StNodeType st_cc_type;

#endif
