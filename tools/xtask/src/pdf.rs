//! The offline copy: the whole book as one PDF, printed by headless Chromium from the print page.
//!
//! mdBook's `print.html` holds every page of the book in order. Its diagrams are images of the
//! drawings made at build time (all loaded at once on this page, `theme/mermaid/mermaid-init.js`),
//! `theme/quiz-print.js` turns its quizzes into printed questions with an answer appendix, and
//! WebDriver's "Print Page" command returns the PDF. Printing from the same
//! browser the browser test uses means the PDF shows what a reader's browser shows, diagrams
//! included, without a second renderer to keep in step.
//!
//! The check reads the PDF back with `pdftotext` (Debian's poppler-utils): a PDF that is produced
//! but blank, cut short or full of mermaid error boxes looks fine to every other test.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::browser::server::StaticServer;
use crate::browser::webdriver::ChromeDriver;
use crate::browser::{self, browser_paths, skip_unless_ci};
use crate::summary::{self, Entry};

/// The PDF's file name, in `book/` beside the site, so the Pages workflow publishes it with it.
pub const PDF_NAME: &str = "system-design-mastery.pdf";

/// The fewest A4 pages per written chapter the PDF may have. The ten chapters written by
/// 2026-11-24 took 33 to 44 pages each (theory, listings, captured output, interview answers,
/// quiz), the front matter 15 and the answer appendix 32: a PDF under 10 per chapter lost content,
/// say a print cut short, even if every title survived.
const MIN_PAGES_PER_CHAPTER: usize = 10;

/// The heading of the answer appendix `theme/quiz-print.js` appends to the print page.
const APPENDIX_HEADING: &str = "Answers and explanations";

/// What `theme/quiz-print.js` prints under every quiz; counting it proves every quiz was printed.
const QUIZ_NOTE: &str = "the answers are in the appendix at the end of the book";

/// What follows each answer's number in the appendix ("1. Answer: B. …").
const ANSWER_LABEL: &str = "Answer:";

/// What follows a chapter's title at the start of the chapter (the contract's first line), which
/// tells the chapter itself apart from the study plan and the appendix, which name it too.
const CHAPTER_OPENING: &str = "Study focus";

/// What mermaid draws in place of a diagram it cannot parse (its error box), as pdftotext reads it.
const MERMAID_ERRORS: [&str; 2] = ["Syntax error in text", "Parse error on line"];

/// `cargo xtask pdf`: prints the built book to `book/system-design-mastery.pdf`, reports its size,
/// page count and the time taken, then checks it (when `pdftotext` is installed).
pub fn run(root: &Path) -> Result<()> {
    let (chromium, chromedriver) = browser_paths().map_err(anyhow::Error::msg)?;
    let started = Instant::now();
    let path = render(root, &chromium, &chromedriver)?;
    let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    println!(
        "xtask pdf: wrote {} ({:.1} MB, {} pages) in {:.1} s",
        path.display(),
        bytes.len() as f64 / 1e6,
        page_count(&bytes),
        started.elapsed().as_secs_f64()
    );
    match find_pdftotext() {
        Ok(()) => check(root, &path),
        Err(missing) => skip_unless_ci("PDF CHECK", &missing),
    }
}

/// The `pdf` step of `cargo xtask test`: prints the freshly built book and checks the PDF.
/// Without Chromium or `pdftotext` it skips loudly, and fails under `CI=true`.
pub fn test(root: &Path) -> Result<()> {
    let (chromium, chromedriver) = match browser_paths() {
        Ok(paths) => paths,
        Err(missing) => return skip_unless_ci("PDF TEST", &missing),
    };
    if let Err(missing) = find_pdftotext() {
        return skip_unless_ci("PDF TEST", &missing);
    }
    let path = render(root, &chromium, &chromedriver)?;
    check(root, &path)
}

/// Whether `book/` must be rebuilt before printing: missing, or older than any of its sources
/// (book.toml, the pages, the quizzes, the theme, the listings the pages include).
pub fn book_is_stale(root: &Path) -> Result<bool> {
    let built = match std::fs::metadata(root.join("book").join("print.html")) {
        Ok(meta) => meta.modified()?,
        Err(_) => return Ok(true),
    };
    let mut newest = SystemTime::UNIX_EPOCH;
    for source in ["book.toml", "src", "quizzes", "theme", "listings"] {
        newest = newest.max(newest_modification(&root.join(source))?);
    }
    Ok(newest > built)
}

/// The latest modification time of a file or of anything under a folder. `src/quiz` is skipped:
/// mdbook-quiz rewrites it on every build, so it would make every book look stale.
fn newest_modification(path: &Path) -> Result<SystemTime> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(_) => return Ok(SystemTime::UNIX_EPOCH),
    };
    if !meta.is_dir() {
        return Ok(meta.modified()?);
    }
    let mut newest = meta.modified()?;
    for entry in std::fs::read_dir(path).with_context(|| format!("listing {}", path.display()))? {
        let entry = entry?.path();
        if entry.ends_with("src/quiz") {
            continue;
        }
        newest = newest.max(newest_modification(&entry)?);
    }
    Ok(newest)
}

/// Serves `book/`, loads its print page in headless Chromium, waits for every diagram and quiz,
/// prints it, and writes the PDF to `book/`. Returns the PDF's path.
fn render(root: &Path, chromium: &Path, chromedriver: &Path) -> Result<PathBuf> {
    let book = root.join("book");
    if !book.join("print.html").exists() {
        bail!(
            "{} has no print.html: run `cargo xtask build` first",
            book.display()
        );
    }
    let chapters = summary::written_chapters(root)?;
    let server = StaticServer::start(&book)?;
    let driver = ChromeDriver::start(chromedriver)?;
    let session = driver.new_session(chromium)?;
    browser::load_print_page(&session, &server, root, &chapters)?;
    check_quizzes_printed(&session, quiz_count(root, &chapters)?)?;
    let pdf = session.print_pdf()?;
    if !pdf.starts_with(b"%PDF-") {
        bail!("Chromium's print did not return a PDF");
    }
    let path = book.join(PDF_NAME);
    std::fs::write(&path, &pdf).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

/// How many quizzes the book's pages include (`{{#quiz …}}` lines), so none can go missing silently.
fn quiz_count(root: &Path, chapters: &[Entry]) -> Result<usize> {
    let mut pages: Vec<PathBuf> = chapters.iter().map(|c| PathBuf::from(&c.path)).collect();
    pages.extend(summary::other_pages(root)?);
    let mut count = 0;
    for page in pages {
        let path = root.join("src").join(&page);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        count += text
            .lines()
            .filter(|line| line.trim_start().starts_with("{{#quiz "))
            .count();
    }
    Ok(count)
}

/// Fails unless `theme/quiz-print.js` replaced every quiz of the print page with printed questions,
/// left no interactive quiz behind, and added the answer appendix.
fn check_quizzes_printed(session: &browser::webdriver::Session, expected: usize) -> Result<()> {
    let state = session.execute(
        "return {
             printed: document.querySelectorAll('.quiz-print').length,
             left: document.querySelectorAll('.quiz-placeholder, .mdbook-quiz').length,
             appendix: document.getElementById('answers-and-explanations') !== null,
         };",
        &[],
    )?;
    let printed = state["printed"].as_u64().unwrap_or(0);
    let left = state["left"].as_u64().unwrap_or(0);
    if printed != expected as u64 || left != 0 || state["appendix"] != Value::Bool(true) {
        bail!(
            "the print page should show {expected} printed quiz(zes) and the answer appendix; \
             it shows {printed} printed, {left} interactive, appendix: {} \
             (is theme/quiz-print.js in book.toml's additional-js?)",
            state["appendix"]
        );
    }
    Ok(())
}

/// The number of pages of a PDF: its `/Type /Page` objects (not `/Pages`, the page-tree nodes).
/// Chromium writes page objects uncompressed, so counting them in the bytes is exact and needs
/// no PDF tool.
pub fn page_count(pdf: &[u8]) -> usize {
    let mut count = 0;
    let mut rest = pdf;
    while let Some(at) = find(rest, b"/Type") {
        rest = &rest[at + b"/Type".len()..];
        let value = rest.trim_ascii_start();
        if let Some(after) = value.strip_prefix(b"/Page")
            && !after.first().is_some_and(u8::is_ascii_alphanumeric)
        {
            count += 1;
        }
    }
    count
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// `Ok` when `pdftotext` runs, else what is missing and how to install it.
fn find_pdftotext() -> Result<(), String> {
    match Command::new("pdftotext").arg("-v").output() {
        Ok(_) => Ok(()),
        Err(_) => Err(
            "pdftotext is missing (Debian and Ubuntu: `apt-get install poppler-utils`)".to_string(),
        ),
    }
}

/// A chapter as the PDF check looks for it: its `N. Title` and its number of quiz questions.
pub struct ExpectedChapter {
    pub title: String,
    pub questions: usize,
}

/// Reads the PDF's text with `pdftotext` and fails with every problem [`problems`] finds.
fn check(root: &Path, pdf: &Path) -> Result<()> {
    let output = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .context("running pdftotext")?;
    if !output.status.success() {
        bail!(
            "pdftotext could not read {}: {}",
            pdf.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let bytes = std::fs::read(pdf).with_context(|| format!("reading {}", pdf.display()))?;
    let mut chapters = Vec::new();
    for chapter in summary::written_chapters(root)? {
        let markdown = std::fs::read_to_string(root.join("src").join(&chapter.path))?;
        let questions = browser::quiz_questions(root, &markdown)
            .with_context(|| format!("the quiz of {}", chapter.path))?;
        chapters.push(ExpectedChapter {
            title: chapter.title,
            questions: questions.len(),
        });
    }
    let found = problems(&text, page_count(&bytes), &chapters);
    if found.is_empty() {
        println!(
            "pdf check: {} pages, {} chapter(s) with their quiz answers, no mermaid errors",
            page_count(&bytes),
            chapters.len()
        );
        Ok(())
    } else {
        bail!("the PDF check failed:\n  {}", found.join("\n  "))
    }
}

/// Everything wrong with the PDF's text (`pdftotext` output) and page count: too few pages, a
/// chapter title missing from the book's body, a quiz not printed, a chapter's answers missing
/// from the appendix, mermaid error text.
pub fn problems(text: &str, pages: usize, chapters: &[ExpectedChapter]) -> Vec<String> {
    let mut found = Vec::new();
    let minimum = MIN_PAGES_PER_CHAPTER * chapters.len();
    if pages < minimum {
        found.push(format!(
            "{pages} pages, fewer than {minimum} ({MIN_PAGES_PER_CHAPTER} per written chapter)"
        ));
    }
    // Titles and phrases may wrap across lines or pages: compare with whitespace collapsed.
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for error in MERMAID_ERRORS {
        if text.contains(error) {
            found.push(format!("mermaid error text in the PDF: {error:?}"));
        }
    }
    // The appendix repeats every title, so titles are looked for before it.
    let Some(split) = text.rfind(APPENDIX_HEADING) else {
        found.push(format!("no {APPENDIX_HEADING:?} appendix"));
        return found;
    };
    let (body, appendix) = text.split_at(split);
    for chapter in chapters {
        if !body.contains(&format!("{} {CHAPTER_OPENING}", chapter.title)) {
            found.push(format!(
                "chapter {:?} is missing (its title followed by {CHAPTER_OPENING:?})",
                chapter.title
            ));
        }
    }
    let printed = body.matches(QUIZ_NOTE).count();
    if printed < chapters.len() {
        found.push(format!(
            "{printed} printed quiz(zes) for {} written chapter(s)",
            chapters.len()
        ));
    }
    found.extend(appendix_problems(appendix, chapters));
    found
}

/// Each chapter's section of the appendix (from its title and first answer to the next chapter's)
/// must hold an answer for every question of its quiz.
fn appendix_problems(appendix: &str, chapters: &[ExpectedChapter]) -> Vec<String> {
    let mut found = Vec::new();
    let mut starts = Vec::new();
    let mut from = 0;
    for chapter in chapters {
        let opening = format!("{} 1. {ANSWER_LABEL}", chapter.title);
        match appendix[from..].find(&opening) {
            Some(at) => {
                from += at;
                starts.push((chapter, from));
            }
            None => found.push(format!(
                "the appendix has no answers for {:?}",
                chapter.title
            )),
        }
    }
    for (index, (chapter, start)) in starts.iter().enumerate() {
        let end = starts.get(index + 1).map_or(appendix.len(), |(_, at)| *at);
        let answers = appendix[*start..end].matches(ANSWER_LABEL).count();
        if answers < chapter.questions {
            found.push(format!(
                "the appendix has {answers} answer(s) for {:?}, whose quiz has {} question(s)",
                chapter.title, chapter.questions
            ));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapter(title: &str, questions: usize) -> ExpectedChapter {
        ExpectedChapter {
            title: title.to_string(),
            questions,
        }
    }

    const GOOD: &str = "Study plan: 1. Scalability, 2. Latency and throughput\n\
        1. Scalability\nStudy focus: x\n2 questions; the answers are in the\nappendix at the end of \
        the book.\n2. Latency and\nthroughput\n\nStudy focus: y\n1 questions; the answers are in the \
        appendix at the end of the book.\nAnswers and explanations\n1. Scalability\n1. Answer: A. x\n\
        2. Answer: 42\n2. Latency and throughput\n1. Answer: B. y\n";

    #[test]
    fn a_complete_pdf_has_no_problems() {
        let chapters = [
            chapter("1. Scalability", 2),
            chapter("2. Latency and throughput", 1),
        ];
        assert_eq!(problems(GOOD, 20, &chapters), Vec::<String>::new());
    }

    #[test]
    fn reports_short_pdfs_missing_chapters_answers_and_mermaid_errors() {
        let chapters = [
            chapter("1. Scalability", 3),
            chapter("2. Latency and throughput", 1),
            // Named by the study plan, but not in the book.
            chapter("3. Capacity estimation", 8),
        ];
        let text =
            format!("3. Capacity estimation\n{GOOD}\nSyntax error in text\nmermaid version 11");
        let found = problems(&text, 5, &chapters);
        assert_eq!(found.len(), 6, "{found:#?}");
        assert!(found[0].contains("5 pages"));
        assert!(found[1].contains("Syntax error in text"));
        assert!(found[2].contains("3. Capacity estimation"));
        assert!(found[3].contains("2 printed quiz(zes) for 3"));
        assert!(found[4].contains("no answers for \"3. Capacity estimation\""));
        assert!(found[5].contains("2 answer(s) for \"1. Scalability\""));
    }

    #[test]
    fn a_pdf_without_the_appendix_is_reported() {
        let found = problems("1. Scalability", 10, &[chapter("1. Scalability", 1)]);
        assert_eq!(found, ["no \"Answers and explanations\" appendix"]);
    }

    #[test]
    fn counts_page_objects_not_page_trees() {
        let pdf = b"%PDF-1.4\n1 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] >>\n\
            2 0 obj << /Type /Page >>\n3 0 obj <</Type/Page/Parent 1 0 R>>\n";
        assert_eq!(page_count(pdf), 2);
    }
}
