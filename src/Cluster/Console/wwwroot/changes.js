// Held changes: each change the blast-radius guard held, with who, when, expiry, why and a preview of what it does
// (for a deletion, the records it would remove as the zone holds them now); confirm or reject. With the
// two-person rule on, the API refuses a confirmation from the key that made the change (409): the console then
// asks for a second key and sends the confirmation with it (that key is used once, never stored). A node accepts
// one key today, so the second key works only where this node accepts it; otherwise the message says to confirm
// from the console of the node whose key it is.

import { get, post, zonePath, ApiError } from './api.js';
import { $, h, syncRows, setText, time, confirmDialog, secondKeyDialog, say } from './dom.js';

const zoneCache = new Map(); // zone -> { version, rrsets } for the previews

export async function renderChanges() {
  const changes = await get('/api/v1/changes');
  $('#changes-none').hidden = changes.length > 0;
  $('#changes-table').hidden = changes.length === 0;
  await Promise.all([...new Set(changes.filter((c) => c.zone !== '*').map((c) => c.zone))].map(loadZone));
  syncRows($('#change-rows'), changes, (c) => c.id, createRow, updateRow);
}

async function loadZone(zone) {
  try {
    const z = await get(zonePath(zone));
    zoneCache.set(zone, z.rrsets ?? []);
  } catch { zoneCache.delete(zone); }
}

function createRow(c) {
  const confirm = h('button', { type: 'button', class: 'action confirm', 'aria-label': `Confirm change ${c.id}` }, 'Confirm…');
  const reject = h('button', { type: 'button', class: 'action reject', 'aria-label': `Reject change ${c.id}` }, 'Reject…');
  confirm.addEventListener('click', () => resolve(c.id, 'confirm'));
  reject.addEventListener('click', () => resolve(c.id, 'reject'));
  return h('tr', { 'data-id': c.id },
    h('th', { scope: 'row' }, c.id), h('td', { class: 'zone' }, c.zone), h('td', { class: 'who' }), h('td', { class: 'at' }),
    h('td', { class: 'expires' }), h('td', { class: 'reason' }), h('td', { class: 'preview' }), h('td', { class: 'actions' }, confirm, ' ', reject));
}

function updateRow(row, c) {
  setText(row.querySelector('.who'), c.who);
  setText(row.querySelector('.at'), time(c.at));
  setText(row.querySelector('.expires'), c.expired ? `EXPIRED (${time(c.expires_at)})` : time(c.expires_at));
  setText(row.querySelector('.reason'), c.reason);
  row.querySelector('button.confirm').disabled = c.expired;
  const preview = row.querySelector('.preview');
  const lines = previewLines(c);
  if (preview.dataset.text !== lines.join('\n')) {
    preview.dataset.text = lines.join('\n');
    preview.replaceChildren(h('ul', { class: 'preview-list' }, lines.map((l) => h('li', {}, l))));
  }
}

/** The change's own summary, one line per RRset, each DELETE followed by the records it removes today. */
export function previewLines(c) {
  const parts = c.change.split('; ');
  const rrsets = zoneCache.get(c.zone) ?? [];
  const out = [];
  for (const part of parts) {
    out.push(part);
    const m = /^DELETE (\S+) (\S+)$/.exec(part);
    const set = m && rrsets.find((r) => r.name === m[1] && r.type === m[2]);
    if (set) for (const r of set.records) out.push(`  − ${set.name} ${set.ttl} ${set.type} ${r.content}`);
  }
  if (c.change === 'delete the zone') out.push(`  − all ${rrsets.reduce((n, r) => n + r.records.length, 0)} records of ${c.zone}`);
  return out;
}

async function resolve(id, verb) {
  const row = $(`#change-rows tr[data-id="${CSS.escape(id)}"]`);
  const all = row ? row.querySelector('.preview').dataset.text.split('\n') : [];
  const what = all.length > 40 ? [...all.slice(0, 40), `… and ${all.length - 40} more line(s), listed in the table`] : all;
  const ok = await confirmDialog(`${verb === 'confirm' ? 'Confirm' : 'Reject'} held change ${id}?`,
    verb === 'confirm' ? ['Applying it does this to the zone as it is now:', ...what] : ['The change is dropped; the zone stays as it is.'],
    verb === 'confirm' ? `Confirm ${id}` : `Reject ${id}`);
  if (!ok) { say(`${verb} of ${id} cancelled`); return; }
  try {
    say(describe(await post(`/api/v1/changes/${encodeURIComponent(id)}/${verb}`)), 'ok');
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 409 && verb === 'confirm')) { say(`${verb} ${id} failed: ${e.message}`, 'error'); return; }
    const second = await secondKeyDialog(`${e.message} Enter a second operator's API key to confirm ${id}.`);
    if (!second) { say(`confirmation of ${id} cancelled: it needs a second key`); return; }
    try {
      say(describe(await post(`/api/v1/changes/${encodeURIComponent(id)}/confirm`, {}, second)), 'ok');
    } catch (e2) {
      say(e2 instanceof ApiError && e2.status === 401
        ? `this node does not accept that key (401): confirm ${id} from the console of the node whose key it is (its /ui/)`
        : `confirm ${id} with the second key failed: ${e2.message}`, 'error');
    }
  }
  await renderChanges().catch(() => {});
}

const describe = (r) => r.zone ? `${r.status} change ${r.id}: zone ${r.zone} now version ${r.version} (serial ${r.serial})` : `${r.status} ${r.id}`;
