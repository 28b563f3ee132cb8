//! The edits `cargo xtask` makes to mdBook's page template (tools/xtask/src/template.rs), on a
//! small template of the same shape: each edit does what it says, and one that no longer finds
//! its target stops the build with its name instead of silently writing mdBook's slow page.

use anyhow::Result;
use xtask::template::{Inputs, edit_template};

/// The parts of mdBook 0.5.4's index.hbs that the edits touch, in the same order and spelling.
const TEMPLATE: &str = r#"<!DOCTYPE HTML>
<html>
    <head>
        <meta charset="UTF-8">
        <link rel="stylesheet" href="{{ resource "css/variables.css" }}">
        <link rel="stylesheet" href="{{ resource "css/print.css" }}" media="print">
        <link rel="stylesheet" href="{{ resource "fonts/fonts.css" }}">
        <link rel="stylesheet" id="mdbook-highlight-css" href="{{ resource "highlight.css" }}">
        {{#each additional_css}}
        <link rel="stylesheet" href="{{ resource this }}">
        {{/each}}
        <!-- Start loading toc.js asap -->
        <script src="{{ resource "toc.js" }}"></script>
    </head>
    <body>
        <label id="mdbook-sidebar-toggle" class="icon-button" for="mdbook-sidebar-toggle-anchor" title="Toggle Table of Contents" aria-controls="mdbook-sidebar">
            {{fa "solid" "bars"}}
        </label>
        <main>{{{ content }}}</main>
        <script src="{{ resource "highlight.js" }}"></script>
        <script src="{{ resource "book.js" }}"></script>
        {{#each additional_js}}
        <script src="{{ resource this}}"></script>
        {{/each}}
    </body>
</html>
"#;

fn inputs() -> Inputs {
    Inputs {
        read_theme_file: Box::new(|name: &str| {
            Ok(match name {
                "fonts/fonts.css" => {
                    r#"@font-face { src: url('{{ resource "fonts/a.woff2" }}'); }"#.to_string()
                }
                other => format!(".from-{} {{ color: red; }}", other.replace(['/', '.'], "-")),
            })
        }),
        additional_css: vec![(
            "theme/book.css".to_string(),
            ".book { margin: 0; }".to_string(),
        )],
        lazy_highlight_js: "window.lazy = true;".to_string(),
    }
}

fn head(page: &str) -> &str {
    &page[..page.find("</head>").expect("the template has a head")]
}

#[test]
fn no_stylesheet_or_script_request_is_left_in_the_head_but_print_css() -> Result<()> {
    let page = edit_template(TEMPLATE, &inputs())?;
    let head = head(&page);
    assert!(!head.contains(r#"<link rel="stylesheet" href="{{ resource "css/variables"#));
    assert!(
        !head.contains("<script src="),
        "no script request in the head:\n{head}"
    );
    assert!(head.contains(r#"href="{{ resource "css/print.css" }}" media="print""#));
    assert!(head.contains(".from-css-variables-css { color: red; }"));
    assert!(head.contains(".book { margin: 0; }"));
    Ok(())
}

#[test]
fn highlight_themes_keep_their_ids_and_font_urls_stay_mdbook_resources() -> Result<()> {
    let page = edit_template(TEMPLATE, &inputs())?;
    assert!(page.contains(r#"<style id="mdbook-highlight-css">"#));
    assert!(page.contains(r#"url('{{ resource "fonts/a.woff2" }}')"#));
    Ok(())
}

#[test]
fn the_sidebar_is_filled_after_the_content_and_before_book_js() -> Result<()> {
    let page = edit_template(TEMPLATE, &inputs())?;
    let toc = page
        .find(r#"src="{{ resource "toc.js" }}">"#)
        .expect("toc.js kept");
    let content = page.find("{{{ content }}}").expect("content kept");
    let book = page
        .find(r#"src="{{ resource "book.js" }}">"#)
        .expect("book.js kept");
    assert!(content < toc && toc < book);
    Ok(())
}

#[test]
fn the_lazy_highlighter_takes_highlight_js_place_before_book_js() -> Result<()> {
    let page = edit_template(TEMPLATE, &inputs())?;
    assert!(!page.contains(r#"<script src="{{ resource "highlight.js" }}">"#));
    let lazy = page
        .find("window.lazy = true;")
        .expect("lazy highlighter inlined");
    let book = page.find(r#"resource "book.js""#).expect("book.js kept");
    assert!(lazy < book);
    // It knows where highlight.js is, to load it when a block nears the screen.
    assert!(
        page[..lazy]
            .ends_with("<script>\nconst highlightJsUrl = '{{ resource \"highlight.js\" }}';\n")
    );
    Ok(())
}

#[test]
fn the_first_paint_waits_for_the_content_and_no_longer() -> Result<()> {
    let page = edit_template(TEMPLATE, &inputs())?;
    let expect = page
        .find(r##"<link rel="expect" href="#sdm-content-end" blocking="render">"##)
        .expect("the head asks to paint after the content");
    let marker = page
        .find(r#"<div id="sdm-content-end" hidden></div>"#)
        .expect("a marker after the content");
    let content = page.find("{{{ content }}}").expect("content kept");
    let scripts = page.find("<script src=").expect("scripts kept");
    assert!(expect < page.find("</head>").expect("a head"));
    // After the content, before the scripts: the paint does not wait for them.
    assert!(content < marker && marker < scripts);
    Ok(())
}

#[test]
fn the_sidebar_toggle_becomes_a_button_with_its_attributes_and_icon() -> Result<()> {
    let page = edit_template(TEMPLATE, &inputs())?;
    assert!(!page.contains("<label id=\"mdbook-sidebar-toggle\""));
    assert!(page.contains(
        r#"<button type="button" id="mdbook-sidebar-toggle" class="icon-button" title="Toggle Table of Contents" aria-controls="mdbook-sidebar">"#
    ));
    assert!(page.contains(r#"{{fa "solid" "bars"}}"#));
    Ok(())
}

#[test]
fn an_edit_that_no_longer_fits_the_template_is_named() {
    let changed = TEMPLATE.replace(r#"<script src="{{ resource "book.js" }}"></script>"#, "");
    let error = edit_template(&changed, &inputs()).expect_err("book.js is gone");
    let message = format!("{error:#}");
    assert!(message.contains("toc-script-after-content"), "{message}");
}

#[test]
fn a_stylesheet_that_handlebars_would_misread_is_refused() {
    let mut inputs = inputs();
    inputs.additional_css = vec![(
        "theme/book.css".into(),
        "a::after { content: '{{x}}'; }".into(),
    )];
    let error = edit_template(TEMPLATE, &inputs).expect_err("{{x}} is not a resource");
    assert!(format!("{error:#}").contains("theme/book.css"));
}
