/* SPDX-License-Identifier: ISC */
#include "wav.h"

#include <sndfile.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SR_AUDIO_MAX_FRAMES (1ull << 31) ///< Longest input read (12 hours at 48 kHz)
#define CHUNK               4096         ///< Frames converted at once

/* libsndfile's last error, without its "System error : " and final dot. */
static void
sndfile_error(SNDFILE* file, char* why, size_t why_size)
{
  static const char system[] = "System error : ";
  const char*       text     = sf_strerror(file);
  if (!strncmp(text, system, sizeof(system) - 1)) {
    text += sizeof(system) - 1;
  }
  size_t len = strlen(text);
  len        = len && text[len - 1] == '.' ? len - 1 : len;
  snprintf(why, why_size, "%.*s", (int)len, text);
}

bool
sr_audio_read(const char* path, SrAudio* audio, char* why, size_t why_size)
{
  memset(audio, 0, sizeof(*audio));
  FILE* probe = fopen(path, "rb"); // For the system's words on a missing file.
  if (!probe) {
    snprintf(why, why_size, "%s", strerror(errno));
    return false;
  }
  fclose(probe);
  SF_INFO  info = {0};
  SNDFILE* file = sf_open(path, SFM_READ, &info);
  if (!file) {
    snprintf(why, why_size, "not a readable audio file (%s)", sf_strerror(NULL));
    return false;
  }
  bool ok = false;
  if (info.channels < 1 || info.channels > 2) {
    snprintf(why, why_size, "%d channels (only mono and stereo are read)", info.channels);
  } else if (info.frames < 0 || (uint64_t)info.frames > SR_AUDIO_MAX_FRAMES) {
    snprintf(why, why_size, "too long (%lld frames)", (long long)info.frames);
  } else if (info.samplerate <= 0) {
    snprintf(why, why_size, "bad sample rate %d", info.samplerate);
  } else {
    const size_t n = (size_t)info.frames;
    audio->left    = malloc((n ? n : 1) * sizeof(float));
    audio->right   = malloc((n ? n : 1) * sizeof(float));
    float* buf     = malloc(CHUNK * 2 * sizeof(float));
    ok             = audio->left && audio->right && buf;
    size_t done    = 0;
    while (ok && done < n) {
      const sf_count_t want = (sf_count_t)(n - done < CHUNK ? n - done : CHUNK);
      const sf_count_t got  = sf_readf_float(file, buf, want);
      if (got <= 0) {
        break; // A file shorter than its header says: keep what was read.
      }
      for (sf_count_t i = 0; i < got; ++i) {
        audio->left[done + (size_t)i]  = buf[i * info.channels];
        audio->right[done + (size_t)i] = buf[i * info.channels + info.channels - 1];
      }
      done += (size_t)got;
    }
    free(buf);
    if (!ok) {
      snprintf(why, why_size, "out of memory");
    }
    audio->frames   = done;
    audio->rate     = (uint32_t)info.samplerate;
    audio->channels = (uint32_t)info.channels;
  }
  sf_close(file);
  if (!ok) {
    sr_audio_free(audio);
  }
  return ok;
}

void
sr_audio_free(SrAudio* audio)
{
  free(audio->left);
  free(audio->right);
  memset(audio, 0, sizeof(*audio));
}

/* Frames are gathered into CHUNK-frame writes: one system call per 32 KiB,
   not one per host block. */
struct SrWavWriter {
  SNDFILE* file;
  uint32_t used;           ///< Frames waiting in buf
  float    buf[CHUNK * 2]; ///< Interleaved frames
};

static bool
flush(SrWavWriter* wav, char* why, size_t why_size)
{
  const sf_count_t n = (sf_count_t)wav->used;
  wav->used          = 0;
  if (n && sf_writef_float(wav->file, wav->buf, n) != n) {
    sndfile_error(wav->file, why, why_size);
    return false;
  }
  return true;
}

SrWavWriter*
sr_wav_create(const char* path, uint32_t rate, char* why, size_t why_size)
{
  SrWavWriter* wav  = calloc(1, sizeof(SrWavWriter));
  SF_INFO      info = {.samplerate = (int)rate,
                       .channels   = 2,
                       .format     = SF_FORMAT_WAV | SF_FORMAT_FLOAT};
  if (!wav) {
    snprintf(why, why_size, "out of memory");
    return NULL;
  }
  if (!(wav->file = sf_open(path, SFM_WRITE, &info))) {
    sndfile_error(NULL, why, why_size);
    free(wav);
    return NULL;
  }
  return wav;
}

bool
sr_wav_write(SrWavWriter* wav, const float* left, const float* right, uint32_t frames,
             char* why, size_t why_size)
{
  for (uint32_t done = 0; done < frames;) {
    const uint32_t room = CHUNK - wav->used;
    const uint32_t n    = frames - done < room ? frames - done : room;
    float*         dst  = wav->buf + 2 * wav->used;
    for (uint32_t i = 0; i < n; ++i) {
      dst[2 * i]     = left[done + i];
      dst[2 * i + 1] = right[done + i];
    }
    wav->used += n;
    done += n;
    if (wav->used == CHUNK && !flush(wav, why, why_size)) {
      return false;
    }
  }
  return true;
}

bool
sr_wav_close(SrWavWriter* wav, char* why, size_t why_size)
{
  if (!wav) {
    return true;
  }
  const bool flushed = flush(wav, why, why_size);
  const int  err     = flushed ? sf_error(wav->file) : 0;
  if (err) {
    snprintf(why, why_size, "%s", sf_error_number(err));
  }
  const int closed = sf_close(wav->file);
  if (flushed && !err && closed) {
    snprintf(why, why_size, "%s", sf_error_number(closed));
  }
  free(wav);
  return flushed && !err && !closed;
}
