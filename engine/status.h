/* SPDX-License-Identifier: ISC */
/* Status codes returned by every fallible engine call. */
#ifndef ST_STATUS_H
#define ST_STATUS_H

typedef enum {
  ST_OK = 0,          ///< Success
  ST_ERR_NO_MEMORY,   ///< An allocation failed (control side only)
  ST_ERR_FULL,        ///< The node arena is at capacity
  ST_ERR_POOL,        ///< The buffer pool cannot hold the planned schedule
  ST_ERR_STALE,       ///< Handle refers to a removed node or to no node at all
  ST_ERR_PORT,        ///< Port index out of range, or port already linked
  ST_ERR_PARAM,       ///< Parameter index out of range or fixed at creation
  ST_ERR_RANGE,       ///< Value outside the allowed range
  ST_ERR_CYCLE,       ///< The link would close a cycle
  ST_ERR_UNKNOWN,     ///< Unknown node type, node name, port or parameter name
  ST_ERR_NAME,        ///< Node name invalid or already used
  ST_ERR_BUSY,        ///< Command ring full: retry after the audio thread ran
  ST_ERR_SYNTAX,      ///< Patch text could not be parsed
  ST_ERR_BAD_ARG,     ///< Argument of the wrong kind (NULL, bad size...)
  ST_ERR_RATE,        ///< Sample rate outside ST_MIN_RATE..ST_MAX_RATE
  ST_ERR_BUDGET,      ///< The patch's node state would exceed the memory budget
} StStatus;

/* A short constant description of a status, for messages. */
const char* st_status_string(StStatus status);

#endif
