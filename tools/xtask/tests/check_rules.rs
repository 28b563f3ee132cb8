//! One test per rule of the book checker: each breaks the valid fixture book in one way and looks
//! for the diagnostic that names the rule, the file and the line.

mod check_support;

use check_support::{Book, CHAPTER, LISTING, MUTANTS, QUIZ, assert_has, assert_only, quiz};

#[test]
fn valid_book_has_no_diagnostics() {
    let book = Book::new();
    assert_eq!(book.check(), []);
}

#[test]
fn diagnostics_display_as_file_line_rule_message_and_are_sorted() {
    let book = Book::new();
    book.edit(CHAPTER, "# 20. Rate limiting", "# 20. Rate Limiting");
    book.edit(
        "src/introduction.md",
        "(ch20-rate-limiting.md)",
        "(ch20.md)",
    );
    let diagnostics = book.check();
    let shown: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        shown[0].starts_with("src/ch20-rate-limiting.md:1: [chapter-title] "),
        "{shown:#?}"
    );
    assert!(
        shown[1].starts_with("src/introduction.md:3: [internal-link] "),
        "{shown:#?}"
    );
    let mut sorted = diagnostics.clone();
    sorted.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    assert_eq!(diagnostics, sorted);
}

#[test]
fn chapter_title_must_match_summary() {
    let book = Book::new();
    book.edit(CHAPTER, "# 20. Rate limiting", "# Rate limiting");
    assert_only(&book.check(), "chapter-title", CHAPTER, 1);
}

#[test]
fn chapter_title_needs_study_focus() {
    let book = Book::new();
    book.edit(CHAPTER, "> **Study focus:**", "> Focus:");
    assert_only(&book.check(), "chapter-title", CHAPTER, 3);
}

#[test]
fn heading_order_reports_out_of_order_section() {
    let book = Book::new();
    book.edit(CHAPTER, "## Build it", "## PLACEHOLDER");
    book.edit(CHAPTER, "## In production", "## Build it");
    book.edit(CHAPTER, "## PLACEHOLDER", "## In production");
    let line = book.line(CHAPTER, "## Build it");
    let diagnostics = book.check();
    assert_only(&diagnostics, "heading-order", CHAPTER, line);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert!(
        diagnostics[0]
            .message
            .contains("expected `## Build it` after `## Key metrics and trade-offs`"),
        "{}",
        diagnostics[0]
    );
}

#[test]
fn heading_order_reports_unexpected_and_missing_sections() {
    let book = Book::new();
    book.edit(CHAPTER, "## Interview prep", "## Interview questions");
    let diagnostics = book.check();
    assert_only(
        &diagnostics,
        "heading-order",
        CHAPTER,
        book.line(CHAPTER, "## Interview questions"),
    );
    // The missing section is reported where it belongs: before `## Exercise`.
    assert_has(
        &diagnostics,
        "heading-order",
        CHAPTER,
        book.line(CHAPTER, "## Exercise"),
    );
    assert_eq!(diagnostics.len(), 2, "{diagnostics:#?}");
}

#[test]
fn heading_order_ignores_headings_in_code_fences() {
    let book = Book::new();
    book.edit(
        CHAPTER,
        "## Exercise\n",
        "## Exercise\n\n~~~markdown\n## Quiz\n## Theory\n~~~\n",
    );
    assert_eq!(book.check(), []);
}

#[test]
fn mermaid_count_needs_two_diagrams() {
    let book = Book::new();
    book.edit(
        CHAPTER,
        "```mermaid\nsequenceDiagram",
        "```text\nsequenceDiagram",
    );
    assert_only(&book.check(), "mermaid-count", CHAPTER, 0);
}

#[test]
fn mermaid_a11y_needs_acc_title_and_descr() {
    let book = Book::new();
    book.edit(CHAPTER, "    accTitle: Token bucket\n", "");
    let line = book.line(CHAPTER, "```mermaid");
    assert_only(&book.check(), "mermaid-a11y", CHAPTER, line);
}

#[test]
fn mermaid_a11y_needs_italic_caption() {
    let book = Book::new();
    book.edit(
        CHAPTER,
        "_Notice that the rejection costs the server almost nothing._",
        "- Notice that the rejection costs the server almost nothing.",
    );
    // Reported at the diagram's closing fence: the caption belongs right after it.
    let closing = book.line(CHAPTER, "Limiter-->>Client") + 1;
    assert_only(&book.check(), "mermaid-a11y", CHAPTER, closing);
}

#[test]
fn key_metrics_section_needs_a_table() {
    let book = Book::new();
    book.edit(CHAPTER, "| --- | --- | --- |\n", "");
    let line = book.line(CHAPTER, "## Key metrics and trade-offs");
    assert_only(&book.check(), "key-metrics-table", CHAPTER, line);
}

#[test]
fn quiz_include_must_name_the_chapters_quiz() {
    let book = Book::new();
    book.edit(
        CHAPTER,
        "../quizzes/ch20-rate-limiting.toml",
        "../quizzes/rate-limiting.toml",
    );
    let line = book.line(CHAPTER, "{{#quiz");
    assert_only(&book.check(), "quiz-include", CHAPTER, line);
}

#[test]
fn quiz_include_needs_the_directive() {
    let book = Book::new();
    book.edit(
        CHAPTER,
        "{{#quiz ../quizzes/ch20-rate-limiting.toml}}",
        "Coming soon.",
    );
    let line = book.line(CHAPTER, "## Quiz");
    assert_only(&book.check(), "quiz-include", CHAPTER, line);
}

#[test]
fn quiz_include_needs_the_file() {
    let book = Book::new();
    std::fs::remove_file(book.root().join(QUIZ)).expect("remove the quiz");
    let line = book.line(CHAPTER, "{{#quiz");
    assert_only(&book.check(), "quiz-include", CHAPTER, line);
}

#[test]
fn quiz_include_needs_eight_questions() {
    let book = Book::new();
    book.write(QUIZ, &quiz(7));
    assert_only(&book.check(), "quiz-include", QUIZ, 0);
}

/// The fixture quiz has two multiple-choice questions (3 and 6); lengthening the right answer of
/// one makes it the longest option in exactly half of them, which is allowed; of both, which is not.
#[test]
fn quiz_answer_length_fails_when_the_longest_option_wins_more_than_half() {
    let long = "answer.answer = \"A token bucket with capacity 100 and a refill of 10 per second\"";
    let book = Book::new();
    book.edit_after(
        QUIZ,
        "ch20-q3",
        "answer.answer = \"A token bucket with capacity 100\"",
        long,
    );
    assert_eq!(book.check(), [], "one of two is at most half");
    book.edit_after(
        QUIZ,
        "ch20-q6",
        "answer.answer = \"A token bucket with capacity 100\"",
        long,
    );
    assert_only(&book.check(), "quiz-answer-length", QUIZ, 0);
}

#[test]
fn quiz_answer_length_counts_a_tie_as_not_the_longest() {
    let book = Book::new();
    for id in ["ch20-q3", "ch20-q6"] {
        // 40 characters, as long as the longest distractor.
        book.edit_after(
            QUIZ,
            id,
            "answer.answer = \"A token bucket with capacity 100\"",
            "answer.answer = \"A token bucket that holds up to 100 reqs\"",
        );
    }
    assert_eq!(book.check(), []);
}

#[test]
fn mutants_file_must_exist_for_a_written_chapter() {
    let book = Book::new();
    std::fs::remove_file(book.root().join(MUTANTS)).expect("remove mutants.txt");
    assert_only(&book.check(), "mutants-file", MUTANTS, 0);
}

/// 17 of 19 is 89.5 %, one mutant short of the 90 % target; 18 of 20 is exactly 90 % and passes.
#[test]
fn mutants_file_needs_ninety_percent_caught() {
    let book = Book::new();
    book.edit(
        MUTANTS,
        "src/algorithms/token_bucket.rs     8",
        "src/algorithms/token_bucket.rs     7",
    );
    book.edit(
        MUTANTS,
        "        0       0         1",
        "        0       1         1",
    );
    book.edit(MUTANTS, "- src/algorithms/gcra.rs: replace - with + in Gcra::check\n  why: equivalent: the subtraction is of zero on every path the tests can reach\n",
        "- src/algorithms/gcra.rs: replace - with + in Gcra::check\n  why: equivalent: the subtraction is of zero on every path the tests can reach\n- src/algorithms/token_bucket.rs: replace > with >= in TokenBucket::check\n  why: a tie cannot occur with these rates\n");
    assert_eq!(book.check(), [], "18 of 20 caught is exactly the target");
    book.edit(
        MUTANTS,
        "src/algorithms/token_bucket.rs     7",
        "src/algorithms/token_bucket.rs     6",
    );
    assert_only(&book.check(), "mutants-file", MUTANTS, 0);
}

#[test]
fn mutants_file_needs_a_reason_for_every_missed_mutant() {
    let book = Book::new();
    book.edit(
        MUTANTS,
        "  why: equivalent: the subtraction is of zero on every path the tests can reach",
        "  why: UNEXPLAINED: add a test",
    );
    let line = book.line(MUTANTS, "- src/algorithms/gcra.rs");
    assert_only(&book.check(), "mutants-file", MUTANTS, line);
}

#[test]
fn quiz_include_reports_parse_errors_at_their_line() {
    let book = Book::new();
    book.edit_after(
        QUIZ,
        "ch20-q4",
        "answer.answer = \"429\"\n",
        "answer.answer = 429\"\n",
    );
    let line = book.line(QUIZ, "answer.answer = 429\"");
    assert_only(&book.check(), "quiz-include", QUIZ, line);
}

#[test]
fn quiz_include_reports_a_question_without_context_at_its_header() {
    let book = Book::new();
    book.edit_after(
        QUIZ,
        "ch20-q4",
        "context = \"429 Too Many Requests; see Build it.\"\n",
        "",
    );
    let line = book.line_nth(QUIZ, "[[questions]]", 3);
    let diagnostics = book.check();
    assert_only(&diagnostics, "quiz-include", QUIZ, line);
    assert!(
        diagnostics[0].message.contains("context"),
        "{}",
        diagnostics[0]
    );
}

#[test]
fn quiz_include_multiple_choice_needs_distractors() {
    let book = Book::new();
    let text = book.read(QUIZ).replace(
        "prompt.distractors = [\"A fixed window of 10 requests per second\", \"A leaky bucket with no queue\"]",
        "prompt.distractors = []",
    );
    book.write(QUIZ, &text);
    let diagnostics = book.check();
    // Questions 3 and 6 are the MultipleChoice ones.
    assert_only(
        &diagnostics,
        "quiz-include",
        QUIZ,
        book.line_nth(QUIZ, "[[questions]]", 2),
    );
    assert_has(
        &diagnostics,
        "quiz-include",
        QUIZ,
        book.line_nth(QUIZ, "[[questions]]", 5),
    );
}

#[test]
fn quiz_include_question_needs_type_and_id() {
    let book = Book::new();
    book.edit(
        QUIZ,
        "id = \"ch20-q4\"\ntype = \"ShortAnswer\"",
        "type = \"Essay\"",
    );
    let diagnostics = book.check();
    let line = book.line_nth(QUIZ, "[[questions]]", 3);
    assert_only(&diagnostics, "quiz-include", QUIZ, line);
    assert_eq!(diagnostics.len(), 2, "{diagnostics:#?}");
}

#[test]
fn quiz_id_unique_across_quizzes() {
    let book = Book::new();
    book.edit(QUIZ, "id = \"ch20-q5\"", "id = \"ch20-q2\"");
    let line = book.line_nth(QUIZ, "[[questions]]", 4);
    assert_only(&book.check(), "quiz-id-unique", QUIZ, line);
}

#[test]
fn listing_include_needs_code_from_listings() {
    let book = Book::new();
    book.edit(
        CHAPTER,
        "{{#include ../listings/ch20-rate-limiting/src/lib.rs:bucket}}",
        "pub struct Bucket;",
    );
    let diagnostics = book.check();
    assert_has(&diagnostics, "listing-include", CHAPTER, 0);
    // With no page including it, the listing is also an orphan.
    assert_has(
        &diagnostics,
        "listing-orphan",
        "listings/ch20-rate-limiting/Cargo.toml",
        0,
    );
    assert_eq!(diagnostics.len(), 2, "{diagnostics:#?}");
}

#[test]
fn summary_file_must_exist() {
    let book = Book::new();
    book.append(
        "src/SUMMARY.md",
        "\n# Appendices\n\n- [Glossary](glossary.md)\n",
    );
    let line = book.line("src/SUMMARY.md", "[Glossary]");
    assert_only(&book.check(), "summary-file", "src/SUMMARY.md", line);
}

#[test]
fn include_target_must_exist() {
    let book = Book::new();
    book.edit(
        CHAPTER,
        "## In production\n",
        "## In production\n\n```rust\n{{#include ../listings/ch20-rate-limiting/src/gone.rs}}\n```\n",
    );
    let line = book.line(CHAPTER, "gone.rs");
    assert_only(&book.check(), "include-target", CHAPTER, line);
}

#[test]
fn include_target_anchor_must_exist() {
    let book = Book::new();
    book.edit(LISTING, "// ANCHOR_END: bucket", "// ANCHOR_END: buckets");
    let line = book.line(CHAPTER, "{{#include ../listings");
    assert_only(&book.check(), "include-target", CHAPTER, line);
}

#[test]
fn includes_in_non_chapter_pages_are_checked_but_escaped_ones_are_not() {
    let book = Book::new();
    book.append(
        "src/study-plan.md",
        "\nWrite `\\{{#include file.rs}}` to include a file.\n\n{{#playground ../listings/nope/main.rs editable}}\n",
    );
    let line = book.line("src/study-plan.md", "{{#playground");
    assert_only(&book.check(), "include-target", "src/study-plan.md", line);
}

#[test]
fn include_by_line_numbers_is_an_error() {
    let book = Book::new();
    book.edit(CHAPTER, "src/lib.rs:bucket}}", "src/lib.rs:3:8}}");
    let line = book.line(CHAPTER, "{{#include ../listings");
    assert_only(&book.check(), "include-line-numbers", CHAPTER, line);
}

#[test]
fn rustdoc_include_is_an_error() {
    let book = Book::new();
    book.edit(
        CHAPTER,
        "{{#include ../listings",
        "{{#rustdoc_include ../listings",
    );
    let line = book.line(CHAPTER, "{{#rustdoc_include");
    assert_only(&book.check(), "rustdoc-include", CHAPTER, line);
}

#[test]
fn listing_orphan_is_reported_at_its_cargo_toml() {
    let book = Book::new();
    book.write(
        "listings/ch21-queues/Cargo.toml",
        "[package]\nname = \"ch21-queues\"\nversion = \"0.1.0\"\n",
    );
    assert_only(
        &book.check(),
        "listing-orphan",
        "listings/ch21-queues/Cargo.toml",
        0,
    );
}

#[test]
fn internal_link_target_must_exist() {
    let book = Book::new();
    book.append("src/study-plan.md", "\nSee [caching](ch09-caching.md).\n");
    let line = book.line("src/study-plan.md", "ch09-caching.md");
    assert_only(&book.check(), "internal-link", "src/study-plan.md", line);
}

#[test]
fn internal_link_fragment_must_match_a_heading_id() {
    let book = Book::new();
    book.edit(
        "src/introduction.md",
        "ch20-rate-limiting.html#theory",
        "ch20-rate-limiting.html#theroy",
    );
    let line = book.line("src/introduction.md", "#theroy");
    assert_only(&book.check(), "internal-link", "src/introduction.md", line);
}

#[test]
fn internal_link_same_page_fragment_and_reference_definitions() {
    let book = Book::new();
    book.edit(CHAPTER, "(#key-metrics-and-trade-offs)", "(#key-metrics)");
    book.edit(
        "src/introduction.md",
        "[plan]: study-plan.md#week-1",
        "[plan]: study-plan.md#week-one",
    );
    let diagnostics = book.check();
    assert_only(
        &diagnostics,
        "internal-link",
        CHAPTER,
        book.line(CHAPTER, "(#key-metrics)"),
    );
    assert_has(
        &diagnostics,
        "internal-link",
        "src/introduction.md",
        book.line("src/introduction.md", "[plan]:"),
    );
}

#[test]
fn internal_link_html_src_and_repeated_heading_ids() {
    let book = Book::new();
    book.edit(CHAPTER, "img/bucket.svg", "img/buckets.svg");
    book.edit("src/study-plan.md", "(#notes-1)", "(#notes-2)");
    let diagnostics = book.check();
    assert_only(
        &diagnostics,
        "internal-link",
        CHAPTER,
        book.line(CHAPTER, "img/buckets.svg"),
    );
    assert_has(
        &diagnostics,
        "internal-link",
        "src/study-plan.md",
        book.line("src/study-plan.md", "(#notes-2)"),
    );
}

#[test]
fn internal_link_may_name_the_generated_pdf_only_at_the_top_of_src() {
    let book = Book::new();
    book.append(
        "src/introduction.md",
        "\nThe [PDF](system-design-mastery.pdf) and [another](other.pdf).\n",
    );
    let line = book.line("src/introduction.md", "(other.pdf)");
    assert_only(&book.check(), "internal-link", "src/introduction.md", line);
}

#[test]
fn internal_link_to_a_page_missing_from_summary() {
    let book = Book::new();
    book.write("src/draft.md", "# Draft\n");
    book.append("src/introduction.md", "\nSee the [draft](draft.md).\n");
    let line = book.line("src/introduction.md", "(draft.md)");
    assert_only(&book.check(), "internal-link", "src/introduction.md", line);
}

#[test]
fn external_asset_in_a_page() {
    let book = Book::new();
    book.edit(
        CHAPTER,
        "## In production\n",
        "## In production\n\n<script src=\"https://cdn.jsdelivr.net/npm/chart.js\"></script>\n",
    );
    let line = book.line(CHAPTER, "<script");
    assert_only(&book.check(), "external-asset", CHAPTER, line);
}

#[test]
fn external_asset_markdown_image() {
    let book = Book::new();
    book.append(
        "src/study-plan.md",
        "\n![A chart](https://example.com/chart.png)\n",
    );
    let line = book.line("src/study-plan.md", "![A chart]");
    assert_only(&book.check(), "external-asset", "src/study-plan.md", line);
}

#[test]
fn external_asset_in_theme_css() {
    let book = Book::new();
    book.append(
        "theme/custom.css",
        "@import url(\"https://fonts.googleapis.com/css2?family=Inter\");\n",
    );
    let line = book.line("theme/custom.css", "@import");
    assert_only(&book.check(), "external-asset", "theme/custom.css", line);
}

#[test]
fn external_asset_in_theme_template() {
    let book = Book::new();
    book.write(
        "theme/head.hbs",
        "<link rel=\"preconnect\" href=\"{{ path_to_root }}x\">\n<link rel=\"stylesheet\"\n      href=\"//fonts.example.com/inter.css\">\n",
    );
    assert_only(&book.check(), "external-asset", "theme/head.hbs", 3);
}

#[test]
fn external_asset_book_toml_entries_must_be_local_files() {
    let book = Book::new();
    book.edit(
        "book.toml",
        "additional-js = [\"mermaid-init.js\"]",
        "additional-js = [\"mermaid-init.js\", \"https://cdn.example.com/m.js\"]\nadditional-css-extra = 1",
    );
    book.edit("book.toml", "additional-css-extra = 1", "");
    book.edit(
        "book.toml",
        "[\"theme/custom.css\"]",
        "[\"theme/missing.css\"]",
    );
    let diagnostics = book.check();
    assert_only(
        &diagnostics,
        "external-asset",
        "book.toml",
        book.line("book.toml", "additional-js"),
    );
    assert_has(
        &diagnostics,
        "external-asset",
        "book.toml",
        book.line("book.toml", "additional-css"),
    );
    assert_eq!(diagnostics.len(), 2, "{diagnostics:#?}");
}

#[test]
fn unclosed_code_fence_is_reported() {
    let book = Book::new();
    book.append("src/study-plan.md", "\n```rust\nfn main() {}\n");
    let line = book.line("src/study-plan.md", "```rust");
    assert_only(&book.check(), "code-fence", "src/study-plan.md", line);
}

#[test]
fn missing_book_toml_is_an_error() {
    let book = Book::new();
    std::fs::remove_file(book.root().join("book.toml")).expect("remove book.toml");
    let err = xtask::check::check_book(book.root()).expect_err("no book.toml");
    assert!(err.to_string().contains("book.toml"), "{err}");
}

#[test]
fn diagram_drawn_needs_both_cached_drawings() {
    let book = Book::new();
    // Draw everything, then lose the dark drawing of the chapter's first diagram.
    assert_eq!(book.check(), []);
    let text = book.read(CHAPTER);
    let first = &mdbook_diagrams::mermaid_blocks(&text)[0];
    let dark =
        mdbook_diagrams::cache_path(book.root(), &first.hash(), mdbook_diagrams::Variant::Dark);
    std::fs::remove_file(dark).expect("remove a drawing");
    let line = book.line(CHAPTER, "```mermaid");
    let diagnostics = book.check_undrawn();
    assert_only(&diagnostics, "diagram-drawn", CHAPTER, line);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert!(
        diagnostics[0].message.contains("cargo xtask diagrams"),
        "{}",
        diagnostics[0].message
    );
}
