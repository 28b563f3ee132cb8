// Syntax highlighting when a code block nears the screen, and highlight.js itself loaded only then.
//
// mdBook loads highlight.js (47 KB compressed) on every page, and book.js then highlights every
// <code> of the page in one go: on a phone that was a task of half a second or more while the page
// could not answer a tap, plus ~70 ms to start highlight.js itself (Lighthouse: Total Blocking
// Time). `cargo xtask` puts this script where mdBook's page template loads highlight.js
// (tools/xtask/src/template.rs, edit `lazy-highlighting`), after `highlightJsUrl` is set to that
// file. It stands in for highlight.js as the `hljs` that book.js talks to:
// - `hljs.configure(options)` is kept for the real highlight.js;
// - `hljs.highlightBlock(block)` watches the block, and the first time a block comes within a screen
//   of the viewport, loads highlight.js and highlights it, one block per task. Code with no
//   language (inline `code`) has nothing to highlight and is left alone.
// On the print page every block is highlighted at once: paper has no viewport. Without
// IntersectionObserver, likewise.
(() => {
    const options = {};
    let highlighter = null;
    const loadHighlighter = () => {
        highlighter ??= new Promise((resolve, reject) => {
            const script = document.createElement('script');
            script.src = highlightJsUrl;
            script.addEventListener('load', () => {
                // highlight.js's own `var hljs` has replaced this stand-in on `window`.
                window.hljs.configure(options);
                resolve(window.hljs);
            });
            script.addEventListener('error', () => reject(new Error(`could not load ${highlightJsUrl}`)));
            document.head.append(script);
        });
        return highlighter;
    };
    const highlight = (block) => {
        loadHighlighter().then((hljs) => setTimeout(() => hljs.highlightBlock(block), 0));
    };
    const printPage = /(^|\/)print\.html$/.test(window.location.pathname);
    const nearScreen = printPage || typeof IntersectionObserver === 'undefined'
        ? null
        : new IntersectionObserver((entries) => {
            for (const entry of entries) {
                if (entry.isIntersecting) {
                    nearScreen.unobserve(entry.target);
                    highlight(entry.target);
                }
            }
        }, { rootMargin: '100% 0px' });
    window.hljs = {
        configure(newOptions) {
            Object.assign(options, newOptions);
        },
        highlightBlock(block) {
            if (!/\blang(?:uage)?-/.test(block.className)) {
                return;
            }
            if (nearScreen === null) {
                highlight(block);
            } else {
                nearScreen.observe(block);
            }
        },
    };
})();
