//! The book's inline Rust blocks, compiled and run as tests.
//!
//! Code that the book includes from `listings/` is tested by the listings' own tests. Code written
//! inline in a page (a ```` ```rust ```` block without an include) has no crate of its own, so this
//! crate's build script hands those blocks to skeptic, which turns each into a test. See
//! `build.rs` for which blocks are taken and why.
