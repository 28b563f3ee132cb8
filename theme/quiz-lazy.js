// Loads the quiz code (mdbook-quiz 0.5's 1.4 MB bundle and its stylesheet) only on a page with a
// quiz, and only when a quiz comes near the viewport.
//
// mdbook-quiz writes a parser-blocking <script> and a stylesheet link at the end of every chapter
// with a quiz. The `quiz-lazy` pass of tools/mdbook-diagrams (after mdbook-quiz, see book.toml)
// swaps them for one hidden marker, <div class="quiz-lazy" data-quiz-src=… data-quiz-css=…>, with
// the paths mdbook-quiz wrote (relative to the page). This script watches the page's
// `.quiz-placeholder`s and, the first time one is within 600px of the viewport, appends the
// stylesheet and the script, once. Without IntersectionObserver it loads them at once.
//
// Starting the bundle late: it registers one `DOMContentLoaded` listener on `window` and renders
// every `.quiz-placeholder` from there, so loaded after that event it would do nothing. We record
// the `DOMContentLoaded` listeners that the bundle's own script registers on `window` while it runs
// (`document.currentScript` is our script element then) and call just those once it has loaded;
// no other listener of the page runs twice. We only start loading after the page's own
// `DOMContentLoaded`, so the bundle can never be started twice.
//
// The print page is left to theme/quiz-print.js, which prints every quiz as static questions.
(() => {
    if (/(^|\/)print\.html$/.test(window.location.pathname)) {
        return;
    }
    const marker = document.querySelector('.quiz-lazy');
    const placeholders = Array.from(document.querySelectorAll('.quiz-placeholder'));
    if (marker === null || placeholders.length === 0) {
        return;
    }
    const src = marker.dataset.quizSrc;
    const css = marker.dataset.quizCss;

    let loaded = false;
    const load = () => {
        if (loaded) {
            return;
        }
        loaded = true;
        if (css) {
            const link = document.createElement('link');
            link.rel = 'stylesheet';
            link.type = 'text/css';
            link.href = css;
            document.head.append(link);
        }
        if (!src) {
            return;
        }
        const script = document.createElement('script');
        script.src = src;
        const starts = [];
        const addEventListener = window.addEventListener;
        window.addEventListener = function (type, listener, options) {
            if (this === window && type === 'DOMContentLoaded' && document.currentScript === script) {
                starts.push(listener);
            }
            return addEventListener.call(this, type, listener, options);
        };
        const restore = () => {
            window.addEventListener = addEventListener;
        };
        script.addEventListener('load', () => {
            restore();
            const event = new Event('DOMContentLoaded');
            if (starts.length === 0) {
                // Not the bundle we know: let it see the event as it would have at page load.
                window.dispatchEvent(event);
                return;
            }
            for (const start of starts) {
                if (typeof start === 'function') {
                    start.call(window, event);
                } else if (start && typeof start.handleEvent === 'function') {
                    start.handleEvent(event);
                }
            }
        });
        script.addEventListener('error', restore);
        document.body.append(script);
    };

    const watch = () => {
        if (!('IntersectionObserver' in window)) {
            load();
            return;
        }
        const observer = new IntersectionObserver((entries) => {
            if (entries.some((entry) => entry.isIntersecting)) {
                observer.disconnect();
                load();
            }
        }, { rootMargin: '600px 0px' });
        placeholders.forEach((placeholder) => observer.observe(placeholder));
    };

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', watch, { once: true });
    } else {
        watch();
    }
})();
