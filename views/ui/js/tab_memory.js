// nnplay's tab memory (views/ui/tab_memory.py): for every page, the last address this tab showed for it, kept
// in the tab's sessionStorage, so that a reload (a new server session) finds every page as the student left
// it. Every page writes its whole state into its link, so the address is the state. sessionStorage belongs to
// one tab: a second tab is a second student. On its first message of a session the component answers with
// what the tab kept.
const KEY = 'nnplay.links';
const APP_PARAMS = ['present'];            // app-wide parameters, not a page's state

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

// The tab's history, kept true to the pages. Streamlit 1.67's frontend pushes a query-string change at once
// onto the path the tab shows, but changes the path after a page link is clicked only once React has drawn
// the new page. The new page's link, written while the old path still shows, left a history entry with the
// new page's settings on the old page's path (/race?outlier=…), which Back then opened. The same happens the
// other way after Back or Forward: a run of the page the student just left, still on its way (a reload's
// second run), ends by pushing that page's path with the query Back brought (/regression?batch_size=8 after
// Back to /mnist?batch_size=8: 3 of 12 under load). So while the tab is heading for a path (a page link was
// clicked, or Back/Forward landed), a push to any other path is dropped: the path the student chose wins.
// tests/test_journeys_browser.py checks every entry.
const PAGE_LINKS = '[data-testid="stSidebarNav"] a[href], a[data-testid="stPageLink-NavLink"][href]';
const PENDING_MS = 10000;

function watchHistory() {
  if (window.__nnplayHistory) return;
  window.__nnplayHistory = true;
  let heading = null;                      // {path, until, clicked}: the path the student chose, for a while
  const aim = (path, clicked) => ({ path, clicked, until: Date.now() + PENDING_MS });
  document.addEventListener('click', (event) => {
    const link = event.target && event.target.closest && event.target.closest(PAGE_LINKS);
    if (!link) return;
    const path = new URL(link.href, location.href).pathname;
    heading = path !== location.pathname ? aim(path, true) : null;
  }, true);
  window.addEventListener('popstate', () => { heading = aim(location.pathname, false); keep(location.href); });
  const push = history.pushState.bind(history);
  const replace = history.replaceState.bind(history);
  history.pushState = function (state, title, url) {
    if (heading && Date.now() < heading.until && url != null) {
      if (new URL(String(url), location.href).pathname !== heading.path) return;     // not the chosen path
      if (heading.clicked) heading = null;                                           // the click arrived
    }
    push(state, title, url);
    keep(location.href);
  };
  history.replaceState = function (state, title, url) {
    replace(state, title, url);
    keep(location.href);
  };
}

export default function (component) {
  const { data, setStateValue } = component;
  watchHistory();
  keep(location.href);
  if (data && data.ask) setStateValue('saved', JSON.stringify(kept()));
}
