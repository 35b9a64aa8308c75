//! A deliberately straightforward dense port of the epoch (benchmark baseline).
