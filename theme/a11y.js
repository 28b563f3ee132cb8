// Accessibility fixes to mdBook 0.5.4's own markup, found by Lighthouse (`cargo xtask lighthouse`).
//
// mdBook's sidebar toggle is a <label> for a hidden checkbox, and book.js gives it `aria-expanded`,
// which a label may not carry. The page template `cargo xtask` writes (tools/xtask/src/template.rs,
// edit `sidebar-toggle-button`) makes it a <button>, which may; a button does not toggle the
// checkbox by itself, so this does, as the label's click did: after book.js's own click listener
// (registered earlier, it reads the checkbox before the change) and with the `change` event that
// book.js listens for.
(() => {
    const toggle = document.getElementById('mdbook-sidebar-toggle');
    const checkbox = document.getElementById('mdbook-sidebar-toggle-anchor');
    if (toggle === null || checkbox === null || toggle.tagName !== 'BUTTON') {
        return;
    }
    toggle.addEventListener('click', () => {
        checkbox.checked = !checkbox.checked;
        checkbox.dispatchEvent(new Event('change'));
    });
})();
