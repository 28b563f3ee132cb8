//! The quiz code, loaded only when a quiz nears the viewport.
//!
//! mdbook-quiz 0.5 ends every chapter that has a quiz with a parser-blocking
//! `<script src="quiz/quiz-embed.iife.js">` (1.4 MB) and a `<link rel="stylesheet"
//! href="quiz/style.css">`, once per chapter however many quizzes it has, with one `../` per
//! folder the chapter is nested in. The `quiz-lazy` pass of `mdbook-diagrams` runs after
//! mdbook-quiz and swaps exactly that pair for one inert, hidden marker:
//!
//! ```html
//! <div class="quiz-lazy" data-quiz-src="quiz/quiz-embed.iife.js" data-quiz-css="quiz/style.css" hidden></div>
//! ```
//!
//! `theme/quiz-lazy.js` then loads both when a quiz placeholder comes near the viewport, and starts
//! the bundle. Nothing else is touched: the pair must be the end of the chapter (where mdbook-quiz
//! puts it), in mdbook-quiz's exact spelling, with a path made of `../` steps and `quiz/`; so the
//! same tags quoted in a chapter's text or code stay as they are.

/// The class of the marker `theme/quiz-lazy.js` looks for.
pub const MARKER_CLASS: &str = "quiz-lazy";

const SCRIPT_OPEN: &str = r#"<script type="text/javascript" src=""#;
const SCRIPT_CLOSE: &str = r#""></script>"#;
const LINK_OPEN: &str = r#"<link rel="stylesheet" type="text/css" href=""#;
const LINK_CLOSE: &str = r#"">"#;
const SCRIPT_PATH: &str = "quiz/quiz-embed.iife.js";
const STYLE_PATH: &str = "quiz/style.css";

/// The chapter with mdbook-quiz's closing script and stylesheet tags swapped for the lazy marker,
/// or `None` when the chapter does not end with them (no quiz, or not mdbook-quiz's tags).
pub fn lazy_quiz(content: &str) -> Option<String> {
    let body = content.trim_end();
    let (before_link, css) = strip_tag(body, LINK_OPEN, STYLE_PATH, LINK_CLOSE)?;
    let (before_script, src) = strip_tag(before_link, SCRIPT_OPEN, SCRIPT_PATH, SCRIPT_CLOSE)?;
    let prefix = |path: &str, asset: &str| path.len() - asset.len();
    if prefix(src, SCRIPT_PATH) != prefix(css, STYLE_PATH) {
        return None;
    }
    Some(format!(
        r#"{before_script}<div class="{MARKER_CLASS}" data-quiz-src="{src}" data-quiz-css="{css}" hidden></div>{}"#,
        &content[body.len()..]
    ))
}

/// Splits `text` ending in `{open}{prefix}{asset}{close}` (the prefix being `../` steps only) into
/// what comes before the tag and the tag's path.
fn strip_tag<'a>(
    text: &'a str,
    open: &str,
    asset: &str,
    close: &str,
) -> Option<(&'a str, &'a str)> {
    let rest = text.strip_suffix(close)?.strip_suffix(asset)?;
    let start = rest.rfind(open)?;
    let prefix = &rest[start + open.len()..];
    if prefix.len() % 3 != 0 || !prefix.as_bytes().chunks(3).all(|step| step == b"../") {
        return None;
    }
    let path = &text[start + open.len()..text.len() - close.len()];
    Some((&text[..start], path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(prefix: &str) -> String {
        format!(
            r#"<script type="text/javascript" src="{prefix}quiz/quiz-embed.iife.js"></script><link rel="stylesheet" type="text/css" href="{prefix}quiz/style.css">"#
        )
    }

    const PLACEHOLDER: &str =
        r#"<div class="quiz-placeholder" data-quiz-name="&quot;q&quot;"></div>"#;

    #[test]
    fn top_level_chapter_gets_one_marker() {
        let content = format!("# Ch\n\n{PLACEHOLDER}\n\n{}", tags(""));
        assert_eq!(
            lazy_quiz(&content).unwrap(),
            format!(
                "# Ch\n\n{PLACEHOLDER}\n\n<div class=\"quiz-lazy\" data-quiz-src=\"quiz/quiz-embed.iife.js\" data-quiz-css=\"quiz/style.css\" hidden></div>"
            )
        );
    }

    #[test]
    fn nested_chapter_keeps_its_relative_paths() {
        let content = format!("{PLACEHOLDER}\n\n{}\n", tags("../../"));
        let out = lazy_quiz(&content).unwrap();
        assert!(out.ends_with(
            "<div class=\"quiz-lazy\" data-quiz-src=\"../../quiz/quiz-embed.iife.js\" data-quiz-css=\"../../quiz/style.css\" hidden></div>\n"
        ));
        assert!(!out.contains("<script") && !out.contains("<link"));
    }

    #[test]
    fn several_quizzes_load_the_code_once() {
        let content = format!("{PLACEHOLDER}\n\ntext\n\n{PLACEHOLDER}\n\n{}", tags("../"));
        let out = lazy_quiz(&content).unwrap();
        assert_eq!(out.matches("class=\"quiz-lazy\"").count(), 1);
        assert_eq!(out.matches("quiz-embed.iife.js").count(), 1);
        assert_eq!(out.matches(PLACEHOLDER).count(), 2);
    }

    #[test]
    fn a_chapter_without_the_tags_is_left_alone() {
        assert_eq!(lazy_quiz("# Ch\n\nNo quiz here.\n"), None);
        assert_eq!(lazy_quiz(""), None);
    }

    #[test]
    fn the_tags_quoted_mid_chapter_are_left_alone() {
        let content = format!("```html\n{}\n```\n\nThe end.\n", tags(""));
        assert_eq!(lazy_quiz(&content), None);
        // Quoted earlier and emitted at the end: only the end is rewritten.
        let content = format!(
            "```html\n{}\n```\n\n{PLACEHOLDER}\n\n{}",
            tags(""),
            tags("")
        );
        let out = lazy_quiz(&content).unwrap();
        assert!(out.starts_with(&format!("```html\n{}\n```", tags(""))));
        assert_eq!(out.matches("<script").count(), 1);
    }

    #[test]
    fn other_paths_and_spellings_are_left_alone() {
        for content in [
            tags("/"),
            tags("x/"),
            tags("..//"),
            tags("https://example.com/"),
            tags("").replace("quiz/style.css", "quiz/other.css"),
            tags("").replace("quiz-embed.iife.js", "other.js"),
            tags("").replace(r#"type="text/javascript" "#, ""),
            tags("").replace("</script><link", "</script>\n<p>x</p><link"),
            // Script and stylesheet from different depths: not what mdbook-quiz writes.
            tags("../").replace("../quiz/style.css", "quiz/style.css"),
        ] {
            assert_eq!(lazy_quiz(&content), None, "{content}");
        }
    }
}
