/* SPDX-License-Identifier: ISC */
/* Reading atoms that came from the host or a UI. Every reader checks the
   atom's type and that its body is as large as the type needs, so that a
   short or empty atom at the end of a buffer is never read past its end.
   The one set of readers for run(), the worker and restore(). */
#ifndef ST_ATOMS_H
#define ST_ATOMS_H

#include "uris.h"

#include <lv2/atom/atom.h>

#include <stdbool.h>
#include <stdint.h>

/* A finite number of any atom number type (Float, Double, Int, Long). */
bool st_atom_number(const StUris* u, const LV2_Atom* a, float* value);

/* A finite number of any atom number type, as a double (a song position
   needs more digits than a float holds). */
bool st_atom_double(const StUris* u, const LV2_Atom* a, double* value);

/* A patch:sequenceNumber: an Int, or a Long or a whole Float or Double
   inside int32 (a number that cannot be echoed as an Int is refused). */
bool st_atom_sequence_number(const StUris* u, const LV2_Atom* a, int32_t* value);

/* The value of a Bool atom. */
bool st_atom_bool(const StUris* u, const LV2_Atom* a, bool* value);

/* The `n` values of an atom:Vector of exactly `n` finite atom:Float. */
bool st_atom_float_vector(const StUris* u, const LV2_Atom* a, float* values, uint32_t n);

/* The URID of a URID atom. */
bool st_atom_urid(const StUris* u, const LV2_Atom* a, LV2_URID* value);

/* The zero-terminated text of a String, URI or Path atom (the zero within
   its size), or NULL. */
const char* st_atom_string(const StUris* u, const LV2_Atom* a);

/* True when `a` is an Object (or Blank) whose body and every property lie
   inside its size: only then may its properties be looked up. */
bool st_atom_object_valid(const StUris* u, const LV2_Atom* a);

/* The value of the first property with this key in a valid object, or NULL. */
const LV2_Atom* st_atom_property(const LV2_Atom_Object* object, LV2_URID key);

#endif
