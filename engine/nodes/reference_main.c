/* SPDX-License-Identifier: ISC */
/* strata-reference: prints the node reference, or checks or rewrites the
   section of docs/nodes.md between the nodes markers. */
#include "reference.h"

#include <stdlib.h>
#include <string.h>

#define BEGIN "<!-- nodes:begin -->\n"
#define END "<!-- nodes:end -->"
#define UPDATE "ninja -C build update-reference"

static char*
slurp(const char* path)
{
  FILE* f = fopen(path, "rb");
  if (!f) {
    return NULL;
  }
  fseek(f, 0, SEEK_END);
  const long n   = ftell(f);
  char*      buf = n >= 0 ? calloc((size_t)n + 1, 1) : NULL;
  fseek(f, 0, SEEK_SET);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  return buf;
}

static char*
generate(void)
{
  char*  text = NULL;
  size_t size = 0;
  FILE*  f    = open_memstream(&text, &size);
  if (!f || !st_reference_write(f)) {
    fprintf(stderr, "strata-reference: cannot generate the reference\n");
    exit(EXIT_FAILURE);
  }
  fclose(f);
  return text;
}

/* Checks the document's section against `text`, or rewrites it with --update. */
static int
section(const char* path, const char* text, bool update)
{
  char*       doc   = slurp(path);
  char*       begin = doc ? strstr(doc, BEGIN) : NULL;
  char*       end   = begin ? strstr(begin, END) : NULL;
  if (!end) {
    fprintf(stderr, "%s: no '%s' ... '%s' section\n", path, "<!-- nodes:begin -->", END);
    free(doc);
    return EXIT_FAILURE;
  }
  begin += strlen(BEGIN);
  const size_t old_len = (size_t)(end - begin);
  int          status  = EXIT_SUCCESS;
  if (update) {
    FILE* f = fopen(path, "wb");
    if (!f || fwrite(doc, 1, (size_t)(begin - doc), f) != (size_t)(begin - doc) ||
        fputs(text, f) < 0 || fputs(end, f) < 0 || fclose(f)) {
      fprintf(stderr, "%s: cannot write\n", path);
      status = EXIT_FAILURE;
    }
  } else if (old_len != strlen(text) || strncmp(begin, text, old_len)) {
    fprintf(stderr, "%s: the node reference is out of date; regenerate it with:\n  %s\n",
            path, UPDATE);
    status = EXIT_FAILURE;
  }
  free(doc);
  return status;
}

int
main(int argc, char** argv)
{
  if (argc == 1) {
    return st_reference_write(stdout) ? EXIT_SUCCESS : EXIT_FAILURE;
  }
  const bool update = argc == 3 && !strcmp(argv[1], "--update");
  if (argc != 3 || (!update && strcmp(argv[1], "--check"))) {
    fprintf(stderr, "usage: strata-reference [--check|--update docs/nodes.md]\n");
    return EXIT_FAILURE;
  }
  char*     text   = generate();
  const int status = section(argv[2], text, update);
  free(text);
  return status;
}
