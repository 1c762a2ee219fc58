/* SPDX-License-Identifier: ISC */
#include "status.h"

#include "engine.h"

_Static_assert((long)ST_MIN_RATE == 8000 && (long)ST_MAX_RATE == 768000,
               "the ST_ERR_RATE message names the accepted range");

const char*
st_status_string(StStatus status)
{
  switch (status) {
  case ST_OK: return "ok";
  case ST_ERR_NO_MEMORY: return "out of memory";
  case ST_ERR_FULL: return "node capacity reached";
  case ST_ERR_POOL: return "buffer pool exhausted";
  case ST_ERR_STALE: return "stale or unknown node handle";
  case ST_ERR_PORT: return "bad port";
  case ST_ERR_PARAM: return "bad parameter";
  case ST_ERR_RANGE: return "value out of range";
  case ST_ERR_CYCLE: return "link would close a cycle";
  case ST_ERR_UNKNOWN: return "unknown name";
  case ST_ERR_NAME: return "bad node name";
  case ST_ERR_BUSY: return "engine busy, retry";
  case ST_ERR_SYNTAX: return "syntax error";
  case ST_ERR_BAD_ARG: return "bad argument";
  case ST_ERR_RATE: return "sample rate outside the accepted 8000..768000 Hz";
  case ST_ERR_BUDGET: return "patch over the memory budget";
  }
  return "unknown status";
}
