/* SPDX-License-Identifier: ISC */
/* A main for the fuzz targets outside libFuzzer (the normal gcc build):
   replays every file of the directories or files given, so that the seed
   corpus and each crash found (tests/fuzz/regressions/<target>/) are
   regression tests; `--seeds DIR` writes the target's seed corpus. */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void
fuzz_write_seed(const char* dir, const char* name, const void* data, size_t size)
{
  char path[1024];
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  FILE* f = fopen(path, "wb");
  if (!f || fwrite(data, 1, size, f) != size) {
    fprintf(stderr, "cannot write %s\n", path);
    exit(1);
  }
  fclose(f);
}

static int
replay_file(const char* path)
{
  FILE* f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    return 1;
  }
  fseek(f, 0, SEEK_END);
  const long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t* data = malloc(size > 0 ? (size_t)size : 1);
  const size_t n = fread(data, 1, (size_t)(size > 0 ? size : 0), f);
  fclose(f);
  LLVMFuzzerTestOneInput(data, n);
  free(data);
  return 0;
}

static int
replay(const char* path, unsigned* count)
{
  struct stat st;
  if (stat(path, &st)) {
    return 0; // An empty regression folder is not kept by git
  }
  if (!S_ISDIR(st.st_mode)) {
    ++*count;
    return replay_file(path);
  }
  DIR* dir    = opendir(path);
  int  failed = 0;
  for (struct dirent* e; dir && (e = readdir(dir));) {
    if (e->d_name[0] != '.') {
      char file[1024];
      snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
      failed |= replay(file, count);
    }
  }
  if (dir) {
    closedir(dir);
  }
  return failed;
}

int
main(int argc, char** argv)
{
  if (argc == 3 && !strcmp(argv[1], "--seeds")) {
    fuzz_make_seeds(argv[2]);
    return 0;
  }
  unsigned count  = 0;
  int      failed = 0;
  for (int i = 1; i < argc; ++i) {
    failed |= replay(argv[i], &count);
  }
  printf("replayed %u inputs\n", count);
  return failed;
}
