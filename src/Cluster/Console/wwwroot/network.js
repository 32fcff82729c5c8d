// Network view: every datacenter (serving or drained and why, lag, acks, failures), a lag chart drawn from the
// values polled here, floor alerts, drain/undrain; the cluster members; queries per second per edge (each edge's
// /metrics totals, spread to every node: GET /api/v1/traffic).

import { get, post } from './api.js';
import { $, h, svg, syncRows, setText, time, ago, confirmDialog, say } from './dom.js';

const WINDOW_SECONDS = 300;
const samples = []; // { t: ms, lag: Map(datacenter -> seconds behind) }

/** Polled every second whatever view is shown, so the chart has the last minutes when the operator looks. */
export async function pollDatacenters() {
  const status = await get('/api/v1/datacenters');
  const now = Date.now();
  samples.push({ t: now, lag: new Map(status.datacenters.map((d) => [d.name, d.seconds_behind])) });
  while (samples.length && samples[0].t < now - WINDOW_SECONDS * 1000) samples.shift();
  return status;
}

export async function renderNetwork(status) {
  renderDatacenters(status);
  renderChart();
  const [members, traffic] = await Promise.all([get('/api/v1/cluster/members'), get('/api/v1/traffic')]);
  renderMembers(members);
  renderTraffic(traffic);
}

function renderDatacenters(status) {
  setText($('#floor'), `Floor: at least ${status.floor} datacenter(s) keep serving; status as of ${time(status.at)}.`);
  const alerts = $('#alerts');
  alerts.replaceChildren(...status.alerts.map((a) => h('li', {}, h('strong', {}, 'Alert: '), a)));
  $('#alerts-none').hidden = status.alerts.length > 0;
  syncRows($('#dc-rows'), status.datacenters, (d) => d.name, createDatacenterRow, updateDatacenterRow);
}

function createDatacenterRow(d) {
  const button = h('button', { type: 'button', class: 'action' });
  button.addEventListener('click', () => drainOrUndrain(button.dataset.dc, button.dataset.verb));
  return h('tr', { 'data-dc': d.name },
    h('th', { scope: 'row' }, d.name),
    h('td', {}, h('span', { class: 'state' }), h('div', { class: 'why' })),
    h('td', { class: 'num versions' }), h('td', { class: 'num zones' }), h('td', { class: 'num seconds' }),
    h('td', { class: 'ack' }), h('td', { class: 'failures' }), h('td', { class: 'alert' }), h('td', {}, button));
}

function updateDatacenterRow(row, d) {
  const state = row.querySelector('.state');
  setText(state, d.state);
  state.className = `state badge ${d.state}`;
  setText(row.querySelector('.why'), d.state === 'drained' ? `${d.drain_reason ?? ''}${d.why ? ': ' + d.why : ''}` : '');
  setText(row.querySelector('.versions'), d.versions_behind);
  setText(row.querySelector('.zones'), d.zones_behind);
  setText(row.querySelector('.seconds'), d.seconds_behind.toFixed(1));
  setText(row.querySelector('.ack'), d.last_ack ? `${time(d.last_ack)} (${ago(d.last_ack)})` : 'never');
  setText(row.querySelector('.failures'), d.consecutive_failures === 0 && d.recent_failures.length === 0
    ? 'none' : `${d.consecutive_failures} in a row${d.recent_failures.length ? '; last: ' + d.recent_failures.at(-1) : ''}`);
  setText(row.querySelector('.alert'), d.alert ?? '');
  const button = row.querySelector('button');
  const verb = d.state === 'drained' ? 'undrain' : 'drain';
  button.dataset.dc = d.name;
  button.dataset.verb = verb;
  setText(button, verb === 'drain' ? 'Drain…' : 'Undrain…');
  button.setAttribute('aria-label', `${verb === 'drain' ? 'Drain' : 'Undrain'} ${d.name}`);
}

async function drainOrUndrain(dc, verb) {
  const lines = verb === 'drain'
    ? [`Drain ${dc}: its edge closes its DNS listeners and stops answering.`, 'An operator drain stays until an operator undrains it.']
    : [`Undrain ${dc}: its edge reopens its DNS listeners and answers again.`];
  if (!await confirmDialog(`${verb === 'drain' ? 'Drain' : 'Undrain'} ${dc}?`, lines, verb === 'drain' ? `Drain ${dc}` : `Undrain ${dc}`)) {
    say(`${verb} of ${dc} cancelled`);
    return;
  }
  try {
    const reply = await post(`/api/v1/datacenters/${encodeURIComponent(dc)}/${verb}`);
    say(reply.message ?? `${verb} ${dc} requested`, 'ok');
  } catch (e) {
    say(`${verb} ${dc} failed: ${e.message}`, 'error');
  }
}

function renderChart() {
  const chart = $('#lag-chart');
  const width = 720, height = 180, left = 44, bottom = 22, top = 8, right = 8;
  const names = [...new Set(samples.flatMap((s) => [...s.lag.keys()]))].sort();
  const max = Math.max(1, ...samples.flatMap((s) => [...s.lag.values()]));
  const now = Date.now();
  const x = (t) => left + (width - left - right) * (1 - (now - t) / (WINDOW_SECONDS * 1000));
  const y = (v) => top + (height - top - bottom) * (1 - v / max);
  const parts = [
    svg('line', { x1: left, y1: y(0), x2: width - right, y2: y(0), class: 'axis' }),
    svg('line', { x1: left, y1: top, x2: left, y2: y(0), class: 'axis' }),
  ];
  for (const [label, at] of [[`${max.toFixed(1)} s`, y(max)], ['0 s', y(0)]]) {
    const t = svg('text', { x: left - 4, y: at + 4, 'text-anchor': 'end', class: 'tick' });
    t.textContent = label;
    parts.push(t);
  }
  for (const [label, at] of [[`-${WINDOW_SECONDS / 60} min`, left], ['now', width - right]]) {
    const t = svg('text', { x: at, y: height - 6, 'text-anchor': at === left ? 'start' : 'end', class: 'tick' });
    t.textContent = label;
    parts.push(t);
  }
  names.forEach((name, i) => {
    const points = samples.filter((s) => s.lag.has(name)).map((s) => `${x(s.t).toFixed(1)},${y(s.lag.get(name)).toFixed(1)}`).join(' ');
    parts.push(svg('polyline', { points, class: `series series-${i % 4}` }));
  });
  chart.replaceChildren(...parts);
  // The legend names each line and its pattern: the lines differ by dash pattern, not by colour alone.
  $('#lag-legend').replaceChildren(...names.map((name, i) => {
    const last = samples.at(-1)?.lag.get(name);
    const key = svg('svg', { width: 28, height: 10, 'aria-hidden': 'true' });
    key.append(svg('line', { x1: 0, y1: 5, x2: 28, y2: 5, class: `series series-${i % 4}` }));
    return h('li', {}, key, ` ${name}: ${last === undefined ? '—' : last.toFixed(1) + ' s behind now'}`);
  }));
  $('#lag-chart-desc').textContent = `Seconds behind per datacenter over the last ${WINDOW_SECONDS / 60} minutes, sampled every second; highest ${max.toFixed(1)} s.`;
}

function renderMembers(members) {
  syncRows($('#member-rows'), members.members, (m) => m.address,
    (m) => h('tr', {}, h('th', { scope: 'row' }, m.address), h('td', { class: 'roles' }), h('td', { class: 'member-status' }), h('td', { class: 'reach' }), h('td', { class: 'leader' })),
    (row, m) => {
      setText(row.querySelector('.roles'), m.roles.join(', '));
      setText(row.querySelector('.member-status'), m.status);
      setText(row.querySelector('.reach'), m.reachable ? 'reachable' : 'UNREACHABLE');
      setText(row.querySelector('.leader'), members.leader && members.leader.replace(/\/$/, '') === m.address.replace(/\/$/, '') ? 'leader' : '');
    });
}

/** Queries per second per edge from the totals each edge spreads (GET /api/v1/traffic), between two samples. */
const lastTraffic = new Map(); // datacenter -> { at, queries, rate }

function renderTraffic(traffic) {
  $('#traffic-none').hidden = traffic.edges.length > 0;
  syncRows($('#traffic-rows'), traffic.edges, (e) => e.datacenter,
    (e) => h('tr', {}, h('th', { scope: 'row' }, e.datacenter), h('td', { class: 'edge-node' }), h('td', { class: 'num qps' }),
      h('td', { class: 'num total' }), h('td', { class: 'num dropped' }), h('td', { class: 'limited' }), h('td', { class: 'at' })),
    (row, e) => {
      const at = new Date(e.at).getTime();
      const before = lastTraffic.get(e.datacenter);
      let rate = before?.rate ?? null;
      if (before && at > before.at) rate = Math.max(0, (e.queries - before.queries) / ((at - before.at) / 1000));
      if (!before || at > before.at) lastTraffic.set(e.datacenter, { at, queries: e.queries, rate });
      setText(row.querySelector('.edge-node'), e.node);
      setText(row.querySelector('.qps'), rate === null ? 'measuring…' : `${rate.toFixed(1)} queries/s`);
      setText(row.querySelector('.total'), e.queries);
      setText(row.querySelector('.dropped'), e.dropped);
      setText(row.querySelector('.limited'), `${e.rate_limited} (edges do not rate-limit today)`);
      setText(row.querySelector('.at'), ago(e.at));
    });
}
