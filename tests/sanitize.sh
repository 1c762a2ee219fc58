#!/usr/bin/env bash
# SPDX-License-Identifier: ISC
# Sanitizer and leak runs (docs/robustness.md, "Sanitizers and leaks"):
#
#   tests/sanitize.sh asan      # whole suite under AddressSanitizer + UBSan (+ LeakSanitizer)
#   tests/sanitize.sh tsan      # ring stress and worker hand-off under ThreadSanitizer
#   tests/sanitize.sh valgrind  # valgrind --leak-check=full on host tests
#   tests/sanitize.sh all
#
# Build directories: build-asan, build-tsan (kept between runs), and build
# for valgrind. The 'hosts' suite (Ardour, jalv: programs that are not
# instrumented and cannot load an instrumented plugin) is left out of asan.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
what="${1:-all}"

setup() { # DIR OPTIONS...
  local dir="$1"
  shift
  if [ -f "$dir/meson-private/build.dat" ]; then
    meson configure "$dir" "$@" >/dev/null
  else
    rm -rf "$dir" # Absent, or a setup that failed half way
    meson setup "$dir" "$@" >/dev/null
  fi
}

asan() {
  # The project's default build type (release, -O3): gcc's warnings differ there.
  setup build-asan -Db_sanitize=address,undefined
  ninja -C build-asan
  ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C build-asan --print-errorlogs --no-suite hosts --timeout-multiplier 4 \
    --num-processes "$(nproc)"
}

tsan() {
  setup build-tsan -Db_sanitize=thread -Db_lundef=false -Dbuildtype=debugoptimized
  ninja -C build-tsan tests/test_ring tests/rt/test_worker_thread plugin/strata.so plugin/strata.ttl \
    presets/manifest.ttl
  # OpenMP (libgomp) is not instrumented: both tests run with one engine thread.
  # The worker-thread test hosts the instrumented plugin of build-tsan.
  CK_DEFAULT_TIMEOUT=300 TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 build-tsan/tests/test_ring
  LV2_PATH="$root/build-tsan/lv2" TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
    build-tsan/tests/rt/test_worker_thread
}

valgrind_hosts() {
  [ -f build/meson-private/build.dat ] || meson setup build >/dev/null
  ninja -C build
  for t in tests/rt/test_badinput tests/test_plugin_edits tests/test_plugin_state; do
    echo "== valgrind $t"
    CK_FORK=no LV2_PATH="$root/build/lv2" valgrind --quiet --leak-check=full \
      --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
      --error-exitcode=1 "build/$t"
  done
}

case "$what" in
  asan) asan ;;
  tsan) tsan ;;
  valgrind) valgrind_hosts ;;
  all) asan; tsan; valgrind_hosts ;;
  *) echo "usage: $0 asan|tsan|valgrind|all" >&2; exit 2 ;;
esac
