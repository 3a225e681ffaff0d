// Measured in every page by tests/e2e/test_page_audit.py: small targets and repeated landmarks.
(minimum) => {
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) return false;
    if (el.closest('.visually-hidden, [hidden], .skip-link')) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none';
  };
  const describe = (el) => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim();
    return `${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''} "${text.slice(0, 40)}"`;
  };
  // WCAG 2.5.8 inline exception: a link in a block that holds other text besides it.
  const inline = (a) => {
    const block = a.parentElement.closest('p, li, dd, td, th, figcaption, blockquote, label, legend');
    if (!block || block.closest('nav')) return false;
    return block.textContent.replace(/\s+/g, '').length > a.textContent.replace(/\s+/g, '').length;
  };
  const small = [];
  const check = (target, el) => {
    const box = target.getBoundingClientRect();
    if (box.width + 0.5 < minimum || box.height + 0.5 < minimum)
      small.push(`${describe(el)} ${Math.round(box.width)}×${Math.round(box.height)}`);
  };
  const controls = document.querySelectorAll(
    'main a[href], body > header a[href], body > nav a[href], body > footer a[href], button, ' +
    'input:not([type=hidden]), select, textarea, summary'
  );
  for (const el of controls) {
    if (el.type === 'radio' || el.type === 'checkbox') {
      const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
      if (!label) { small.push(`${describe(el)} has no label`); continue; }
      if (visible(label)) check(label, el);
      continue;
    }
    if (el.type === 'file' && el.closest('label')) continue;
    if (!visible(el)) continue;
    if (el.tagName === 'A' && inline(el)) continue;
    check(el, el);
  }

  const roles = {NAV: 'navigation', ASIDE: 'complementary', MAIN: 'main', SEARCH: 'search'};
  const landmarks = {};
  for (const el of document.querySelectorAll('nav, aside, main, header, footer, section, form, search, [role]')) {
    let role = el.getAttribute('role') || roles[el.tagName];
    const name = (el.getAttribute('aria-label') ||
      (el.getAttribute('aria-labelledby') || '').split(/\s+/).map(
        (id) => (document.getElementById(id) || {}).textContent || '').join(' ')).trim();
    if (!role && el.tagName === 'HEADER' && !el.closest('main, article, aside, nav, section')) role = 'banner';
    if (!role && el.tagName === 'FOOTER' && !el.closest('main, article, aside, nav, section')) role = 'contentinfo';
    if (!role && el.tagName === 'SECTION' && name) role = 'region';
    if (!role && el.tagName === 'FORM' && name) role = 'form';
    if (!['navigation', 'complementary', 'main', 'banner', 'contentinfo', 'region', 'form', 'search'].includes(role)) continue;
    if (!visible(el) && !el.closest('body')) continue;
    (landmarks[role] = landmarks[role] || []).push(name);
  }
  const repeated = [];
  for (const [role, names] of Object.entries(landmarks)) {
    if (names.length > 1 && new Set(names).size !== names.length)
      repeated.push(`${role}: ${JSON.stringify(names)}`);
  }
  return {small, repeated, lang: document.documentElement.lang,
          care: document.documentElement.classList.contains('care-mode')};
}
