// The console's entry: sign-in, navigation between the three views, and the poll that keeps the shown view live
// (about once a second, no reload). See docs/console.md.

import { session, get, ApiError } from './api.js';
import { $, setText, say } from './dom.js';
import { pollDatacenters, renderNetwork } from './network.js';
import { renderChanges } from './changes.js';
import { initZones, renderZones } from './zones.js';

const POLL_MS = 1000;
const views = { network: null, changes: renderChanges, zones: renderZones };
let current = 'network';
let timer = null;
let busy = false;

function showSignIn(message) {
  session.key = null;
  stopPolling();
  $('#app').hidden = true;
  $('#signin').hidden = false;
  const error = $('#signin-error');
  error.hidden = !message;
  setText(error, message ?? '');
  $('#api-key').value = '';
  $('#api-key').focus();
}

async function signIn(key) {
  session.key = key;
  try {
    const self = await get('/api/v1/actor/system');
    setText($('#node'), `${self.address} · roles ${self.roles.join(', ')} · AkkaDns ${self.akka_dns_version}`);
  } catch (e) {
    showSignIn(e instanceof ApiError && e.status === 401
      ? 'That API key was refused by the node (401 wrong X-API-Key). Check the key and try again.'
      : `Could not reach the admin API: ${e.message}`);
    return;
  }
  $('#signin').hidden = true;
  $('#app').hidden = false;
  show(current);
  startPolling();
}

function show(view) {
  current = view;
  for (const name of Object.keys(views)) {
    $(`#view-${name}`).hidden = name !== view;
    const tab = $(`#nav-${name}`);
    if (name === view) tab.setAttribute('aria-current', 'page'); else tab.removeAttribute('aria-current');
  }
  refresh();
}

async function refresh() {
  if (busy || !session.key) return;
  busy = true;
  try {
    const status = await pollDatacenters(); // every tick: the lag chart keeps its history on every view
    if (current === 'network') await renderNetwork(status);
    else await views[current]();
    setText($('#updated'), `live · updated ${new Date().toLocaleTimeString()}`);
    $('#updated').classList.remove('stale');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { showSignIn('The node no longer accepts this API key (401). Sign in again.'); return; }
    setText($('#updated'), `not updated: ${e.message}`);
    $('#updated').classList.add('stale');
  } finally {
    busy = false;
  }
}

function startPolling() { stopPolling(); timer = setInterval(refresh, POLL_MS); }
function stopPolling() { if (timer) clearInterval(timer); timer = null; }

document.addEventListener('DOMContentLoaded', () => {
  $('#signin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const key = $('#api-key').value.trim();
    if (!key) { showSignIn('Enter the node\'s API key (akkadns.node.api-key, or DATA/api-key).'); return; }
    signIn(key);
  });
  $('#signout').addEventListener('click', () => { showSignIn(null); say('signed out: the key was removed from this tab'); });
  for (const name of Object.keys(views)) $(`#nav-${name}`).addEventListener('click', () => show(name));
  initZones();
  if (session.key) signIn(session.key); else showSignIn(null);
});
