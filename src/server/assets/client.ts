/**
 * The page scripts, served from /assets/ (the CSP allows no inline script). Each is small and
 * does one page's interaction; every page works without them, less conveniently.
 */

/** Tabs and copy buttons, on every page; delegated, so fragments loaded later work too. */
export const UI_JS = `(() => {
  document.addEventListener('click', (ev) => {
    const tab = ev.target.closest('[role=tab]');
    if (tab) {
      const list = tab.closest('[role=tablist]');
      for (const t of list.querySelectorAll('[role=tab]')) {
        const on = t === tab;
        t.setAttribute('aria-selected', on ? 'true' : 'false');
        t.tabIndex = on ? 0 : -1;
        const panel = document.getElementById(t.getAttribute('aria-controls'));
        if (panel) panel.hidden = !on;
      }
      return;
    }
    const copy = ev.target.closest('[data-copy]');
    if (copy) {
      const src = document.getElementById(copy.getAttribute('data-copy'));
      if (!src) return;
      const text = src.textContent;
      const done = () => { const was = copy.textContent; copy.textContent = 'Copied'; setTimeout(() => { copy.textContent = was; }, 1200); };
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, () => fallback(text, done));
      else fallback(text, done);
    }
  });
  document.addEventListener('keydown', (ev) => {
    const tab = ev.target.closest && ev.target.closest('[role=tab]');
    if (!tab || (ev.key !== 'ArrowRight' && ev.key !== 'ArrowLeft')) return;
    const tabs = [...tab.closest('[role=tablist]').querySelectorAll('[role=tab]')];
    const next = tabs[(tabs.indexOf(tab) + (ev.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    next.focus();
    next.click();
  });
  function fallback(text, done) {
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.className = 'offscreen';
    document.body.appendChild(ta);
    ta.select();
    try { document.execCommand('copy'); done(); } catch (e) { /* nothing to do */ }
    ta.remove();
  }
})();
`;

/**
 * The converter: re-translates as you type (debounced), and keeps the rule in the URL
 * (\`?r=\` deflate-raw + base64url), so the address bar is always a shareable link.
 */
export const CONVERTER_JS = `(() => {
  const form = document.getElementById('convert-form');
  const input = document.getElementById('rule');
  const out = document.getElementById('results');
  const status = document.getElementById('convert-status');
  if (!form || !input || !out) return;
  let timer = 0;
  let seq = 0;
  form.addEventListener('submit', (ev) => { ev.preventDefault(); run(); });
  input.addEventListener('input', () => { clearTimeout(timer); status.textContent = 'Typing…'; timer = setTimeout(run, 250); });
  input.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Tab' || ev.shiftKey) return;
    ev.preventDefault();
    const s = input.selectionStart;
    input.setRangeText('    ', s, input.selectionEnd, 'end');
    input.dispatchEvent(new Event('input'));
  });
  async function run() {
    const mine = ++seq;
    const text = input.value;
    status.textContent = 'Translating…';
    try {
      const res = await fetch('/convert/results', { method: 'POST', headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: text });
      const html = await res.text();
      if (mine !== seq) return;
      out.innerHTML = html;
      status.textContent = res.ok ? 'Up to date' : 'Not translated: ' + res.status;
      out.setAttribute('data-state', res.ok ? 'ok' : 'refused');
      await remember(text);
    } catch (e) {
      if (mine === seq) status.textContent = 'The server did not answer';
    }
  }
  async function remember(text) {
    const url = new URL(location.href);
    if (!text.trim()) url.searchParams.delete('r');
    else url.searchParams.set('r', await pack(text));
    history.replaceState(null, '', url.pathname + (url.search || ''));
  }
  async function pack(text) {
    const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    let bin = '';
    for (const b of bytes) bin += String.fromCharCode(b);
    return btoa(bin).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  }
})();
`;

/**
 * The coverage matrix: a quick text/count filter over the cells, and a drawer listing a
 * technique's rules (loaded as an HTML fragment; the cell's link is the no-script fallback).
 */
export const COVERAGE_JS = `(() => {
  const matrix = document.getElementById('matrix');
  const drawer = document.getElementById('drawer');
  if (!matrix || !drawer) return;
  const find = document.getElementById('find');
  const min = document.getElementById('min');
  const shown = document.getElementById('shown');
  function filter() {
    const q = (find && find.value || '').trim().toLowerCase();
    const m = Number(min && min.value || 0);
    let n = 0;
    for (const cell of matrix.querySelectorAll('.cell')) {
      const hit = (!q || cell.getAttribute('data-text').includes(q)) && Number(cell.getAttribute('data-count')) >= m;
      cell.hidden = !hit;
      if (hit) n++;
    }
    if (shown) shown.textContent = String(n);
  }
  if (find) find.addEventListener('input', filter);
  if (min) min.addEventListener('input', filter);
  matrix.addEventListener('click', async (ev) => {
    const cell = ev.target.closest('.cell');
    if (!cell || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
    ev.preventDefault();
    for (const c of matrix.querySelectorAll('.cell.sel')) c.classList.remove('sel');
    cell.classList.add('sel');
    const url = new URL(cell.href);
    const res = await fetch('/coverage/drawer' + url.search);
    drawer.innerHTML = await res.text();
    drawer.hidden = false;
    history.replaceState(null, '', url.pathname + url.search);
    const close = drawer.querySelector('.close');
    if (close) close.focus();
  });
  drawer.addEventListener('click', (ev) => { if (ev.target.closest('.close')) { ev.preventDefault(); hide(); } });
  document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape' && !drawer.hidden) hide(); });
  function hide() {
    drawer.hidden = true;
    const url = new URL(location.href);
    url.searchParams.delete('technique');
    history.replaceState(null, '', url.pathname + url.search);
    for (const c of matrix.querySelectorAll('.cell.sel')) c.classList.remove('sel');
  }
  filter();
})();
`;
