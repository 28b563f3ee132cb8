//! `diagram-drawn`: every mermaid diagram of the book is drawn at build time.
//!
//! The `mdbook-diagrams` preprocessor swaps a mermaid block for its cached drawings (light and
//! dark SVGs in `src/diagrams/`, keyed by the hash of the block's source). A block with no
//! drawing still shows, drawn in the reader's browser by mermaid's 2.6 MB script, but not in print,
//! in the PDF or with scripts off; so the published book must have every drawing. Block and hash
//! come from the preprocessor's own library, so this rule and the build cannot disagree.

use mdbook_diagrams::{VARIANTS, cache_path, mermaid_blocks};

use super::{Book, Diagnostic};

const RULE: &str = "diagram-drawn";

pub(crate) fn check(book: &Book, out: &mut Vec<Diagnostic>) {
    for entry in &book.summary {
        let Some(rel) = entry.page() else {
            continue;
        };
        let Some(text) = book.pages.get(&rel) else {
            continue;
        };
        for block in mermaid_blocks(text) {
            let hash = block.hash();
            let missing: Vec<&str> = VARIANTS
                .iter()
                .filter(|variant| !cache_path(&book.root, &hash, **variant).is_file())
                .map(|variant| variant.name())
                .collect();
            if !missing.is_empty() {
                out.push(Diagnostic::new(
                    &rel,
                    block.open + 1,
                    RULE,
                    format!(
                        "this mermaid diagram has no {} drawing in src/diagrams/ ({hash}): \
                         run `cargo xtask diagrams` and commit src/diagrams/",
                        missing.join(" or ")
                    ),
                ));
            }
        }
    }
}
