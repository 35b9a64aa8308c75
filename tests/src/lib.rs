//! Shared helpers for the vector tests: where the vectors are and how to walk them.
//!
//! Every vector test reads its root from `TAOLITE_VECTORS` (default `../shared/vectors`
//! relative to the repository root) and walks every JSON file of its area, so the same
//! tests run unchanged on any other vector set in the same schema.

use std::path::{Path, PathBuf};

/// The vector root: `$TAOLITE_VECTORS`, or `../shared/vectors`. A relative path is
/// taken relative to the repository root (not to the test's working directory, which
/// cargo sets to the package folder).
pub fn vectors_root() -> PathBuf {
    let root = std::env::var_os("TAOLITE_VECTORS")
        .filter(|root| !root.is_empty())
        .map_or_else(|| PathBuf::from("../shared/vectors"), PathBuf::from);
    if root.is_absolute() {
        root
    } else {
        repo_root().join(root)
    }
}

/// The repository root: the parent of this package's folder.
pub fn repo_root() -> PathBuf {
    let tests_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    tests_dir.parent().unwrap_or(tests_dir).to_path_buf()
}

/// Every `.json` file under `<root>/<area>`, recursively, sorted by path.
///
/// Panics with a clear message when the folder is missing: a vector test that finds no
/// vectors must fail, not pass vacuously.
pub fn json_files(area: &str) -> Vec<PathBuf> {
    let dir = vectors_root().join(area);
    let mut files = Vec::new();
    collect(&dir, &mut files);
    assert!(
        !files.is_empty(),
        "no vector files found under {} (set TAOLITE_VECTORS)",
        dir.display()
    );
    files.sort();
    files
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read vector folder {}: {e}", dir.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "json") {
            files.push(path);
        }
    }
}

/// Reads and parses one vector file, naming it on failure.
pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}
