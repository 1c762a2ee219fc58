/* SPDX-License-Identifier: ISC */
#include "atoms.h"

#include <lv2/atom/util.h>

#include <math.h>
#include <string.h>

/* The body of `a` when it is of `type` and holds at least `size` bytes. */
static const void*
body_of(const LV2_Atom* a, LV2_URID type, uint32_t size)
{
  return a && type && a->type == type && a->size >= size ? LV2_ATOM_BODY_CONST(a) : NULL;
}

bool
st_atom_number(const StUris* u, const LV2_Atom* a, float* value)
{
  const void* b = NULL;
  if ((b = body_of(a, u->atom_Float, sizeof(float)))) {
    memcpy(value, b, sizeof(float));
  } else if ((b = body_of(a, u->atom_Double, sizeof(double)))) {
    double d;
    memcpy(&d, b, sizeof(d));
    *value = (float)d;
  } else if ((b = body_of(a, u->atom_Int, sizeof(int32_t)))) {
    int32_t i;
    memcpy(&i, b, sizeof(i));
    *value = (float)i;
  } else if ((b = body_of(a, u->atom_Long, sizeof(int64_t)))) {
    int64_t l;
    memcpy(&l, b, sizeof(l));
    *value = (float)l;
  } else {
    return false;
  }
  return isfinite(*value);
}

bool
st_atom_double(const StUris* u, const LV2_Atom* a, double* value)
{
  const void* b = NULL;
  if ((b = body_of(a, u->atom_Double, sizeof(double)))) {
    memcpy(value, b, sizeof(double));
  } else if ((b = body_of(a, u->atom_Long, sizeof(int64_t)))) {
    int64_t l;
    memcpy(&l, b, sizeof(l));
    *value = (double)l;
  } else {
    float f;
    if (!st_atom_number(u, a, &f)) {
      return false;
    }
    *value = f;
  }
  return isfinite(*value);
}

bool
st_atom_sequence_number(const StUris* u, const LV2_Atom* a, int32_t* value)
{
  const void* b = body_of(a, u->atom_Int, sizeof(int32_t));
  if (b) {
    memcpy(value, b, sizeof(*value));
    return true;
  }
  double d = 0.0;
  if ((b = body_of(a, u->atom_Long, sizeof(int64_t)))) {
    int64_t l;
    memcpy(&l, b, sizeof(l));
    d = (double)l;
  } else if ((b = body_of(a, u->atom_Double, sizeof(double)))) {
    memcpy(&d, b, sizeof(d));
  } else if ((b = body_of(a, u->atom_Float, sizeof(float)))) {
    float f;
    memcpy(&f, b, sizeof(f));
    d = f;
  } else {
    return false;
  }
  // NaN fails both comparisons.
  if (!(d >= -2147483648.0 && d < 2147483648.0) || d != floor(d)) {
    return false;
  }
  *value = (int32_t)d;
  return true;
}

bool
st_atom_bool(const StUris* u, const LV2_Atom* a, bool* value)
{
  const void* b = body_of(a, u->atom_Bool, sizeof(int32_t));
  int32_t     v = 0;
  if (b) {
    memcpy(&v, b, sizeof(v));
    *value = v != 0;
  }
  return b != NULL;
}

bool
st_atom_float_vector(const StUris* u, const LV2_Atom* a, float* values, uint32_t n)
{
  const LV2_Atom_Vector_Body* body = body_of(a, u->atom_Vector, sizeof(LV2_Atom_Vector_Body));
  if (!body || body->child_type != u->atom_Float || body->child_size != sizeof(float) ||
      a->size != sizeof(LV2_Atom_Vector_Body) + n * sizeof(float)) {
    return false;
  }
  memcpy(values, body + 1, n * sizeof(float));
  for (uint32_t i = 0; i < n; ++i) {
    if (!isfinite(values[i])) {
      return false;
    }
  }
  return true;
}

bool
st_atom_urid(const StUris* u, const LV2_Atom* a, LV2_URID* value)
{
  const void* b = body_of(a, u->atom_URID, sizeof(LV2_URID));
  if (b) {
    memcpy(value, b, sizeof(*value));
  }
  return b != NULL;
}

const char*
st_atom_string(const StUris* u, const LV2_Atom* a)
{
  if (!a || a->size == 0 ||
      !(a->type == u->atom_String || a->type == u->atom_URI || a->type == u->atom_Path)) {
    return NULL;
  }
  const char* s = (const char*)LV2_ATOM_BODY_CONST(a);
  return memchr(s, '\0', a->size) ? s : NULL;
}

bool
st_atom_object_valid(const StUris* u, const LV2_Atom* a)
{
  if (!a || !(a->type == u->atom_Object || a->type == u->atom_Blank) ||
      a->size < sizeof(LV2_Atom_Object_Body)) {
    return false;
  }
  const uint8_t* at  = (const uint8_t*)LV2_ATOM_BODY_CONST(a) + sizeof(LV2_Atom_Object_Body);
  const uint8_t* end = (const uint8_t*)LV2_ATOM_BODY_CONST(a) + a->size;
  while (at < end) {
    if ((size_t)(end - at) < sizeof(LV2_Atom_Property_Body)) {
      return false;
    }
    const uint64_t size = sizeof(LV2_Atom_Property_Body) +
                          (uint64_t)((const LV2_Atom_Property_Body*)at)->value.size;
    if (size > (uint64_t)(end - at)) {
      return false;
    }
    at += (size + 7u) & ~(uint64_t)7u;
  }
  return true;
}

const LV2_Atom*
st_atom_property(const LV2_Atom_Object* object, LV2_URID key)
{
  LV2_ATOM_OBJECT_FOREACH (object, prop) {
    if (prop->key == key) {
      return &prop->value;
    }
  }
  return NULL;
}
