#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# Builds a libFuzzer target with clang (AddressSanitizer + UBSan) and runs it.
#
#   tests/fuzz/run.sh TARGET SECONDS [libFuzzer options...]
#   tests/fuzz/run.sh fuzz_patch 600
#   tests/fuzz/run.sh all 60            # each target in turn (CI)
#
# TARGET: fuzz_patch (patch text parser), fuzz_atoms (atom edit decoder on a
# running instance), fuzz_state (state restore). The working corpus starts
# from tests/fuzz/corpus/TARGET and grows in build-fuzz/corpus/TARGET; a
# crash is written to build-fuzz/artifacts/TARGET/: minimise it
# (-minimize_crash=1), fix the bug, and copy it into
# tests/fuzz/regressions/TARGET/, where `meson test --suite fuzz` replays it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
target="${1:?usage: run.sh TARGET|all SECONDS [libFuzzer options]}"
seconds="${2:?usage: run.sh TARGET|all SECONDS [libFuzzer options]}"
shift 2
if [ "$target" = all ]; then
  for t in fuzz_patch fuzz_atoms fuzz_state; do "$0" "$t" "$seconds" "$@"; done
  exit 0
fi
cc="${CC_FUZZ:-$(command -v clang-14 || command -v clang)}"
out="$root/build-fuzz"
mkdir -p "$out/corpus/$target" "$out/artifacts/$target"

# The engine's build settings, as meson_options.txt defaults them.
opt() { sed -n "/option('$1'/,/value:/ s/.*value: *\([0-9]*\).*/\1/p" "$root/meson_options.txt" | head -n1; }
sed -e "s/@ST_BLOCK@/$(opt block_frames)/" -e "s/@ST_DEFAULT_MAX_NODES@/$(opt max_nodes)/" \
    -e "s/@ST_DEFAULT_POOL_BUFFERS@/$(opt pool_buffers)/" \
    -e "s/@ST_DEFAULT_MEMORY_BUDGET_MB@/$(opt memory_budget_mb)/" \
    "$root/engine/st_config.h.in" > "$out/st_config.h"

sources=("$root/tests/fuzz/$target.c")
for f in "$root"/engine/*.c "$root"/engine/nodes/*.c; do
  case "$f" in */reference_main.c) ;; *) sources+=("$f") ;; esac
done
host=()
if [ "$target" != fuzz_patch ]; then
  # The plugin's code linked in, hosted by the host library, which reads the
  # plugin's ports from a bundle of its description (the binary it names is
  # never loaded).
  sources+=("$root/tests/fuzz/fuzz_host.c" "$root"/plugin/*.c "$root"/tools/host/*.c)
  host=(-I"$root/tools/host" $(pkg-config --cflags --libs lilv-0))
  mkdir -p "$out/lv2/strata.lv2"
  sed -e 's/@BINARY@/strata.so/' -e 's/^@UI@$//' "$root/ttl/manifest.ttl.in" > "$out/lv2/strata.lv2/manifest.ttl"
  cp "$root/ttl/strata.ttl" "$out/lv2/strata.lv2/"
  export LV2_PATH="$out/lv2"
fi
# fuzz_write_seed() lives in replay.c, which has its own main: a small stub here.
printf '#include "fuzz.h"\nvoid fuzz_write_seed(const char* d, const char* n, const void* p, size_t s)\n{ (void)d; (void)n; (void)p; (void)s; }\n' > "$out/seed_stub.c"

"$cc" -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -fopenmp \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$out" -I"$root/engine" -I"$root/engine/nodes" -I"$root/plugin" -I"$root/tests/fuzz" \
  "${sources[@]}" "$out/seed_stub.c" "${host[@]}" -lm -lpthread -o "$out/$target"

dict=()
[ "$target" = fuzz_patch ] && dict=(-dict="$root/tests/fuzz/patch.dict")
echo "== $target for $seconds s"
cd "$out/artifacts/$target"
rc=0
"$out/$target" "$out/corpus/$target" "$root/tests/fuzz/corpus/$target" \
  "${dict[@]}" -max_total_time="$seconds" -print_final_stats=1 \
  -artifact_prefix="$out/artifacts/$target/" -use_value_profile=1 "$@" \
  > "$out/$target.log" 2>&1 || rc=$?
grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb)|ERROR|SUMMARY|^artifact_prefix|Test unit written" \
  "$out/$target.log" || true
[ "$rc" -eq 0 ] || { tail -60 "$out/$target.log"; exit "$rc"; }
