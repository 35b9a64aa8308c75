#!/usr/bin/env bash
# Seeds the fuzz corpora (fuzz/corpus/<target>, git-ignored) from the shared vectors.
# Usage: scripts/fuzz-seed.sh [VECTORS_DIR]   (default: $TAOLITE_VECTORS or ../shared/vectors)
set -euo pipefail
cd "$(dirname "$0")/.."
vectors="${1:-${TAOLITE_VECTORS:-../shared/vectors}}"
if [ ! -d "$vectors" ]; then
  echo "fuzz-seed: no vectors at $vectors; corpora start empty" >&2
  exit 0
fi
python3 scripts/fuzz-seed.py "$vectors" fuzz/corpus
