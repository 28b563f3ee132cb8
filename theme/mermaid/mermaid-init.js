// Draws the mermaid diagrams that were not drawn at build time, in the reader's theme, and redraws
// them when the theme changes.
//
// `cargo xtask diagrams` draws every diagram of the published book into src/diagrams/, and the
// mdbook-diagrams preprocessor puts images of both drawings (light and dark) into the page, so this
// script usually finds nothing to do and loads nothing. A diagram not drawn yet (a writer's local build)
// stays a <pre class="mermaid">: then, and only on that page, this script loads mermaid (2.6 MB),
// which mdbook-diagrams copies to src/mermaid/ for such builds.
//
// mdBook marks the theme with a class on <html> ("light", "rust", "coal", "navy", "ayu"). Mermaid
// bakes colors into the SVG it draws, so a diagram drawn for a light page stays light on a dark one.
// We keep each diagram's source, watch the <html> class, and redraw every diagram with mermaid's
// "dark" or "default" theme whenever the reader switches between a light and a dark theme.
// Drawn diagrams are images that load when they near the screen (`loading="lazy"`). Paper has no
// screen: on the print page (the one mdBook makes for printing, and the PDF's source) and before the
// browser prints any other page, every drawing loads at once.
(() => {
    const loadAll = () => {
        document.querySelectorAll('figure.diagram img[loading="lazy"]').forEach((img) => {
            img.loading = 'eager';
        });
    };
    if (/(^|\/)print\.html$/.test(window.location.pathname)) {
        loadAll();
    }
    window.addEventListener('beforeprint', loadAll);
})();

(() => {
    const DARK_THEMES = ['coal', 'navy', 'ayu'];
    const html = document.documentElement;
    const diagrams = Array.from(document.querySelectorAll('pre.mermaid'));
    if (diagrams.length === 0) {
        return;
    }
    for (const diagram of diagrams) {
        diagram.dataset.source = diagram.textContent;
    }

    const isDark = () => DARK_THEMES.some((theme) => html.classList.contains(theme));

    let drawnDark = null;
    const draw = async () => {
        const dark = isDark();
        if (dark === drawnDark) {
            return;
        }
        drawnDark = dark;
        mermaid.initialize({ startOnLoad: false, theme: dark ? 'dark' : 'default', securityLevel: 'strict' });
        for (const diagram of diagrams) {
            diagram.removeAttribute('data-processed');
            diagram.textContent = diagram.dataset.source;
        }
        await mermaid.run({ nodes: diagrams });
    };

    const start = () => {
        new MutationObserver(() => { draw(); }).observe(html, { attributes: true, attributeFilter: ['class'] });
        draw();
    };
    if (typeof mermaid !== 'undefined') {
        start();
        return;
    }
    // `path_to_root` is the global mdBook defines on every page ("", "../", …).
    const script = document.createElement('script');
    script.src = `${path_to_root}mermaid/mermaid.min.js`;
    script.onload = start;
    document.head.appendChild(script);
})();
