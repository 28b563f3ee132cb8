// The tests skeptic generated from the book's inline Rust blocks (see build.rs).
include!(concat!(env!("OUT_DIR"), "/skeptic-tests.rs"));
