/* SPDX-License-Identifier: ISC */
/* Fuzz target: the atom edit decoder. Arbitrary bytes become the events of
   the control sequence of a running instance, the worker runs, and the
   host checks that the output stays finite and the notify port well
   formed (fuzz_host.c). The first byte chooses the layout:
   - bit 0 clear: the rest is the sequence body as it is (events, sizes and
     all: truncated and overlapping atoms included);
   - bit 0 set: the rest is chunks of [2-byte length][atom bytes], each
     wrapped in an event; with bit 1 set the atom's size is made to match
     its chunk (well-formed envelopes, arbitrary contents). */
#include "fuzz.h"
#include "fuzz_host.h"
#include "uris.h"

#include <lv2/atom/forge.h>
#include <lv2/midi/midi.h>
#include <lv2/patch/patch.h>

#include <stdio.h>
#include <string.h>

static uint64_t body[FH_ATOM_BYTES / 8];

int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  fh_instance();
  if (!size) {
    return 0;
  }
  const uint8_t mode = data[0];
  ++data;
  --size;
  uint8_t* out  = (uint8_t*)body;
  uint32_t used = 0;
  if (!(mode & 1)) {
    used = size < sizeof(body) ? (uint32_t)size : (uint32_t)sizeof(body);
    memcpy(out, data, used);
  } else {
    for (uint32_t n = 0; size >= 2; ++n) {
      uint32_t len = (uint32_t)data[0] | (uint32_t)data[1] << 8;
      data += 2;
      size -= 2;
      len = len < size ? len : (uint32_t)size;
      const uint32_t padded = (len + 7u) & ~7u;
      if (len < sizeof(LV2_Atom) || used + sizeof(int64_t) + padded > sizeof(body)) {
        break;
      }
      const int64_t frame = n * 4;
      memcpy(out + used, &frame, sizeof(frame));
      memcpy(out + used + sizeof(frame), data, len);
      memset(out + used + sizeof(frame) + len, 0, padded - len);
      if (mode & 2) {
        const uint32_t atom_size = len - (uint32_t)sizeof(LV2_Atom);
        memcpy(out + used + sizeof(frame), &atom_size, sizeof(atom_size));
      }
      used += (uint32_t)sizeof(frame) + padded;
      data += len;
      size -= len;
    }
  }
  fh_run(body, used);
  return 0;
}

/* --- Seeds: real messages, as the plugin's URIDs map them here --- */

static uint8_t  seed[8192];
static uint32_t seed_used;

static void
add_chunk(const LV2_Atom* atom)
{
  const uint32_t len = (uint32_t)sizeof(LV2_Atom) + atom->size;
  seed[seed_used++]  = (uint8_t)(len & 0xff);
  seed[seed_used++]  = (uint8_t)(len >> 8);
  memcpy(seed + seed_used, atom, len);
  seed_used += len;
}

static LV2_Atom_Forge forge;
static uint64_t       buf[1024];

static LV2_Atom_Forge*
begin(LV2_Atom_Forge_Frame* frame, const char* type, int32_t seq)
{
  lv2_atom_forge_set_buffer(&forge, (uint8_t*)buf, sizeof(buf));
  lv2_atom_forge_object(&forge, frame, 0, fh_urid(type));
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__sequenceNumber));
  lv2_atom_forge_int(&forge, seq);
  return &forge;
}

static void
end(LV2_Atom_Forge_Frame* frame)
{
  lv2_atom_forge_pop(&forge, frame);
  add_chunk((const LV2_Atom*)buf);
}

static void
key_string(const char* key, const char* value)
{
  lv2_atom_forge_key(&forge, fh_urid(key));
  lv2_atom_forge_string(&forge, value, (uint32_t)strlen(value));
}

static void
flush_seed(const char* dir, const char* name)
{
  fuzz_write_seed(dir, name, seed, seed_used);
  seed_used = 0;
}

void
fuzz_make_seeds(const char* dir)
{
  fh_instance();
  lv2_atom_forge_init(&forge, fh_map());
  LV2_Atom_Forge_Frame msg;
  LV2_Atom_Forge_Frame inner;

  seed[seed_used++] = 3; // Chunks with matching sizes
  begin(&msg, LV2_PATCH__Set, 1);
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(&forge, fh_urid(STRATA__patch));
  key_string(LV2_PATCH__value, "node o osc\nnode f svf\nlink o.out -> f.in\nlink f.lp -> out.left\n");
  end(&msg);
  flush_seed(dir, "replace");

  seed[seed_used++] = 3;
  begin(&msg, LV2_PATCH__Put, 2);
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__subject));
  lv2_atom_forge_uri(&forge, STRATA_NODE_PREFIX "n1", sizeof(STRATA_NODE_PREFIX "n1") - 1);
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__body));
  lv2_atom_forge_object(&forge, &inner, 0, 0);
  lv2_atom_forge_key(&forge, fh_urid(RDF__type));
  lv2_atom_forge_urid(&forge, fh_urid(STRATA_TYPE_PREFIX "osc"));
  lv2_atom_forge_key(&forge, fh_urid(STRATA_PARAM_PREFIX "freq"));
  lv2_atom_forge_float(&forge, 330.0f);
  lv2_atom_forge_pop(&forge, &inner);
  end(&msg);
  begin(&msg, LV2_PATCH__Put, 3);
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__body));
  lv2_atom_forge_object(&forge, &inner, 0, fh_urid(STRATA__Link));
  key_string(STRATA__tail, "n1.out");
  key_string(STRATA__head, "out.left");
  lv2_atom_forge_pop(&forge, &inner);
  end(&msg);
  flush_seed(dir, "add_connect");

  seed[seed_used++] = 3;
  begin(&msg, LV2_PATCH__Set, 4);
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__subject));
  lv2_atom_forge_uri(&forge, STRATA_NODE_PREFIX "vcf", sizeof(STRATA_NODE_PREFIX "vcf") - 1);
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(&forge, fh_urid(STRATA_PARAM_PREFIX "cutoff"));
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__value));
  lv2_atom_forge_float(&forge, 1200.0f);
  end(&msg);
  begin(&msg, LV2_PATCH__Put, 5);
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__subject));
  lv2_atom_forge_urid(&forge, fh_urid(STRATA__macro "3"));
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__body));
  lv2_atom_forge_object(&forge, &inner, 0, fh_urid(STRATA__MacroMap));
  key_string(STRATA__target, "vcf.cutoff");
  lv2_atom_forge_key(&forge, fh_urid(STRATA__minimum));
  lv2_atom_forge_float(&forge, 80.0f);
  lv2_atom_forge_key(&forge, fh_urid(STRATA__maximum));
  lv2_atom_forge_float(&forge, 9000.0f);
  key_string(STRATA__curve, "exp");
  lv2_atom_forge_pop(&forge, &inner);
  end(&msg);
  flush_seed(dir, "set_map");

  seed[seed_used++] = 3;
  begin(&msg, LV2_PATCH__Get, 6);
  end(&msg);
  begin(&msg, LV2_PATCH__Set, 7);
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(&forge, fh_urid(STRATA__macro "1"));
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__value));
  lv2_atom_forge_float(&forge, 0.5f);
  end(&msg);
  begin(&msg, LV2_PATCH__Delete, 8);
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__subject));
  lv2_atom_forge_uri(&forge, STRATA_NODE_PREFIX "osc1", sizeof(STRATA_NODE_PREFIX "osc1") - 1);
  end(&msg);
  const struct {
    LV2_Atom atom;
    uint8_t  msg[4];
  } note = {{3, fh_urid(LV2_MIDI__MidiEvent)}, {0x90, 60, 100, 0}};
  add_chunk(&note.atom);
  flush_seed(dir, "get_macro_delete_midi");

  // What an editor sends: a position, a replaced link, a rename, a name,
  // levels and a probe.
  seed[seed_used++] = 3;
  const float xy[]  = {120.0f, -40.5f};
  begin(&msg, LV2_PATCH__Set, 9);
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__subject));
  lv2_atom_forge_uri(&forge, STRATA_NODE_PREFIX "o", sizeof(STRATA_NODE_PREFIX "o") - 1);
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(&forge, fh_urid(STRATA__position));
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__value));
  lv2_atom_forge_vector(&forge, sizeof(float), fh_urid(LV2_ATOM__Float), 2, xy);
  end(&msg);
  begin(&msg, LV2_PATCH__Put, 10);
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__body));
  lv2_atom_forge_object(&forge, &inner, 0, fh_urid(STRATA__Link));
  key_string(STRATA__tail, "o.out");
  key_string(STRATA__head, "out.right");
  lv2_atom_forge_key(&forge, fh_urid(STRATA__replace));
  lv2_atom_forge_bool(&forge, true);
  lv2_atom_forge_pop(&forge, &inner);
  end(&msg);
  begin(&msg, LV2_PATCH__Move, 11);
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__subject));
  lv2_atom_forge_uri(&forge, STRATA_NODE_PREFIX "f", sizeof(STRATA_NODE_PREFIX "f") - 1);
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__destination));
  lv2_atom_forge_uri(&forge, STRATA_NODE_PREFIX "lp", sizeof(STRATA_NODE_PREFIX "lp") - 1);
  end(&msg);
  begin(&msg, LV2_PATCH__Set, 12);
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(&forge, fh_urid(STRATA__name));
  key_string(LV2_PATCH__value, "Fuzzed");
  end(&msg);
  begin(&msg, LV2_PATCH__Set, 13);
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(&forge, fh_urid(STRATA__monitor));
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__value));
  lv2_atom_forge_bool(&forge, true);
  end(&msg);
  begin(&msg, LV2_PATCH__Set, 14);
  lv2_atom_forge_key(&forge, fh_urid(LV2_PATCH__property));
  lv2_atom_forge_urid(&forge, fh_urid(STRATA__probe));
  key_string(LV2_PATCH__value, "o.out");
  end(&msg);
  flush_seed(dir, "editor");

  // Raw: one well-formed event then a truncated one.
  seed[seed_used++] = 0;
  const uint32_t raw[] = {0, 0, 3, fh_urid(LV2_MIDI__MidiEvent), 0x00644390, 0,
                          8, 0, 4096, fh_urid(LV2_ATOM__Object), 0, fh_urid(LV2_PATCH__Get)};
  memcpy(seed + seed_used, raw, sizeof(raw));
  seed_used += sizeof(raw);
  flush_seed(dir, "raw_truncated");
}
