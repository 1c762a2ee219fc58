/* SPDX-License-Identifier: ISC */
/* Events queued for the next run(): MIDI, patch messages and raw bytes. */
#include "host_private.h"

#include <lv2/atom/util.h>
#include <lv2/patch/patch.h>

#include <string.h>

uint32_t
sh_host_event_room(const ShHost* host)
{
  return host->config.atom_capacity - (uint32_t)sizeof(LV2_Atom_Sequence) -
         (uint32_t)sizeof(LV2_Atom_Event);
}

/* Bytes the control sequence's body may hold. */
static uint32_t
body_room(const ShHost* host)
{
  return host->config.atom_capacity - (uint32_t)sizeof(LV2_Atom_Sequence);
}

bool
sh_host_send(ShHost* host, uint32_t frame, const LV2_Atom* atom)
{
  const uint32_t room = body_room(host) - host->pending_used;
  if (atom->size > room || lv2_atom_pad_size(sizeof(LV2_Atom_Event) + atom->size) > room) {
    return false;
  }
  // Raw bytes may have left the end unaligned: copy, never store through a cast.
  uint8_t*      at   = (uint8_t*)host->pending + host->pending_used;
  const int64_t time = frame;
  memcpy(at, &time, sizeof(time));
  memcpy(at + sizeof(time), atom, sizeof(LV2_Atom) + atom->size);
  host->pending_used += lv2_atom_pad_size(sizeof(LV2_Atom_Event) + atom->size);
  return true;
}

uint32_t
sh_host_send_raw(ShHost* host, const void* bytes, uint32_t size)
{
  const uint32_t room = body_room(host) - host->pending_used;
  size                = size < room ? size : room;
  if (size) {  // bytes may be NULL when there are none
    memcpy((uint8_t*)host->pending + host->pending_used, bytes, size);
  }
  host->pending_used += size;
  return size;
}

bool
sh_host_send_midi(ShHost* host, uint32_t frame, const uint8_t* msg, uint32_t size)
{
  struct {
    LV2_Atom atom;
    uint8_t  msg[16];
  } ev;
  if (size > sizeof(ev.msg)) {
    return false;
  }
  ev.atom = (LV2_Atom){size, host->u->midi_MidiEvent};
  memcpy(ev.msg, msg, size);
  return sh_host_send(host, frame, &ev.atom);
}

LV2_Atom_Forge*
sh_host_forge(ShHost* host)
{
  lv2_atom_forge_set_buffer(&host->forge, (uint8_t*)host->scratch, host->config.atom_capacity);
  return &host->forge;
}

bool
sh_host_send_forged(ShHost* host, uint32_t frame)
{
  if (host->forge.offset == 0 || host->forge.offset > host->forge.size ||
      host->forge.buf != (uint8_t*)host->scratch) {
    return false;  // Nothing built, or the forge overflowed (it then stops writing).
  }
  const LV2_Atom* atom = (const LV2_Atom*)host->scratch;
  if (sizeof(LV2_Atom) + atom->size > host->forge.offset) {
    return false;
  }
  return sh_host_send(host, frame, atom);
}

static void
begin(ShHost* host, LV2_Atom_Forge_Frame* frame, LV2_URID type, int32_t seq)
{
  LV2_Atom_Forge* f = sh_host_forge(host);
  lv2_atom_forge_object(f, frame, 0, type);
  if (seq >= 0) {
    lv2_atom_forge_key(f, host->u->patch_sequenceNumber);
    lv2_atom_forge_int(f, seq);
  }
}

bool
sh_host_patch_set_string(ShHost* host, uint32_t frame, int32_t seq, const char* property,
                         const char* type_uri, const char* value)
{
  LV2_Atom_Forge_Frame msg;
  LV2_Atom_Forge*      f = &host->forge;
  begin(host, &msg, host->u->patch_Set, seq);
  lv2_atom_forge_key(f, host->u->patch_property);
  lv2_atom_forge_urid(f, sh_urid(host->world, property));
  lv2_atom_forge_key(f, host->u->patch_value);
  const LV2_Atom_Forge_Ref ref = lv2_atom_forge_typed_string(f, sh_urid(host->world, type_uri),
                                                             value, (uint32_t)strlen(value));
  lv2_atom_forge_pop(f, &msg);
  return ref && sh_host_send_forged(host, frame);
}

bool
sh_host_patch_get(ShHost* host, uint32_t frame, int32_t seq)
{
  LV2_Atom_Forge_Frame msg;
  begin(host, &msg, host->u->patch_Get, seq);
  lv2_atom_forge_pop(&host->forge, &msg);
  return sh_host_send_forged(host, frame);
}
