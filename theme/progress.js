// Study progress, on the study plan page: each written chapter's quiz result, read from what
// mdbook-quiz 0.5 keeps in localStorage, and a checkbox per exercise that this script keeps there.
// It does nothing on a page without progress markup, and nothing it reads or writes leaves the browser.
(() => {
  const quizzes = document.querySelectorAll("[data-progress-quiz]");
  const exercises = document.querySelectorAll("[data-progress-exercise]");
  if (!quizzes.length && !exercises.length) return;
  let store;
  try {
    store = window.localStorage;
    store.getItem("sdm-progress:probe");
  } catch {
    return; // Storage is blocked: the page stays as it reads without scripts.
  }
  const OURS = "sdm-progress:";
  const exerciseKey = (name) => `${OURS}exercise:${name}`;
  // mdbook-quiz saves "mdbook-quiz:<quiz file stem>" when an attempt ends (nothing mid-quiz):
  // { answers: [{ answer, correct, start, end }], confirmedDone, attempt, quizHash, wrongAnswers }.
  const quizKey = (name) => `mdbook-quiz:${name}`;

  const quizState = (name) => {
    let saved = null;
    try {
      saved = JSON.parse(store.getItem(quizKey(name)));
    } catch {}
    const answers = Array.isArray(saved?.answers) ? saved.answers : [];
    if (!answers.length) return ["quiz: not taken", "todo"];
    const total = answers.length;
    const right = answers.filter((a) => a?.correct === true).length;
    const retries = saved.attempt > 0 ? ` after ${saved.attempt} ${saved.attempt === 1 ? "retry" : "retries"}` : "";
    const score = `quiz: ${right} of ${total} right${retries}`;
    if (right === total) return [`${score} ✓`, "done"];
    return [saved.confirmedDone ? score : `${score}, ${total - right} to retry`, "partial"];
  };

  const render = () => {
    for (const span of quizzes) {
      const [text, state] = quizState(span.dataset.progressQuiz);
      span.textContent = text;
      span.dataset.state = state;
      span.hidden = false;
    }
    for (const box of exercises) {
      box.checked = store.getItem(exerciseKey(box.dataset.progressExercise)) === "done";
      box.hidden = false;
    }
  };

  for (const box of exercises) {
    box.addEventListener("change", () => {
      const key = exerciseKey(box.dataset.progressExercise);
      if (box.checked) store.setItem(key, "done");
      else store.removeItem(key);
    });
  }

  const status = document.querySelector("[data-progress-status]");
  document.querySelector("[data-progress-reset]")?.addEventListener("click", () => {
    if (!confirm("Forget every quiz answer and exercise tick of this book in this browser?")) return;
    const keys = Array.from({ length: store.length }, (_, i) => store.key(i));
    for (const key of keys) if (key?.startsWith(OURS)) store.removeItem(key);
    for (const span of quizzes) store.removeItem(quizKey(span.dataset.progressQuiz));
    render();
    if (status) status.textContent = "Your progress is reset.";
  });

  document.querySelectorAll("[data-progress-panel]").forEach((panel) => (panel.hidden = false));
  render();
  // Another tab finished a quiz, or Back restored this page from the cache: show the new state.
  window.addEventListener("storage", render);
  window.addEventListener("pageshow", (event) => event.persisted && render());
})();
