// Prints the quizzes: on mdBook's print page (print.html, the source of the book's PDF), every quiz
// becomes static, numbered questions, and their answers and explanations go to an appendix at the
// end of the page.
//
// Why not let mdbook-quiz draw them: its interactive quiz shows one question at a time behind a
// "Start" button, which prints as a button. On the print page it is also broken (its script tags are
// repeated once per chapter, and for chapters in sub-folders their relative `../quiz/` path is
// wrong). So this script reads the questions from the placeholder's `data-quiz-questions` JSON and
// needs nothing from the quiz bundle. (The bundle is not even loaded there any more: the quiz-lazy
// preprocessor pass turns its tags into a marker that theme/quiz-lazy.js ignores on the print page.
// Should it ever run, it would find no placeholder left to draw over our HTML.)
//
// Choices are printed sorted, so their order never gives the answer away, and lettered, so the
// appendix can name the right one.
(() => {
    if (!/(^|\/)print\.html$/.test(window.location.pathname)) {
        return;
    }
    const placeholders = Array.from(document.querySelectorAll('.quiz-placeholder'));
    const main = document.querySelector('main');
    if (placeholders.length === 0 || main === null) {
        return;
    }

    const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
    const escape = (text) => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);

    // Inline markdown: `code`, **bold**, *emphasis*, and [links](…) reduced to their text (a link
    // printed on paper cannot be followed, and relative ones would be wrong on this page anyway).
    const inline = (text) => text
        .split('`')
        .map((part, index) => {
            if (index % 2 === 1) {
                return `<code>${escape(part)}</code>`;
            }
            return escape(part)
                .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
                .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
                .replace(/\*(.+?)\*/g, '<em>$1</em>');
        })
        .join('');

    // Block markdown, just what quiz prompts and explanations use: paragraphs, lists, code fences.
    const markdown = (source) => {
        const out = [];
        let paragraph = [];
        let list = null;
        let fence = null;
        const flush = () => {
            if (paragraph.length > 0) {
                out.push(`<p>${inline(paragraph.join(' '))}</p>`);
                paragraph = [];
            }
            if (list !== null) {
                const items = list.items.map((item) => `<li>${inline(item)}</li>`).join('');
                out.push(`<${list.tag}>${items}</${list.tag}>`);
                list = null;
            }
        };
        for (const line of String(source ?? '').split('\n')) {
            if (fence !== null) {
                if (/^\s*```/.test(line)) {
                    out.push(`<pre><code>${escape(fence.join('\n'))}</code></pre>`);
                    fence = null;
                } else {
                    fence.push(line);
                }
                continue;
            }
            const item = /^\s*(?:([-*+])|\d+[.)])\s+(.*)$/.exec(line);
            if (/^\s*```/.test(line)) {
                flush();
                fence = [];
            } else if (line.trim() === '') {
                flush();
            } else if (item !== null) {
                const tag = item[1] ? 'ul' : 'ol';
                if (paragraph.length > 0 || (list !== null && list.tag !== tag)) {
                    flush();
                }
                list = list ?? { tag, items: [] };
                list.items.push(item[2]);
            } else if (list !== null && /^\s/.test(line)) {
                list.items[list.items.length - 1] += ` ${line.trim()}`;
            } else {
                if (list !== null) {
                    flush();
                }
                paragraph.push(line.trim());
            }
        }
        if (fence !== null) {
            out.push(`<pre><code>${escape(fence.join('\n'))}</code></pre>`);
        }
        flush();
        return out.join('');
    };

    const asList = (value) => (Array.isArray(value) ? value : [value]);
    const letter = (index) => String.fromCharCode(65 + index);

    // A multiple-choice question's choices in print order: sorted, so the answer's place is no clue.
    const choices = (question) => {
        const all = [...asList(question.answer?.answer), ...asList(question.prompt?.distractors ?? [])];
        return all.map(String).sort((a, b) => a.localeCompare(b));
    };

    const QUESTION_TEXT = {
        Tracing: 'Does this program compile? If it does, what does it print? If it does not, on which line is the error?',
    };

    // The printed question: prompt, then lettered choices, a blank to write on, or the program.
    const questionHtml = (question, answerId) => {
        const prompt = question.prompt ?? {};
        let body = markdown(prompt.prompt ?? '');
        if (question.type === 'MultipleChoice') {
            const many = Array.isArray(question.answer?.answer);
            if (many) {
                body += '<p class="quiz-print-note">Select all that apply.</p>';
            }
            const items = choices(question)
                .map((choice, index) => `<li><span class="quiz-print-letter">${letter(index)}.</span> ${markdown(choice)}</li>`)
                .join('');
            body += `<ol class="quiz-print-choices">${items}</ol>`;
        } else if (question.type === 'ShortAnswer') {
            const lines = prompt.response === 'short' ? 1 : 4;
            body += '<div class="quiz-print-blank"></div>'.repeat(lines);
        } else if (question.type === 'Tracing') {
            body += `<pre><code>${escape(prompt.program ?? '')}</code></pre><p>${QUESTION_TEXT.Tracing}</p>`;
            body += '<div class="quiz-print-blank"></div>'.repeat(2);
        }
        return `${body}<p class="quiz-print-see">(<a href="#${answerId}">answer</a>)</p>`;
    };

    // The answer as the appendix states it: the letter and text of each right choice, the accepted
    // short answers, or what the program does.
    const answerHtml = (question) => {
        const answer = question.answer ?? {};
        if (question.type === 'MultipleChoice') {
            const order = choices(question);
            return asList(answer.answer)
                .map(String)
                .map((right) => `${letter(order.indexOf(right))}. ${inline(right)}`)
                .join('; ');
        }
        if (question.type === 'ShortAnswer') {
            const others = asList(answer.alternatives ?? []);
            const also = others.length > 0 ? ` (also accepted: ${others.map((o) => inline(String(o))).join(', ')})` : '';
            return `${inline(String(answer.answer ?? ''))}${also}`;
        }
        if (question.type === 'Tracing') {
            return answer.doesCompile
                ? `it compiles and prints:<pre><code>${escape(answer.stdout ?? '')}</code></pre>`
                : `it does not compile; the error is on line ${escape(answer.lineNumber ?? '?')}.`;
        }
        return escape(JSON.stringify(answer));
    };

    // The chapter a placeholder belongs to: the last chapter heading before it on the page.
    const chapterOf = (placeholder) => {
        const headings = Array.from(main.querySelectorAll('h1'))
            .filter((h1) => h1.compareDocumentPosition(placeholder) & Node.DOCUMENT_POSITION_FOLLOWING);
        return headings.length > 0 ? headings[headings.length - 1].textContent.trim() : '';
    };

    const parse = (placeholder) => {
        try {
            const name = JSON.parse(placeholder.dataset.quizName ?? '""');
            const quiz = JSON.parse(placeholder.dataset.quizQuestions ?? '{}');
            return { name, quiz };
        } catch (error) {
            return { name: '', quiz: { questions: [] }, error };
        }
    };

    const sections = [];
    placeholders.forEach((placeholder, quizIndex) => {
        const { name, quiz, error } = parse(placeholder);
        const questions = Array.isArray(quiz.questions) ? quiz.questions : [];
        const multipart = quiz.multipart ?? {};
        const chapter = chapterOf(placeholder) || name;
        const id = (n) => `quiz-print-answer-${quizIndex + 1}-${n}`;
        const printed = document.createElement('div');
        printed.className = 'quiz-print';
        let html = error
            ? `<p class="quiz-print-note">This quiz could not be read (${escape(error.message)}).</p>`
            : `<p class="quiz-print-note">${questions.length} questions; the answers are in the appendix at the end of the book.</p>`;
        const shownParts = new Set();
        html += '<ol class="quiz-print-questions">';
        questions.forEach((question, index) => {
            let part = '';
            if (question.multipart && !shownParts.has(question.multipart)) {
                shownParts.add(question.multipart);
                part = `<div class="quiz-print-multipart">${markdown(multipart[question.multipart] ?? '')}</div>`;
            }
            html += `<li class="quiz-print-question">${part}${questionHtml(question, id(index + 1))}</li>`;
        });
        printed.innerHTML = `${html}</ol>`;
        placeholder.replaceWith(printed);
        sections.push({ chapter, questions, id });
    });

    // The appendix, on a page of its own after the last chapter. Answers are numbered in the text
    // (not by the list's markers), so "N. Answer:" survives copying and `pdftotext`.
    const answers = sections.map(({ chapter, questions, id }) => {
        const items = questions.map((question, index) => `
            <li id="${id(index + 1)}" class="quiz-print-answer">
                <p><strong>${index + 1}. Answer:</strong> ${answerHtml(question)}</p>
                ${markdown(question.context ?? '')}
            </li>`).join('');
        return `<h2>${escape(chapter)}</h2><ol class="quiz-print-answers">${items}</ol>`;
    }).join('');
    const appendix = document.createElement('section');
    appendix.className = 'quiz-print-appendix';
    appendix.innerHTML = `<h1 id="answers-and-explanations">Answers and explanations</h1>
        <p>The answers to every chapter's quiz, with the explanation of each.</p>${answers}`;
    const pageBreak = document.createElement('div');
    pageBreak.style.breakBefore = 'page';
    main.append(pageBreak, appendix);
})();
