// Draws the book's mermaid diagrams in the reader's theme, and redraws them when the theme changes.
//
// mdBook marks the theme with a class on <html> ("light", "rust", "coal", "navy", "ayu"). Mermaid
// bakes colors into the SVG it draws, so a diagram drawn for a light page stays light on a dark one.
// We keep each diagram's source, watch the <html> class, and redraw every diagram with mermaid's
// "dark" or "default" theme whenever the reader switches between a light and a dark theme.
(() => {
    const DARK_THEMES = ['coal', 'navy', 'ayu'];
    const html = document.documentElement;
    const diagrams = Array.from(document.querySelectorAll('pre.mermaid'));
    if (diagrams.length === 0 || typeof mermaid === 'undefined') {
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

    new MutationObserver(() => { draw(); }).observe(html, { attributes: true, attributeFilter: ['class'] });
    draw();
})();
