/* SPDX-License-Identifier: ISC */
/* The fuzz targets' host: the host library (tools/host) running the
   plugin's code linked into the target (so that the fuzzer's coverage and
   the sanitizers see it), its ports as the bundle on LV2_PATH describes
   them. One instance lives across inputs, as a running plugin does. */
#ifndef FH_FUZZ_HOST_H
#define FH_FUZZ_HOST_H

#include <lv2/core/lv2.h>
#include <lv2/urid/urid.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FH_ATOM_BYTES 65536 ///< Control and notify buffers
#define FH_BLOCK      64

/* The instance (created on first use) and the URID of a URI. */
LV2_Handle    fh_instance(void);
LV2_URID      fh_urid(const char* uri);
LV2_URID_Map* fh_map(void);

/* One block: `body` (a sequence body, any bytes) as the control port, then
   the worker's requests and responses, as a host between two run()s; then
   a block with no events. Aborts when the output or the notify port is
   not sane. */
void fh_run(const void* body, uint32_t size);

/* restore() with one property value, with or without work:schedule; then
   two blocks. Returns restore()'s status. */
int fh_restore(uint32_t key, uint32_t type, uint32_t flags, const void* value, size_t size,
               bool worker);

/* save(): aborts unless it stores one zero-terminated atom:String. */
void fh_save(void);

#endif
