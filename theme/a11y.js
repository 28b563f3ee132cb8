// Accessibility fixes to mdBook 0.5.4's own markup, found by Lighthouse (`cargo xtask lighthouse`).
//
// The sidebar toggle is a <label> that carries `aria-controls` and (set by mdBook's book.js)
// `aria-expanded`. A label's role allows neither, so screen readers may ignore them: give it the
// role it behaves as, a button, under which both attributes are valid.
(() => {
    const toggle = document.getElementById('mdbook-sidebar-toggle');
    if (toggle !== null && !toggle.hasAttribute('role')) {
        toggle.setAttribute('role', 'button');
    }
})();
