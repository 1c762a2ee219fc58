/* SPDX-License-Identifier: ISC */
#include "patch_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char*
kind_of(mode_t mode)
{
  return S_ISDIR(mode)    ? "a directory"
         : S_ISFIFO(mode) ? "a FIFO"
         : S_ISCHR(mode)  ? "a character device"
         : S_ISBLK(mode)  ? "a block device"
         : S_ISSOCK(mode) ? "a socket"
                          : "not a regular file";
}

/* Reads at most `limit` + 1 bytes: one more tells a file that grew past
   the limit while it was read. */
static ssize_t
read_bounded(int fd, char* text, size_t limit)
{
  size_t n = 0;
  while (n <= limit) {
    const ssize_t got = read(fd, text + n, limit + 1 - n);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got < 0) {
      return -1;
    }
    if (got == 0) {
      break;
    }
    n += (size_t)got;
  }
  return (ssize_t)n;
}

char*
st_patch_file_read(const char* path, size_t* length, char* why, size_t why_size)
{
  // O_NONBLOCK: opening a FIFO without a writer returns at once.
  const int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    snprintf(why, why_size, "%s", strerror(errno));
    return NULL;
  }
  struct stat st;
  char*       text = NULL;
  if (fstat(fd, &st)) {
    snprintf(why, why_size, "%s", strerror(errno));
  } else if (!S_ISREG(st.st_mode)) {
    snprintf(why, why_size, "%s, not a regular file", kind_of(st.st_mode));
  } else if ((unsigned long long)st.st_size > ST_MAX_PATCH_FILE) {
    snprintf(why, why_size, "the file (%lld bytes) is larger than the %u MiB limit",
             (long long)st.st_size, ST_MAX_PATCH_FILE >> 20);
  } else if (!(text = malloc(ST_MAX_PATCH_FILE + 1))) {
    snprintf(why, why_size, "out of memory");
  } else {
    const ssize_t n = read_bounded(fd, text, ST_MAX_PATCH_FILE);
    if (n < 0 || (size_t)n > ST_MAX_PATCH_FILE) {
      snprintf(why, why_size, "%s",
               n < 0 ? strerror(errno) : "the file grew beyond the size limit while it was read");
      free(text);
      text = NULL;
    } else {
      text[n] = '\0';
      *length = (size_t)n;
    }
  }
  close(fd);
  return text;
}
