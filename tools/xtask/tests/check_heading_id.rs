//! `heading_id` must give the ids mdBook 0.5 gives, or `#fragment` links are judged wrongly.
//! Every expected id here is the one `mdbook build` (0.5.4, default config) wrote for the same
//! heading.

use xtask::check::heading_id;

#[test]
fn plain_words_become_lowercase_dashed() {
    assert_eq!(heading_id("Why it matters"), "why-it-matters");
    assert_eq!(
        heading_id("Key metrics and trade-offs"),
        "key-metrics-and-trade-offs"
    );
    assert_eq!(heading_id("  Padded  "), "padded");
}

#[test]
fn punctuation_is_dropped_but_each_space_counts() {
    assert_eq!(heading_id("1. Scalability"), "1-scalability");
    assert_eq!(heading_id("What's p99?"), "whats-p99");
    assert_eq!(
        heading_id("Ellipsis... and \"quotes\""),
        "ellipsis-and-quotes"
    );
    assert_eq!(
        heading_id("Token bucket & leaky bucket"),
        "token-bucket--leaky-bucket"
    );
    assert_eq!(heading_id("SQL vs. NoSQL (2026)"), "sql-vs-nosql-2026");
    // Smart punctuation (mdBook's default) makes `--` an en dash, which is dropped.
    assert_eq!(heading_id("Reads -- writes"), "reads--writes");
    assert_eq!(heading_id("`a--b` in code"), "a--b-in-code");
}

#[test]
fn inline_markup_is_reduced_to_its_text() {
    assert_eq!(heading_id("The `Limiter` trait"), "the-limiter-trait");
    assert_eq!(heading_id("`try_acquire()` returns"), "try_acquire-returns");
    assert_eq!(heading_id("**Bold** and _emphasis_"), "bold-and-emphasis");
    assert_eq!(heading_id("[Linked](other.md#x) text"), "linked-text");
    assert_eq!(heading_id("An ![icon](i.svg) image"), "an--image");
    assert_eq!(heading_id("<em>Raw</em> HTML"), "raw-html");
    assert_eq!(heading_id("C++ &amp; Rust"), "c--rust");
}

#[test]
fn underscores_and_dashes_and_unicode_letters_are_kept() {
    assert_eq!(heading_id("snake_case names"), "snake_case-names");
    assert_eq!(heading_id("p50-p99 latency"), "p50-p99-latency");
    assert_eq!(heading_id("Ünïcode Ärger"), "ünïcode-ärger");
}
