//! The `taolite` command-line tool.

fn main() {}
