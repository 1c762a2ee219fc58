/* SPDX-License-Identifier: ISC */
/* Audio files through libsndfile: reading the --in file (mono or stereo,
   any format libsndfile reads) and writing the output as 32-bit float
   stereo WAV, block by block. */
#ifndef SR_WAV_H
#define SR_WAV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A whole input file, as two channels (a mono file gives the same samples
   to both). */
typedef struct {
  float*   left;
  float*   right;
  uint64_t frames;
  uint32_t rate;      ///< Its sample rate
  uint32_t channels;  ///< 1 or 2, as in the file
} SrAudio;

/* Reads the file; false with the reason in `why` (without the path). */
bool sr_audio_read(const char* path, SrAudio* audio, char* why, size_t why_size);
void sr_audio_free(SrAudio* audio);

typedef struct SrWavWriter SrWavWriter;

/* Creates (or truncates) `path` as a float stereo WAV at `rate`. */
SrWavWriter* sr_wav_create(const char* path, uint32_t rate, char* why, size_t why_size);
/* Appends `frames` frames; false with the reason on a write error. */
bool sr_wav_write(SrWavWriter* wav, const float* left, const float* right, uint32_t frames,
                  char* why, size_t why_size);
/* Finishes the file; false with the reason when it could not be completed. */
bool sr_wav_close(SrWavWriter* wav, char* why, size_t why_size);

#endif
