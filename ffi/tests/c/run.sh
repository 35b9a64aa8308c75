#!/usr/bin/env bash
# Builds the static library, compiles the C tests against the committed header with
# strict warnings, and runs them twice: plainly, then under ASan + UBSan.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$root"
cargo build -p taolite-ffi --quiet
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
lib="$target_dir/debug/libtaolite_ffi.a"
out="$target_dir/c-tests"
mkdir -p "$out"
cflags=(-std=c11 -Wall -Wextra -Werror -pedantic -I ffi/include)
libs=("$lib" -lpthread -ldl -lm)
# Two yuma sample cases (paths relative to the repository root): the first is run and
# verified, the second's output is the mismatching claim.
samples=(samples/yuma/015_commit_reveal_2.json samples/yuma/108_random_009_n11.json)

echo "--- C tests"
gcc "${cflags[@]}" -O1 ffi/tests/c/test_taolite.c "${libs[@]}" -o "$out/test_taolite"
"$out/test_taolite" "${samples[@]}"

echo "--- C tests under AddressSanitizer + UndefinedBehaviorSanitizer"
gcc "${cflags[@]}" -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
  ffi/tests/c/test_taolite.c "${libs[@]}" -o "$out/test_taolite_asan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  "$out/test_taolite_asan" "${samples[@]}"
