//! sr25519 keys as Substrate uses them (filled in by the keys work).
