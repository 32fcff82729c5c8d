// Small DOM helpers: every value reaches the page through textContent or an attribute, never as HTML.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) el.append(child instanceof Node ? child : String(child));
  return el;
}

export const svg = (tag, attrs = {}) => {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  return el;
};

export const $ = (selector) => document.querySelector(selector);

/** Keyed rows: existing rows are updated in place (a focused button keeps its focus), new ones created, gone ones removed. */
export function syncRows(tbody, items, keyOf, create, update) {
  const existing = new Map([...tbody.children].map((row) => [row.dataset.key, row]));
  let previous = null;
  for (const item of items) {
    const key = keyOf(item);
    let row = existing.get(key);
    if (row) existing.delete(key);
    else { row = create(item); row.dataset.key = key; }
    update(row, item);
    const wanted = previous ? previous.nextSibling : tbody.firstChild;
    if (wanted !== row) tbody.insertBefore(row, wanted);
    previous = row;
  }
  for (const row of existing.values()) row.remove();
}

/** Sets a cell's text only when it changed (no flicker, no lost selection). */
export function setText(el, text) {
  const value = text === null || text === undefined ? '' : String(text);
  if (el.textContent !== value) el.textContent = value;
}

export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function ago(iso, now = Date.now()) {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  return s < 120 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
}

/** A modal confirmation (native <dialog>: focus stays inside, Escape cancels). Resolves true on OK. */
export function confirmDialog(title, lines, okLabel) {
  setText($('#confirm-title'), title);
  $('#confirm-text').replaceChildren(...lines.map((l) => h('p', {}, l)));
  setText($('#confirm-ok'), okLabel);
  return runDialog($('#confirm-dialog'), () => true, false);
}

/** Asks for a second API key (two-person rule). Resolves the key, or null when cancelled. */
export function secondKeyDialog(message) {
  setText($('#second-key-why'), message);
  const input = $('#second-key');
  input.value = '';
  return runDialog($('#second-key-dialog'), () => input.value.trim() || null, null, input);
}

function runDialog(dialog, okValue, cancelValue, focus) {
  return new Promise((resolve) => {
    const form = dialog.querySelector('form');
    const cancel = dialog.querySelector('.cancel');
    let settled = false;
    const done = (value) => {
      if (settled) return;
      settled = true;
      form.removeEventListener('submit', onSubmit);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('close', onCancel);
      if (dialog.open) dialog.close();
      resolve(value);
    };
    const onSubmit = (e) => { e.preventDefault(); done(okValue()); };
    const onCancel = () => done(cancelValue);
    form.addEventListener('submit', onSubmit);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('close', onCancel); // Escape
    dialog.showModal();
    (focus ?? cancel).focus();
  });
}

/** The status line (role=status: screen readers announce it). */
export function say(text, kind = 'info') {
  const el = $('#status');
  el.className = `status ${kind}`;
  setText(el, text);
}
