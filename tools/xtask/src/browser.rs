//! The browser test: the built book, read by a real headless Chromium over loopback.
//!
//! The book checker proves the sources are well formed; only a browser proves what a reader sees.
//! For every written concept chapter this test asserts that:
//! - no request held back the first paint (the page template of tools/xtask/src/template.rs),
//!   and the sidebar toggle is a button that opens and closes the sidebar;
//! - every mermaid block became an SVG, with no mermaid error text;
//! - the quiz code (mdbook-quiz's 1.4 MB bundle) is not requested at the top of the page, and is
//!   requested once when the quiz is scrolled into view (`theme/quiz-lazy.js`);
//! - the quiz then starts and accepts the right answer to every question (read from the quiz file),
//!   ending with "You answered N/N questions correctly";
//! - code is highlighted once scrolled into view (`theme/lazy-highlight.js`);
//! - mdBook's search finds the chapter by its title;
//! - no request left loopback (from Chromium's own network log, so nothing is missed).
//!
//! Then, on the study plan page, every written chapter's quiz shows as done, an exercise checkbox
//! persists across a reload, and "Reset my progress" clears both.
//!
//! It also loads the print page, which draws every diagram of the book at once.
//!
//! Chromium is driven over WebDriver (`chromedriver`, plain JSON over HTTP), and the book is served
//! by a small static file server in this process. Debian's `chromium` and `chromium-driver` provide
//! both; `.ci/run` installs them. Outside CI a missing Chromium skips the test loudly; under
//! `CI=true` it is a failure.

pub(crate) mod server;
pub(crate) mod webdriver;

use std::path::{Path, PathBuf};
use std::thread::sleep;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::summary::{self, Entry};
use server::StaticServer;
use webdriver::{ChromeDriver, Session};

/// How long a page may take to draw its diagrams or show search results.
const PAGE_TIMEOUT: Duration = Duration::from_secs(30);

/// Runs the browser test against `root/book`.
pub fn run(root: &Path) -> Result<()> {
    let Some((chromium, chromedriver)) = find_browser()? else {
        return Ok(());
    };
    let book = root.join("book");
    if !book.join("index.html").exists() {
        bail!(
            "{} has no built book: run `cargo xtask build` first",
            book.display()
        );
    }
    let chapters = summary::written_chapters(root)?;
    let server = StaticServer::start(&book)?;
    let driver = ChromeDriver::start(&chromedriver)?;
    let session = driver.new_session(&chromium)?;

    let mut failures = Vec::new();
    for chapter in &chapters {
        println!("browser test: {} ({})", chapter.title, chapter.path);
        if let Err(error) = check_chapter(&session, &server, root, chapter) {
            failures.push(format!("{}: {error:#}", chapter.path));
        }
    }
    println!("browser test: study-plan.html");
    if let Err(error) = check_study_plan(&session, &server, root, &chapters) {
        failures.push(format!("study-plan.html: {error:#}"));
    }
    println!("browser test: print.html");
    if let Err(error) = check_print_page(&session, &server, root, &chapters) {
        failures.push(format!("print.html: {error:#}"));
    }

    if failures.is_empty() {
        println!(
            "browser test: {} chapter page(s), the study plan and the print page passed",
            chapters.len()
        );
        Ok(())
    } else {
        bail!("the browser test failed:\n  {}", failures.join("\n  "))
    }
}

/// The paths of Chromium and chromedriver, or `None` (after a loud message) when they are missing
/// outside CI.
fn find_browser() -> Result<Option<(PathBuf, PathBuf)>> {
    match browser_paths() {
        Ok(paths) => Ok(Some(paths)),
        Err(missing) => skip_unless_ci("BROWSER TEST", &missing).map(|()| None),
    }
}

/// The Chromium to drive: `CHROMIUM`, or Debian's.
pub(crate) fn chromium_path() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// The paths of Chromium and chromedriver (`CHROMIUM` and `CHROMEDRIVER`, or Debian's), or what is
/// missing, as a message that says how to install it.
pub(crate) fn browser_paths() -> Result<(PathBuf, PathBuf), String> {
    let chromium = chromium_path();
    let chromedriver = std::env::var_os("CHROMEDRIVER")
        .map_or_else(|| PathBuf::from("/usr/bin/chromedriver"), PathBuf::from);
    if chromium.exists() && chromedriver.exists() {
        return Ok((chromium, chromedriver));
    }
    Err(format!(
        "{} or {} is missing (Debian: `apt-get install chromium chromium-driver`; or set CHROMIUM and CHROMEDRIVER)",
        chromium.display(),
        chromedriver.display()
    ))
}

/// A test that cannot run for want of a tool: a loud skip on a writer's machine, where a missing
/// browser is common and not their chapter's fault; an error under `CI=true`, where a skipped test
/// would report green for something nobody checked.
pub(crate) fn skip_unless_ci(test: &str, missing: &str) -> Result<()> {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        bail!(
            "{missing}; under CI=true the {} must run",
            test.to_lowercase()
        );
    }
    eprintln!("\n*** {test} SKIPPED: {missing} ***\n");
    Ok(())
}

fn check_chapter(
    session: &Session,
    server: &StaticServer,
    root: &Path,
    chapter: &Entry,
) -> Result<()> {
    let page = Path::new(&chapter.path).with_extension("html");
    session.goto(&server.url(&page.to_string_lossy()))?;
    let markdown = std::fs::read_to_string(root.join("src").join(&chapter.path))?;
    let expected_diagrams = mdbook_diagrams::mermaid_blocks(&markdown).len();
    check_page_shell(session)?;
    check_diagrams(session, expected_diagrams)?;
    check_diagram_themes(session)?;
    check_code_highlighted_near_screen(session)?;
    check_quiz(session, root, &markdown)?;
    check_no_request_left_loopback(session, server)?;
    check_search(session, chapter, &page)?;
    Ok(())
}

/// The page template `cargo xtask` writes (tools/xtask/src/template.rs) is the one in use: the
/// page as served has no stylesheet (but the print one) and no script request in its head, where
/// they would hold back the first paint, and the sidebar toggle is a button that still opens and
/// closes the sidebar.
fn check_page_shell(session: &Session) -> Result<()> {
    // The served HTML, not the live DOM, into which scripts add elements of their own later.
    // (WebDriver waits for a returned promise.)
    let blocking = session.execute(
        "return fetch(location.href).then(r => r.text()).then(html => {
             const head = new DOMParser().parseFromString(html, 'text/html').head;
             return [...head.querySelectorAll('link[rel=stylesheet]:not([media=print]), script[src]:not([async]):not([defer])')]
                 .map(e => e.outerHTML);
         }, error => ['could not fetch the page: ' + error]);",
        &[],
    )?;
    if blocking.as_array().is_none_or(|list| !list.is_empty()) {
        bail!(
            "the page's head requests what holds back its first paint (is theme/index.hbs mdBook's own?): {blocking}"
        );
    }
    let toggled = session.execute(
        "const toggle = document.getElementById('mdbook-sidebar-toggle');
         const html = document.documentElement;
         const states = [];
         const record = () => states.push([html.classList.contains('sidebar-visible'), toggle.getAttribute('aria-expanded')]);
         record();
         toggle.click();
         record();
         toggle.click();
         record();
         return { tag: toggle.tagName, states };",
        &[],
    )?;
    // [sidebar visible, aria-expanded] before, after one click and after a second one.
    let visible = |click: usize| toggled["states"][click][0].as_bool();
    let expanded = |click: usize| toggled["states"][click][1].as_str().map(|s| s == "true");
    let opened_and_closed = visible(0).is_some()
        && visible(1) != visible(0)
        && visible(2) == visible(0)
        && (1..=2).all(|click| expanded(click) == visible(click));
    if toggled["tag"] != "BUTTON" || !opened_and_closed {
        bail!(
            "the sidebar toggle must be a <button> that opens and closes the sidebar, with aria-expanded to match: {toggled}"
        );
    }
    Ok(())
}

/// Code is highlighted when it nears the screen (theme/lazy-highlight.js), not at load: the first
/// block with a language gets highlight.js's markup once scrolled into view.
fn check_code_highlighted_near_screen(session: &Session) -> Result<()> {
    let found = session.execute(
        "const block = document.querySelector('main pre > code[class*=language-]:not(.language-text)');
         if (block) { block.scrollIntoView(); }
         return Boolean(block);",
        &[],
    )?;
    if found != Value::Bool(true) {
        return Ok(());
    }
    wait_for(
        session,
        "highlight.js's markup in the first code block",
        |session| {
            let highlighted = session.execute(
            "return Boolean(document.querySelector('main pre > code[class*=language-]:not(.language-text)')
                 .querySelector('[class^=hljs-]'));",
            &[],
        )?;
            Ok((highlighted == Value::Bool(true)).then_some(()))
        },
    )
}

/// Waits until every diagram is drawn, then checks that the page has `expected` of them, none
/// showing mermaid's error text. A diagram is drawn at build time (a `figure.diagram` holding an
/// image of the light and of the dark drawing, each of which must load) or, when it was not, in
/// the browser (a `pre.mermaid` that mermaid filled with an SVG). A page whose diagrams were all
/// drawn at build time must not load mermaid's script.
fn check_diagrams(session: &Session, expected: usize) -> Result<()> {
    // The images load lazily: bring each figure to the screen and wait for its drawing. (WebDriver
    // waits for the returned promise.)
    let broken = session.execute(
        "return (async () => {
             const broken = [];
             for (const img of document.querySelectorAll('figure.diagram img.diagram-light')) {
                 img.scrollIntoView();
                 try { await img.decode(); } catch (e) { broken.push(img.getAttribute('src')); }
             }
             window.scrollTo(0, 0);
             return broken;
         })();",
        &[],
    )?;
    if broken.as_array().is_none_or(|list| !list.is_empty()) {
        bail!("these drawings did not load: {broken}");
    }
    let state = wait_for(session, "diagrams to be drawn", |session| {
        let state = session.execute(
            "const figures = [...document.querySelectorAll('figure.diagram')];
             const built = figures.filter(f => f.querySelector('img.diagram-light[alt]') && f.querySelector('img.diagram-dark[alt]'));
             const blocks = [...document.querySelectorAll('pre.mermaid')];
             const drawn = blocks.filter(b => b.querySelector('svg'));
             const errors = [...figures, ...drawn].map(b => b.textContent).filter(t => /syntax error|parse error/i.test(t));
             const mermaidJs = performance.getEntriesByType('resource').map(r => r.name).filter(n => n.includes('mermaid.min'));
             return { figures: figures.length, built: built.length, blocks: blocks.length, drawn: drawn.length, errors, mermaidJs };",
            &[],
        )?;
        let done = state["drawn"] == state["blocks"];
        Ok(done.then_some(state))
    })?;
    let count = |key: &str| state[key].as_u64().unwrap_or(0);
    if count("built") != count("figures") {
        bail!(
            "{} of the page's {} figure.diagram lack an image of the light or the dark drawing",
            count("figures") - count("built"),
            count("figures")
        );
    }
    let total = count("figures") + count("blocks");
    if total != expected as u64 {
        bail!(
            "the page has {total} mermaid diagram(s) ({} drawn at build time, {} in the browser), the source has {expected}",
            count("figures"),
            count("blocks")
        );
    }
    if let Some(errors) = state["errors"]
        .as_array()
        .filter(|errors| !errors.is_empty())
    {
        bail!(
            "mermaid could not draw {} diagram(s): {errors:?}",
            errors.len()
        );
    }
    if count("blocks") == 0
        && let Some(urls) = state["mermaidJs"].as_array().filter(|u| !u.is_empty())
    {
        bail!("every diagram was drawn at build time, yet the page loaded mermaid: {urls:?}");
    }
    Ok(())
}

/// Switches to the navy theme and back to light, checking that the stylesheet shows the dark
/// drawing of every diagram in navy and the light one in light.
fn check_diagram_themes(session: &Session) -> Result<()> {
    for (theme, shown, hidden) in [
        ("navy", "diagram-dark", "diagram-light"),
        ("light", "diagram-light", "diagram-dark"),
    ] {
        let state = session.execute(
            "const [theme, shown, hidden] = arguments;
             document.getElementById('mdbook-theme-toggle').click();
             document.getElementById(`mdbook-theme-${theme}`).click();
             const display = (c) => [...document.querySelectorAll(`figure.diagram .${c}`)]
                 .map(e => getComputedStyle(e).display);
             return { html: document.documentElement.className, shown: display(shown), hidden: display(hidden) };",
            &[json!(theme), json!(shown), json!(hidden)],
        )?;
        let displays = |key: &str| -> Vec<String> {
            state[key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        };
        if displays("shown").iter().any(|d| d == "none")
            || displays("hidden").iter().any(|d| d != "none")
        {
            bail!(
                "in the {theme} theme (<html class=\"{}\">) the .{shown} drawings must show and the .{hidden} ones hide: {state}",
                state["html"].as_str().unwrap_or("")
            );
        }
    }
    Ok(())
}

/// The quiz code mdbook-quiz ships (1.4 MB), which `theme/quiz-lazy.js` loads only near a quiz.
const QUIZ_BUNDLE: &str = "quiz-embed.iife.js";

/// The quiz code loads lazily: not at all while the reader is at the top of the page, and once the
/// quiz is scrolled into view. Returns the URLs of the page's requests for it.
fn quiz_bundle_requests(session: &Session) -> Result<Vec<String>> {
    let urls = session.execute(
        "return performance.getEntriesByType('resource').map(r => r.name).filter(n => n.includes(arguments[0]));",
        &[json!(QUIZ_BUNDLE)],
    )?;
    Ok(urls
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|url| url.as_str().map(str::to_string))
        .collect())
}

/// Checks that the quiz code was not loaded at the top of the page, scrolls the quiz into view,
/// waits for the code to load and the quiz to show its start button, and checks it loaded once.
fn scroll_to_quiz(session: &Session) -> Result<()> {
    let at_top = session.execute("return window.scrollY;", &[])?;
    let early = quiz_bundle_requests(session)?;
    if !early.is_empty() {
        bail!(
            "at the top of the page (scrollY {at_top}) the quiz code was already requested, before any quiz neared the viewport: {early:?}"
        );
    }
    let scrolled = session.execute(
        "const quiz = document.querySelector('.quiz-placeholder, .mdbook-quiz');
         if (quiz) { quiz.scrollIntoView(); }
         return Boolean(quiz);",
        &[],
    )?;
    if scrolled != Value::Bool(true) {
        bail!("the page has no .quiz-placeholder to scroll to");
    }
    wait_for(
        session,
        "the quiz's start button after scrolling to it",
        |session| {
            let ready = session.execute(
                "return Boolean(document.querySelector('.mdbook-quiz button.start'));",
                &[],
            )?;
            Ok((ready == Value::Bool(true)).then_some(()))
        },
    )?;
    let requests = quiz_bundle_requests(session)?;
    if requests.len() != 1 {
        bail!(
            "scrolled to the quiz, the page should have requested the quiz code once, not {}: {requests:?}",
            requests.len()
        );
    }
    Ok(())
}

/// Scrolls to the chapter's quiz (its code loads only then), starts it and answers every question
/// right, from the quiz file itself.
fn check_quiz(session: &Session, root: &Path, markdown: &str) -> Result<()> {
    let questions = quiz_questions(root, markdown)?;
    scroll_to_quiz(session)?;
    session.execute(
        "document.querySelector('.mdbook-quiz button.start').click();",
        &[],
    )?;
    for (index, question) in questions.iter().enumerate() {
        let number = index + 1;
        wait_for(session, "the next quiz question", |session| {
            let counter = session.execute(
                "return document.querySelector('.mdbook-quiz .counter')?.textContent ?? ''",
                &[],
            )?;
            Ok(counter
                .as_str()
                .is_some_and(|text| text.starts_with(&format!("Question {number} /")))
                .then_some(()))
        })?;
        answer_question(session, question).with_context(|| format!("question {number}"))?;
        session.execute(
            "document.querySelector('.mdbook-quiz form.response input[type=submit]').click();",
            &[],
        )?;
    }
    let total = questions.len();
    let review = wait_for(session, "the quiz's answer review", |session| {
        let text = session.execute(
            "return document.querySelector('.mdbook-quiz')?.textContent ?? ''",
            &[],
        )?;
        Ok(text
            .as_str()
            .filter(|text| text.contains("You answered"))
            .map(str::to_string))
    })?;
    if !review.contains(&format!("You answered {total}/{total} questions correctly")) {
        bail!(
            "the quiz did not accept every right answer; it says: {}",
            first_sentence(&review)
        );
    }
    Ok(())
}

fn first_sentence(text: &str) -> &str {
    let start = text.find("You answered").unwrap_or(0);
    let rest = &text[start..];
    rest.find('.').map_or(rest, |end| &rest[..=end])
}

/// The path in the chapter's `{{#quiz …}}`, relative to `src/`.
fn quiz_include(markdown: &str) -> Result<&str> {
    markdown
        .lines()
        .find_map(|line| line.trim().strip_prefix("{{#quiz ")?.strip_suffix("}}"))
        .map(str::trim)
        .context("the chapter has no {{#quiz …}}")
}

/// The questions of the quiz the chapter includes, in order.
pub(crate) fn quiz_questions(root: &Path, markdown: &str) -> Result<Vec<Value>> {
    let path = root.join("src").join(quiz_include(markdown)?);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let quiz: Value =
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    quiz["questions"]
        .as_array()
        .cloned()
        .context("the quiz file has no [[questions]]")
}

fn answer_question(session: &Session, question: &Value) -> Result<()> {
    let answer = &question["answer"]["answer"];
    match question["type"].as_str() {
        Some("MultipleChoice") => {
            let answers: Vec<&Value> = match answer {
                Value::Array(all) => all.iter().collect(),
                one => vec![one],
            };
            for answer in answers {
                let clicked = session.execute(
                    "const input = [...document.querySelectorAll('.mdbook-quiz form.response input[name=answer]')]
                         .find(i => i.value === arguments[0]);
                     if (input) { input.click(); }
                     return Boolean(input);",
                    std::slice::from_ref(answer),
                )?;
                if clicked != Value::Bool(true) {
                    bail!("no choice with the value {answer}");
                }
            }
            Ok(())
        }
        Some("ShortAnswer") => {
            let text = answer
                .as_str()
                .context("a ShortAnswer answer must be a string")?;
            let input = session.find(".mdbook-quiz form.response input[name=answer], .mdbook-quiz form.response textarea")?;
            session.send_keys(&input, text)
        }
        other => bail!("the browser test cannot answer a {other:?} question yet"),
    }
}

/// Opens mdBook's search, types the chapter's title, and waits for a result linking to the page.
fn check_search(session: &Session, chapter: &Entry, page: &Path) -> Result<()> {
    let term = chapter
        .title
        .split_once(". ")
        .map_or(chapter.title.as_str(), |(_, title)| title);
    session.execute(
        "document.getElementById('mdbook-search-toggle').click();",
        &[],
    )?;
    let bar = session.find("#mdbook-searchbar")?;
    session.send_keys(&bar, term)?;
    let href = page.to_string_lossy().to_string();
    wait_for(session, "search results", |session| {
        let found = session.execute(
            "return [...document.querySelectorAll('#mdbook-searchresults a')].some(a => a.getAttribute('href').startsWith(arguments[0]));",
            &[json!(href)],
        )?;
        Ok((found == Value::Bool(true)).then_some(()))
    })
    .with_context(|| format!("searching for {term:?} did not list {href}"))
}

/// Loads the print page and waits for the diagrams of every written chapter to be drawn there.
fn check_print_page(
    session: &Session,
    server: &StaticServer,
    root: &Path,
    chapters: &[Entry],
) -> Result<()> {
    load_print_page(session, server, root, chapters)?;
    check_no_request_left_loopback(session, server)
}

/// Opens the print page and waits until every diagram of the book is drawn on it, failing on any
/// mermaid error. The PDF is printed from this state.
pub(crate) fn load_print_page(
    session: &Session,
    server: &StaticServer,
    root: &Path,
    chapters: &[Entry],
) -> Result<()> {
    session.goto(&server.url("print.html"))?;
    let mut pages: Vec<PathBuf> = chapters.iter().map(|c| PathBuf::from(&c.path)).collect();
    pages.extend(summary::other_pages(root)?);
    let mut expected = 0;
    for page in pages {
        let markdown = std::fs::read_to_string(root.join("src").join(&page))?;
        expected += markdown
            .lines()
            .filter(|line| line.trim_start().starts_with("```mermaid"))
            .count();
    }
    check_diagrams(session, expected)
}

/// Reads the study plan after [`check_chapter`] answered every quiz right: each written chapter's
/// quiz shows as done, an exercise checkbox survives a reload, and "Reset my progress" clears both
/// (mdbook-quiz's stored answers too).
fn check_study_plan(
    session: &Session,
    server: &StaticServer,
    root: &Path,
    chapters: &[Entry],
) -> Result<()> {
    let url = server.url("study-plan.html");
    session.goto(&url)?;
    let mut quizzes = Vec::new();
    for chapter in chapters {
        let markdown = std::fs::read_to_string(root.join("src").join(&chapter.path))?;
        // mdbook-quiz names a quiz (and its localStorage key) after the quiz file's stem.
        let name = Path::new(quiz_include(&markdown)?)
            .file_stem()
            .context("the quiz path has no file name")?
            .to_string_lossy()
            .to_string();
        let state = quiz_state(session, &name)?;
        if !state.ends_with('✓') {
            bail!(
                "{} answered its quiz right, but the study plan shows {name}: {state:?}",
                chapter.path
            );
        }
        quizzes.push(name);
    }

    let exercise = chapters
        .first()
        .and_then(|chapter| Path::new(&chapter.path).file_stem())
        .context("no written chapter")?
        .to_string_lossy()
        .to_string();
    let checkbox = "return document.querySelector(`[data-progress-exercise=\"${arguments[0]}\"]`)";
    session
        .execute(&format!("{checkbox}.click();"), &[json!(exercise)])
        .with_context(|| format!("ticking the exercise checkbox of {exercise}"))?;
    session.goto(&url)?;
    let checked = session.execute(&format!("{checkbox}?.checked;"), &[json!(exercise)])?;
    if checked != Value::Bool(true) {
        bail!("the exercise checkbox of {exercise} was not ticked after a reload");
    }

    let left = session.execute(
        "window.confirm = () => true;
         document.querySelector('[data-progress-reset]').click();
         return Object.keys(localStorage).filter(key => key.startsWith('sdm-progress:')
             || arguments[0].some(name => key === `mdbook-quiz:${name}`));",
        &[json!(quizzes)],
    )?;
    if left.as_array().is_none_or(|left| !left.is_empty()) {
        bail!("\"Reset my progress\" left these keys in localStorage: {left}");
    }
    session.goto(&url)?;
    for name in &quizzes {
        let state = quiz_state(session, name)?;
        if state != "quiz: not taken" {
            bail!("after the reset the study plan shows {name}: {state:?}");
        }
    }
    let checked = session.execute(&format!("{checkbox}?.checked;"), &[json!(exercise)])?;
    if checked != Value::Bool(false) {
        bail!("after the reset the exercise checkbox of {exercise} is still ticked");
    }
    check_no_request_left_loopback(session, server)
}

/// The quiz state the study plan shows for quiz `name`, once its script has filled it in.
fn quiz_state(session: &Session, name: &str) -> Result<String> {
    wait_for(session, "the study plan's quiz state", |session| {
        let state = session.execute(
            "const span = document.querySelector(`[data-progress-quiz=\"${arguments[0]}\"]`);
             return span ? (span.hidden ? null : span.textContent) : false;",
            &[json!(name)],
        )?;
        match state {
            Value::Bool(false) => bail!(
                "the study plan (src/study-plan.md) has no data-progress-quiz=\"{name}\" for this written chapter"
            ),
            Value::String(text) => Ok(Some(text)),
            _ => Ok(None),
        }
    })
}

/// Fails when Chromium's network log shows a request to anything but our loopback server.
fn check_no_request_left_loopback(session: &Session, server: &StaticServer) -> Result<()> {
    let urls = session.requested_urls()?;
    let offending: Vec<&String> = urls
        .iter()
        .filter(|url| {
            !(url.starts_with(&server.base())
                || url.starts_with("data:")
                || url.starts_with("blob:")
                || url.starts_with("about:")
                // Chromium's own pages (the start tab), which never touch the network.
                || url.starts_with("chrome:")
                || url.starts_with("chrome-untrusted:"))
        })
        .collect();
    if offending.is_empty() {
        Ok(())
    } else {
        bail!("requests left loopback: {offending:?}")
    }
}

/// Polls `probe` until it returns `Some`, or fails after [`PAGE_TIMEOUT`] naming `what`.
fn wait_for<T>(
    session: &Session,
    what: &str,
    mut probe: impl FnMut(&Session) -> Result<Option<T>>,
) -> Result<T> {
    let start = Instant::now();
    loop {
        if let Some(value) = probe(session)? {
            return Ok(value);
        }
        if start.elapsed() > PAGE_TIMEOUT {
            bail!("timed out after {PAGE_TIMEOUT:?} waiting for {what}");
        }
        sleep(Duration::from_millis(100));
    }
}
