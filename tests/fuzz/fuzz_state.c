/* SPDX-License-Identifier: ISC */
/* Fuzz target: state restore with arbitrary property values. The first
   bytes choose the property's type, key, flags and whether restore() gets
   the worker; the rest is the value (not zero-terminated unless the input
   says so). A refused state must leave the instance sane; save() must then
   store one zero-terminated atom:String. */
#include "fuzz.h"
#include "fuzz_host.h"
#include "uris.h"

#include <lv2/atom/atom.h>
#include <lv2/state/state.h>

#include <stdio.h>
#include <string.h>

int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  fh_instance();
  if (size < 2) {
    return 0;
  }
  static const char* const types[] = {LV2_ATOM__String, LV2_ATOM__String, LV2_ATOM__Path,
                                      LV2_ATOM__Int,    LV2_ATOM__Chunk,  LV2_ATOM__URID};
  const uint32_t type = fh_urid(types[data[0] % 6]);
  const uint32_t key  = data[0] & 0x40 ? fh_urid(STRATA__macro "1")
                                       : fh_urid(STRATA__patch);
  const uint32_t flags  = data[1] & 3;
  const bool     worker = data[1] & 4;
  fh_restore(key, type, flags, data + 2, size - 2, worker);
  fh_save();
  return 0;
}

void
fuzz_make_seeds(const char* dir)
{
  static const char* const texts[] = {
    "node o osc wave=saw\nlink o.out -> out.left\n",
    "node a osc\nnode f svf cutoff=500\nlink a.out -> f.in\nlink f.lp -> out.right\n"
    "macro 2 f.cutoff 100..5000 exp \"Cut\"\n",
    "node broken nosuchtype\n",
  };
  for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); ++i) {
    uint8_t buf[512];
    buf[0] = 0;                    // atom:String, the patch key
    buf[1] = (uint8_t)(i ? 5 : 1); // POD, with or without the worker
    memcpy(buf + 2, texts[i], strlen(texts[i]) + 1);
    char name[32];
    snprintf(name, sizeof(name), "state%zu", i);
    fuzz_write_seed(dir, name, buf, strlen(texts[i]) + 3);
  }
  const uint8_t wrong_type[] = {3, 4, 42, 0, 0, 0};
  fuzz_write_seed(dir, "int_value", wrong_type, sizeof(wrong_type));
}
