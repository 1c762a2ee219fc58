/* SPDX-License-Identifier: ISC */
#include "slurp.h"

#include <stdio.h>
#include <stdlib.h>

char*
bench_slurp(const char* path, size_t* size)
{
  FILE* f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(1);
  }
  fseek(f, 0, SEEK_END);
  *size = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  char* text = malloc(*size + 1);
  if (!text || fread(text, 1, *size, f) != *size) {
    fprintf(stderr, "%s: cannot read\n", path);
    exit(1);
  }
  fclose(f);
  text[*size] = '\0';
  return text;
}
