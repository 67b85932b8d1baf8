// nnplay's tab memory (views/ui/tab_memory.py): for every page, the last address this tab showed for it, kept
// in the tab's sessionStorage, so that a reload (a new server session) finds every page as the student left
// it. Every page writes its whole state into its link, so the address is the state. sessionStorage belongs to
// one tab: a second tab is a second student. When this document goes (a reload, an address typed in), the tab
// hands what it kept to its next document in short-lived cookies, which that document's websocket brings to
// the new session's first run; the next document's first draw of this component deletes them, so no other tab
// receives them. (An answer sent back from this component instead would cost a rerun of its own, sent with the
// page the frontend showed when it was sent: a page link clicked just before undid the student's click.)
const KEY = 'nnplay.links';
const APP_PARAMS = ['present', 'lesson', 'step'];            // app-wide parameters, not a page's state
const COOKIE = 'nnplay.links';      // chunks nnplay.links.0, .1, …: base64url of the JSON that sessionStorage keeps
const CHUNK = 3000;                 // characters per cookie (a browser keeps at most ~4 kB in one)
const CHUNKS = 8;                   // at most: 24 kB (tab_memory.py reads at most 20 kB)
const HANDOVER_S = 60;              // the next document connects within seconds, even on a busy machine

function kept() {
  try { return JSON.parse(sessionStorage.getItem(KEY) || '{}') || {}; } catch (e) { return {}; }
}

// The page an address shows (its last path segment: "" for Home; the app may be served under a prefix) and
// its parameters, kept for that page.
function keep(url) {
  try {
    const where = new URL(String(url), location.href);
    if (where.origin !== location.origin) return;
    const page = where.pathname.split('/').filter(Boolean).pop() || '';
    const params = {};
    for (const [k, v] of where.searchParams) if (!APP_PARAMS.includes(k)) params[k] = v;
    sessionStorage.setItem(KEY, JSON.stringify({ ...kept(), [page]: params }));
  } catch (e) { /* storage full or unavailable: keep the old */ }
}

function cookie(i, value, seconds) {
  document.cookie = `${COOKIE}.${i}=${value}; Max-Age=${seconds}; Path=/; SameSite=Strict`;
}

function handOver() {                       // this document goes: its successor in this tab reads what it kept
  try {
    const bytes = new TextEncoder().encode(JSON.stringify(kept()));
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    const text = btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const n = Math.ceil(text.length / CHUNK);
    for (let i = 0; i < CHUNKS; i++) {
      if (i < n && n <= CHUNKS) cookie(i, text.slice(i * CHUNK, (i + 1) * CHUNK), HANDOVER_S);
      else cookie(i, '', 0);
    }
  } catch (e) { /* no cookies: the next document starts from its own address only */ }
}

function takeOver() {                       // once per document: the hand-over was read, no other tab gets it
  if (tab.tookOver) return;
  tab.tookOver = true;
  for (let i = 0; i < CHUNKS; i++) cookie(i, '', 0);
  window.addEventListener('pagehide', handOver);
}

// The tab's history, kept true to the pages. Streamlit 1.67's frontend pushes a query-string change at once
// onto the path the tab shows, but changes the path after a page link is clicked only once React has drawn
// the new page. The new page's link, written while the old path still shows, left a history entry with the
// new page's settings on the old page's path (/race?outlier=…), which Back then opened. The same happens the
// other way after Back or Forward: a run of the page the student just left, still on its way (once, a reload's
// second run), ends by pushing that page's path with the query Back brought (/regression?batch_size=8 after
// Back to /mnist?batch_size=8: 3 of 12 under load), or by writing its own query onto the path Back opened
// (/mnist with regression's empty query: Streamlit's pageInfoChanged pushes or replaces onto
// document.location.pathname). So while the tab is heading for a path (a page link was clicked, or
// Back/Forward landed), a push to any other path is dropped: the path the student chose wins; and after
// Back/Forward to another page, until a run of the chosen page has drawn this component (``data.page``), no
// push or replace may change the address's query: whatever arrives before is the old page's. (Back within
// one page, /race?speed=100 → /race, lets the page write its link back at once.) tests/test_journeys_browser.py
// checks every entry.
const PAGE_LINKS = '[data-testid="stSidebarNav"] a[href], a[data-testid="stPageLink-NavLink"][href]';
const PENDING_MS = 10000;
const pageOf = (pathname) => pathname.split('/').filter(Boolean).pop() || '';
// The one history guard, on window so that every copy of this module (one per mount) shares it. heading:
// {path, until, clicked}, the path the student chose, for a while; drawing: the page whose run last drew this
// component (``data.page``); dropped: the addresses refused (read by tests).
const tab = window.__nnplayTab = window.__nnplayTab || { heading: null, drawing: null, dropped: [] };

function allowed(url) {                    // may the frontend write ``url`` into the address bar now?
  const h = tab.heading;
  if (!h || Date.now() >= h.until || url == null) return true;
  const where = new URL(String(url), location.href);
  if (where.pathname !== h.path) return false;                                  // not the chosen path
  if (h.clicked) { tab.heading = null; return true; }                           // the click arrived
  return tab.drawing === pageOf(h.path) || where.search === location.search;    // not the old page's query
}

function watchHistory() {
  if (tab.watching) return;
  tab.watching = true;
  const aim = (path, clicked) => ({ path, clicked, until: Date.now() + PENDING_MS });
  document.addEventListener('click', (event) => {
    const link = event.target && event.target.closest && event.target.closest(PAGE_LINKS);
    if (!link) return;
    const path = new URL(link.href, location.href).pathname;
    tab.heading = path !== location.pathname ? aim(path, true) : null;
  }, true);
  window.addEventListener('popstate', () => { tab.heading = aim(location.pathname, false); keep(location.href); });
  // Back pressed before this guard was installed (a reloaded page is drawn before its components load: 2 of
  // 10 under load): the Navigation API says this document was loaded on a later entry than the one it shows.
  const nav = window.navigation;
  const loaded = nav && nav.activation && nav.activation.entry;
  if (loaded && nav.currentEntry && nav.currentEntry.index < loaded.index) tab.heading = aim(location.pathname, false);
  const push = history.pushState.bind(history);
  const replace = history.replaceState.bind(history);
  history.pushState = function (state, title, url) {
    if (!allowed(url)) { tab.dropped.push(String(url)); return; }
    push(state, title, url);
    keep(location.href);
  };
  history.replaceState = function (state, title, url) {
    if (!allowed(url)) { tab.dropped.push(String(url)); return; }
    replace(state, title, url);
    keep(location.href);
  };
}

export default function (component) {
  const { data } = component;
  if (data && typeof data.page === 'string') tab.drawing = data.page;
  watchHistory();
  takeOver();
  keep(location.href);
}
