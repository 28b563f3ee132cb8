//! The quiz files (`quizzes/*.toml`, mdbook-quiz 0.5): their content under the `quiz-include`
//! rule, and `quiz-id-unique` across the book.
//!
//! mdbook-quiz validates a quiz only when the book is built, one error at a time, and a question
//! without `context` or with a single distractor passes its validation; checking here gives
//! every problem at once, at its line, before the toolchain is even installed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use anyhow::Result;
use regex::Regex;
use toml::{Table, Value};

use super::{Book, Diagnostic, line_of, read_text, relative, walk};

const RULE: &str = "quiz-include";

/// The fewest questions a chapter's quiz may have (the chapter contract).
pub(crate) const MIN_QUESTIONS: usize = 8;

/// Checks every `.toml` file under `quizzes/`.
pub(crate) fn check(book: &Book, out: &mut Vec<Diagnostic>) -> Result<()> {
    let mut first_use: HashMap<String, (PathBuf, usize)> = HashMap::new();
    for path in walk(&book.root.join("quizzes"))? {
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let rel = relative(&book.root, &path);
        let text = read_text(&path)?;
        for (id, line) in check_file(&rel, &text, out) {
            match first_use.get(&id) {
                Some((file, first)) => out.push(Diagnostic::new(
                    &rel,
                    line,
                    "quiz-id-unique",
                    format!(
                        "question id `{id}` is already used at {}:{first}: ids must be unique \
                         across the book; give this question a new id (a fresh UUID)",
                        file.display()
                    ),
                )),
                None => {
                    first_use.insert(id, (rel.clone(), line));
                }
            }
        }
    }
    Ok(())
}

/// Checks one quiz file and returns its question ids with the line of their question.
fn check_file(rel: &Path, text: &str, out: &mut Vec<Diagnostic>) -> Vec<(String, usize)> {
    let table: Table = match toml::from_str(text) {
        Ok(table) => table,
        Err(err) => {
            let line = err.span().map_or(0, |s| line_of(text, s.start));
            out.push(Diagnostic::new(
                rel,
                line,
                RULE,
                format!(
                    "the quiz does not parse as TOML: {}; fix the syntax",
                    err.message()
                ),
            ));
            return Vec::new();
        }
    };
    let Some(questions) = table.get("questions").and_then(Value::as_array) else {
        out.push(Diagnostic::new(
            rel,
            0,
            RULE,
            "the quiz has no top-level `[[questions]]`: write each question as a \
             `[[questions]]` table (mdbook-quiz 0.5 format)",
        ));
        return Vec::new();
    };
    if questions.len() < MIN_QUESTIONS {
        out.push(Diagnostic::new(
            rel,
            0,
            RULE,
            format!(
                "the quiz has {} question(s); the chapter contract asks for at least \
                 {MIN_QUESTIONS}: add more",
                questions.len()
            ),
        ));
    }
    let headers = question_lines(text);
    check_answer_lengths(rel, questions, out);
    let mut ids = Vec::new();
    for (i, question) in questions.iter().enumerate() {
        // With `[[questions]]` headers the n-th header is the n-th question; an inline array
        // has no header to point at, so the problem is reported for the whole file.
        let line = if headers.len() == questions.len() {
            headers[i]
        } else {
            0
        };
        let mut problem = |message: String| {
            out.push(Diagnostic::new(
                rel,
                line,
                RULE,
                format!("question {}: {message}", i + 1),
            ));
        };
        let Some(question) = question.as_table() else {
            problem("is not a table: write it as a `[[questions]]` table".into());
            continue;
        };
        for message in question_problems(question) {
            problem(message);
        }
        if let Some(id) = question.get("id").and_then(Value::as_str)
            && !id.trim().is_empty()
        {
            ids.push((id.to_string(), line));
        }
    }
    ids
}

/// The `quiz-answer-length` rule: a reader must not be able to pass by picking the longest option.
///
/// Writers tend to qualify the right answer until it is the most careful, and so the longest,
/// sentence on offer. Where that happens in more than half of a quiz's single-answer
/// multiple-choice questions, the quiz fails, naming the questions where it happens.
fn check_answer_lengths(rel: &Path, questions: &[Value], out: &mut Vec<Diagnostic>) {
    let mut multiple_choice = 0;
    let mut longest = Vec::new();
    for (i, question) in questions.iter().enumerate() {
        let Some(question) = question.as_table() else {
            continue;
        };
        if question.get("type").and_then(Value::as_str) != Some("MultipleChoice") {
            continue;
        }
        let answer = question
            .get("answer")
            .and_then(|a| a.get("answer"))
            .and_then(Value::as_str);
        let distractors = question
            .get("prompt")
            .and_then(|p| p.get("distractors"))
            .and_then(Value::as_array);
        let (Some(answer), Some(distractors)) = (answer, distractors) else {
            continue; // select-all questions and malformed ones (reported by other checks)
        };
        if distractors.is_empty() {
            continue; // reported as missing distractors
        }
        multiple_choice += 1;
        let length = |s: &str| s.trim().chars().count();
        if distractors
            .iter()
            .filter_map(Value::as_str)
            .all(|d| length(d) < length(answer))
        {
            longest.push(i + 1);
        }
    }
    if longest.len() * 2 > multiple_choice {
        let numbers: Vec<String> = longest.iter().map(ToString::to_string).collect();
        out.push(Diagnostic::new(
            rel,
            0,
            "quiz-answer-length",
            format!(
                "the right answer is the longest option in {} of {multiple_choice} multiple-choice \
                 questions (questions {}): a reader can pass by picking the longest; make \
                 distractors as specific as the answer, or the answer plainer, so that this holds \
                 in at most half",
                longest.len(),
                numbers.join(", ")
            ),
        ));
    }
}

/// The 1-based lines of the `[[questions]]` headers.
fn question_lines(text: &str) -> Vec<usize> {
    static HEADER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^[ \t]*\[\[[ \t]*questions[ \t]*\]\]").expect("valid regex")
    });
    HEADER
        .find_iter(text)
        .map(|m| line_of(text, m.start()))
        .collect()
}

/// What is wrong with one question, as messages that say what to add.
fn question_problems(q: &Table) -> Vec<String> {
    let mut problems = Vec::new();
    let ty = q.get("type").and_then(Value::as_str);
    if !matches!(ty, Some("ShortAnswer" | "MultipleChoice" | "Tracing")) {
        problems.push(format!(
            "`type` is {}; set it to `ShortAnswer`, `MultipleChoice` or `Tracing`",
            ty.map_or_else(|| "missing".to_string(), |t| format!("`{t}`"))
        ));
    }
    let prompt = q.get("prompt").and_then(Value::as_table);
    let answer = q.get("answer").and_then(Value::as_table);
    if prompt.is_none() {
        problems.push("has no `prompt` table: add `prompt.prompt`".into());
    }
    if answer.is_none() {
        problems.push("has no `answer` table: add `answer.answer`".into());
    }
    if q.get("context")
        .and_then(Value::as_str)
        .is_none_or(|c| c.trim().is_empty())
    {
        problems.push(
            "has no `context`: explain why the answer is right and the distractors wrong".into(),
        );
    }
    if q.get("id")
        .and_then(Value::as_str)
        .is_none_or(|id| id.trim().is_empty())
    {
        problems.push(
            "has no `id`: add `id = \"<a fresh UUID>\"` (mdbook-quiz would write one on build, \
             and an uncommitted id resets readers' answers)"
                .into(),
        );
    }
    let get = |t: Option<&Table>, key: &str| t.and_then(|t| t.get(key)).cloned();
    match ty {
        Some("MultipleChoice") => {
            if get(prompt, "distractors")
                .as_ref()
                .and_then(Value::as_array)
                .is_none_or(|d| d.is_empty())
            {
                problems.push(
                    "a MultipleChoice question needs `prompt.distractors`, a non-empty array \
                     of plausible wrong answers"
                        .into(),
                );
            }
            if !is_answer(get(answer, "answer").as_ref()) {
                problems.push(
                    "a MultipleChoice question needs `answer.answer` (a string, or an array \
                     for select-all)"
                        .into(),
                );
            }
        }
        Some("ShortAnswer") if !is_answer(get(answer, "answer").as_ref()) => {
            problems.push("a ShortAnswer question needs `answer.answer`".into());
        }
        Some("Tracing") => {
            if get(prompt, "program")
                .as_ref()
                .and_then(Value::as_str)
                .is_none()
            {
                problems.push(
                    "a Tracing question needs `prompt.program`, the Rust program to trace".into(),
                );
            }
            if get(answer, "doesCompile")
                .as_ref()
                .and_then(Value::as_bool)
                .is_none()
            {
                problems
                    .push("a Tracing question needs `answer.doesCompile` (true or false)".into());
            }
        }
        _ => {}
    }
    problems
}

/// A non-empty string or a non-empty array.
fn is_answer(value: Option<&Value>) -> bool {
    match value {
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        _ => false,
    }
}
