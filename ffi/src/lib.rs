//! The C ABI of taolite. Filled in by the FFI work; see `ffi/README.md`.
