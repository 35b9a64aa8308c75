#!/usr/bin/env bash
# A longer fuzzing campaign: every target (or the ones named) in turn, one at a time,
# for SECONDS each, from the seeded and previously grown corpora. Stops at the first
# failing target and leaves its crash input under fuzz/artifacts/<target>/.
#
# Usage: scripts/fuzz-campaign.sh SECONDS [TARGET...]
# A summary line per target (exec/s, cov, ft, corpus) is appended to fuzz/campaign.log.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/fuzz-common.sh

seconds=${1:?usage: scripts/fuzz-campaign.sh SECONDS [TARGET...]}
shift
if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(fuzz_targets)
fi

scripts/fuzz-seed.sh
fuzz_build
log=fuzz/campaign.log
for target in "${targets[@]}"; do
  for mode in default release-semantics; do
    flags=()
    if [ "$mode" = release-semantics ]; then
      [[ " ${RELEASE_SEMANTICS_TARGETS[*]} " == *" $target "* ]] || continue
      flags=("${RELEASE_SEMANTICS_FLAGS[@]}")
    fi
    echo "=== $target ($mode, ${seconds}s)"
    out=$(mktemp)
    set +e
    fuzz_run_target "$target" "$seconds" "${flags[@]}" >"$out" 2>&1
    status=$?
    set -e
    grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::|ERROR|panicked" "$out" || true
    stats=$(grep -E "^#[0-9]+[[:space:]]+DONE" "$out" | tail -1)
    echo "$(date -u +%FT%TZ) $target $mode ${seconds}s status=$status $stats" >>"$log"
    rm -f "$out"
    if [ "$status" -ne 0 ]; then
      echo "fuzz-campaign: $target failed; see fuzz/artifacts/$target/" >&2
      exit 1
    fi
  done
done
