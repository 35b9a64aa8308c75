//! The Synapse envelope (to be filled in).
