/* SPDX-License-Identifier: ISC */
/* Reading a patch file named by a message, without ever blocking: the file
   is opened non-blocking, only a regular file under the size limit is
   accepted, and no more than the limit is read even if it grows. */
#ifndef ST_PATCH_FILE_H
#define ST_PATCH_FILE_H

#include <stddef.h>

#define ST_MAX_PATCH_FILE (1u << 20) ///< Largest patch file the plugin reads

/* The whole text of the file (malloc'd, zero-terminated), or NULL with the
   reason in `why` ("not a regular file (a FIFO)", "larger than 1 MiB"...). */
char* st_patch_file_read(const char* path, size_t* length, char* why, size_t why_size);

#endif
