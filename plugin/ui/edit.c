/* SPDX-License-Identifier: ISC */
#include "edit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

StUiEdit
st_ui_edit(StUiEditKind kind)
{
  StUiEdit edit;
  memset(&edit, 0, sizeof(edit));
  edit.kind = kind;
  return edit;
}

void
st_ui_edit_clear(StUiEdit* edit)
{
  free(edit->text);
  *edit = st_ui_edit(edit->kind);
}

bool
st_ui_edit_copy(StUiEdit* dst, const StUiEdit* src)
{
  *dst = *src;
  if (src->text) {
    dst->text = strdup(src->text);
    return dst->text != NULL;
  }
  return true;
}

void
st_ui_copy_name(char* dst, const char* src, size_t size)
{
  snprintf(dst, size, "%s", src);
}

bool
st_ui_ref_split(const char* ref, char* node, char* port)
{
  const char* dot = strchr(ref, '.');
  if (!dot || (size_t)(dot - ref) >= ST_NAME_MAX || strlen(dot + 1) >= ST_NAME_MAX) {
    return false;
  }
  memcpy(node, ref, (size_t)(dot - ref));
  node[dot - ref] = '\0';
  strcpy(port, dot + 1);
  return true;
}

void
st_ui_ref_join(char* ref, const char* node, const char* port)
{
  snprintf(ref, ST_UI_REF_MAX, "%s.%s", node, port);
}
