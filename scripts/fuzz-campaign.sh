#!/usr/bin/env bash
# A longer fuzzing campaign: every target (or the ones named) in turn, one at a time,
# from the seeded and previously grown corpora. Stops at the first failing target and
# leaves its crash input under fuzz/artifacts/<target>/.
#
# Usage: scripts/fuzz-campaign.sh [--cpu] SECONDS [TARGET...]
#   SECONDS        wall-clock seconds per target (libFuzzer's -max_total_time)
#   --cpu SECONDS  CPU seconds per target: the target is re-run from its grown corpus until
#                  the fuzzer processes have used SECONDS of user+system time, so a campaign
#                  on a shared machine still gives every target its full budget. Runs can be
#                  split over several shells (each with its own list of targets). Run it
#                  from a checkout nobody edits meanwhile (e.g. a `git worktree`): every
#                  run rebuilds its target from the working tree.
# A summary line per target (CPU seconds, runs, exec/s per CPU second, and libFuzzer's last
# cov, ft, corpus) is appended to fuzz/campaign.log.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/fuzz-common.sh

budget_kind=wall
if [ "${1:-}" = --cpu ]; then
  budget_kind=cpu
  shift
fi
seconds=${1:?usage: scripts/fuzz-campaign.sh [--cpu] SECONDS [TARGET...]}
shift
if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(fuzz_targets)
fi

scripts/fuzz-seed.sh
fuzz_build
log=fuzz/campaign.log

# run_once TARGET WALL_SECONDS OUT [flags...]: one libFuzzer run; prints its CPU seconds.
run_once() {
  local target=$1 wall=$2 out=$3
  shift 3
  local timing
  timing=$(mktemp)
  set +e
  /usr/bin/time -f "%U %S" -o "$timing" bash -c "$(declare -f fuzz_dict_for fuzz_max_len_for fuzz_run_target); \
    FUZZ_TIMEOUT=$FUZZ_TIMEOUT FUZZ_RSS_MB=$FUZZ_RSS_MB FUZZ_MAX_LEN=$FUZZ_MAX_LEN \
    fuzz_run_target \"\$@\"" _ "$target" "$wall" "$@" >>"$out" 2>&1
  local status=$?
  set -e
  awk 'END { printf "%d", $1 + $2 }' "$timing"
  rm -f "$timing"
  return $status
}

for target in "${targets[@]}"; do
  for mode in default release-semantics; do
    flags=()
    if [ "$mode" = release-semantics ]; then
      [[ " ${RELEASE_SEMANTICS_TARGETS[*]} " == *" $target "* ]] || continue
      flags=("${RELEASE_SEMANTICS_FLAGS[@]}")
      fuzz_build "${flags[@]}" "$target"
    fi
    echo "=== $target ($mode, ${seconds}s $budget_kind)"
    out=$(mktemp)
    cpu_used=0
    runs=0
    started=$(date +%s)
    status=0
    while :; do
      if [ "$budget_kind" = cpu ]; then
        wall=$((seconds - cpu_used))
        [ "$wall" -lt 30 ] && wall=30
      else
        wall=$seconds
      fi
      : >"$out.part"
      set +e
      cpu=$(run_once "$target" "$wall" "$out.part" "${flags[@]}")
      status=$?
      set -e
      cat "$out.part" >>"$out"
      cpu_used=$((cpu_used + cpu))
      done_line=$(grep -E "^#[0-9]+[[:space:]]+DONE" "$out.part" | tail -1 || true)
      part_runs=$(sed -E 's/^#([0-9]+).*/\1/' <<<"$done_line")
      runs=$((runs + ${part_runs:-0}))
      [ "$status" -ne 0 ] && break
      [ "$budget_kind" = wall ] && break
      [ "$cpu_used" -ge "$seconds" ] && break
    done
    rm -f "$out.part"
    grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::|ERROR|panicked" "$out" || true
    wall_used=$(($(date +%s) - started))
    per_cpu=0
    [ "$cpu_used" -gt 0 ] && per_cpu=$((runs / cpu_used))
    echo "$(date -u +%FT%TZ) $target $mode ${seconds}s-$budget_kind status=$status cpu=${cpu_used}s wall=${wall_used}s runs=$runs exec/cpu-s=$per_cpu last: ${done_line:-none}" >>"$log"
    if [ "$status" -ne 0 ]; then
      tail -n 60 "$out" >&2
      rm -f "$out"
      echo "fuzz-campaign: $target failed; see fuzz/artifacts/$target/" >&2
      exit 1
    fi
    rm -f "$out"
  done
done
