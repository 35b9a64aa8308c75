# Shared by scripts/fuzz-campaign.sh and .ci/fuzz-smoke (sourced, not run). Paths are
# relative to the repository root; runs happen inside fuzz/.

# The dictionary of a target, relative to fuzz/ (empty: none).
fuzz_dict_for() {
  case "$1" in
    codec_* | synapse_envelope | yuma_input_scale) echo "dict/scale.dict" ;;
    synapse_headers | synapse_body_json) echo "dict/headers.dict" ;;
    *) echo "" ;;
  esac
}

# Limits every run uses: a crash, a leak, an input slower than FUZZ_TIMEOUT seconds or a
# process above FUZZ_RSS_MB fails the run.
FUZZ_TIMEOUT="${FUZZ_TIMEOUT:-10}"
FUZZ_RSS_MB="${FUZZ_RSS_MB:-2048}"
FUZZ_MAX_LEN="${FUZZ_MAX_LEN:-16384}"

# Targets whose reference crate has debug-only assertions that fire on correct inputs are
# also run from a build without debug assertions, in its own target dir (see the module
# docs of fuzz_targets/fixed_differential.rs).
RELEASE_SEMANTICS_TARGETS=(fixed_differential)
RELEASE_SEMANTICS_FLAGS=(-O --target-dir target/release-semantics)

# The longest input a target is fed: runtime metadata files are ~256 KiB.
fuzz_max_len_for() {
  case "$1" in
    codec_metadata) echo 400000 ;;
    *) echo "$FUZZ_MAX_LEN" ;;
  esac
}

fuzz_targets() {
  (cd fuzz && cargo +nightly fuzz list)
}

# fuzz_build [cargo-fuzz flags...] [target]: builds with nightly.
fuzz_build() {
  (cd fuzz && cargo +nightly fuzz build "$@")
}

# fuzz_run_target TARGET SECONDS [cargo-fuzz flags...]: fuzzes TARGET from its corpus for
# SECONDS. libFuzzer's final stats (cov, ft, exec/s) end its output. Non-zero on any
# crash, leak, timeout or out-of-memory.
fuzz_run_target() {
  local target=$1 seconds=$2
  shift 2
  local dict
  dict=$(fuzz_dict_for "$target")
  local args=(-max_total_time="$seconds" -timeout="$FUZZ_TIMEOUT" -rss_limit_mb="$FUZZ_RSS_MB"
    -malloc_limit_mb="$FUZZ_RSS_MB" -max_len="$(fuzz_max_len_for "$target")" -detect_leaks=1
    -print_final_stats=1)
  if [ -n "$dict" ]; then
    args+=(-dict="$dict")
  fi
  mkdir -p "fuzz/corpus/$target"
  # Inputs that once crashed (committed under fuzz/regressions/<target>) run first, on
  # every run, as regression tests; new units go to the first folder, the corpus.
  local folders=("corpus/$target")
  if [ -d "fuzz/regressions/$target" ]; then
    folders+=("regressions/$target")
  fi
  (cd fuzz && cargo +nightly fuzz run "$@" "$target" "${folders[@]}" -- "${args[@]}")
}
