// Zones: search the list, a zone's records and history, the difference between two versions, and rollback to a
// version through POST …/rollback (the route the CLI's `akkadns rollback` uses, so the same guards apply).

import { get, post, zonePath } from './api.js';
import { $, h, setText, time, confirmDialog, say } from './dom.js';

let zones = [];
let selected = null;
let shownRecords = '';
let shownHistory = '';

export function initZones() {
  $('#zone-search').addEventListener('input', renderList);
  $('#diff-form').addEventListener('submit', (e) => { e.preventDefault(); showDiff(Number($('#diff-from').value), Number($('#diff-to').value)); });
}

export async function renderZones() {
  zones = await get('/api/v1/servers/localhost/zones');
  renderList();
  if (selected) await renderZone();
}

function renderList() {
  const term = $('#zone-search').value.trim().toLowerCase();
  const shown = zones.filter((z) => z.name.toLowerCase().includes(term));
  setText($('#zone-count'), `${shown.length} of ${zones.length} zone(s)`);
  const list = $('#zone-list');
  const key = shown.map((z) => `${z.name}/${z.serial}`).join(' ') + `|${selected}`;
  if (list.dataset.key === key) return;
  list.dataset.key = key;
  const focused = document.activeElement?.dataset?.zone;
  list.replaceChildren(...shown.map((z) => {
    const button = h('button', { type: 'button', class: 'link', 'data-zone': z.name, 'aria-current': z.name === selected ? 'true' : false }, z.name);
    button.addEventListener('click', () => select(z.name));
    return h('li', {}, button, ` serial ${z.serial}`);
  }));
  if (focused) list.querySelector(`[data-zone="${CSS.escape(focused)}"]`)?.focus();
}

async function select(name) {
  selected = name;
  shownRecords = shownHistory = '';
  $('#diff-output').replaceChildren();
  $('#zone-detail').hidden = false;
  setText($('#zone-title'), name);
  renderList();
  await renderZone();
}

async function renderZone() {
  const name = selected;
  const [zone, history] = await Promise.all([get(zonePath(name)), get(`${zonePath(name)}/history`)]);
  if (name !== selected) return;
  setText($('#zone-serial'), `serial ${zone.serial}`);
  const records = (zone.rrsets ?? []).flatMap((r) => r.records.map((rec) => [r.name, r.ttl, r.type, rec.content]));
  const recordsKey = JSON.stringify(records);
  if (recordsKey !== shownRecords) {
    shownRecords = recordsKey;
    $('#record-rows').replaceChildren(...records.map(([n, ttl, type, content]) =>
      h('tr', {}, h('td', {}, n), h('td', { class: 'num' }, ttl), h('td', {}, type), h('td', { class: 'content' }, content))));
  }
  const historyKey = JSON.stringify(history.map((e) => e.version));
  if (historyKey === shownHistory) return;
  shownHistory = historyKey;
  const latest = history.length ? history[history.length - 1].version : 0;
  $('#history-rows').replaceChildren(...[...history].reverse().map((e) => {
    const diff = h('button', { type: 'button', class: 'action', 'aria-label': `Diff version ${e.version - 1} to ${e.version}` }, 'Diff');
    diff.disabled = e.version <= 1;
    diff.addEventListener('click', () => showDiff(e.version - 1, e.version));
    const rollback = h('button', { type: 'button', class: 'action', 'aria-label': `Roll back to version ${e.version}` }, 'Roll back…');
    rollback.disabled = e.version === latest;
    rollback.addEventListener('click', () => rollBack(name, e.version));
    return h('tr', { 'data-version': e.version },
      h('th', { scope: 'row', class: 'num' }, e.version), h('td', { class: 'num' }, e.serial), h('td', {}, time(e.at)),
      h('td', {}, e.change), h('td', {}, e.detail), h('td', {}, e.who), h('td', { class: 'actions' }, diff, ' ', rollback));
  }));
  if (!$('#diff-to').value) { $('#diff-to').value = latest; $('#diff-from').value = Math.max(1, latest - 1); }
}

async function showDiff(from, to) {
  const out = $('#diff-output');
  if (!selected || !(from >= 1) || !(to >= 1)) { say('give two versions, 1 or more', 'error'); return; }
  $('#diff-from').value = from;
  $('#diff-to').value = to;
  try {
    const d = await get(`${zonePath(selected)}/diff?from=${from}&to=${to}`);
    const lines = [...d.removed.map((l) => ['removed', '− ' + l]), ...d.added.map((l) => ['added', '+ ' + l])];
    out.replaceChildren(
      h('h4', {}, `${d.zone} version ${d.from} → ${d.to}: ${d.removed.length} removed, ${d.added.length} added`),
      lines.length ? h('pre', { class: 'diff' }, lines.map(([kind, text]) => h('span', { class: kind }, text + '\n'))) : h('p', {}, 'No record differs.'));
  } catch (e) {
    out.replaceChildren(h('p', { class: 'error' }, `diff failed: ${e.message}`));
  }
}

async function rollBack(name, version) {
  if (!await confirmDialog(`Roll ${name} back to version ${version}?`,
    [`The zone's content becomes what it was at version ${version}, as a new version (it can itself be rolled back).`,
      'The zone rules are checked again; every datacenter receives it like any change.'], `Roll back to ${version}`)) {
    say('rollback cancelled');
    return;
  }
  try {
    const r = await post(`${zonePath(name)}/rollback`, { toVersion: version });
    say(`zone ${r.zone} rolled back to version ${r.rolled_back_to}: now version ${r.version} (serial ${r.serial})`, 'ok');
    shownHistory = '';
    await renderZone();
  } catch (e) {
    say(`rollback of ${name} failed: ${e.message}`, 'error');
  }
}
