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
// new page's settings on the old page's path (/race?outlier=…), which Back then opened. While a click on a
// page link is on its way, a push that keeps the old path is dropped: Streamlit pushes the new path with the
// same query a moment later. tests/test_journeys_browser.py checks every entry.
const PAGE_LINKS = '[data-testid="stSidebarNav"] a[href], a[data-testid="stPageLink-NavLink"][href]';
const PENDING_MS = 10000;

function watchHistory() {
  if (window.__nnplayHistory) return;
  window.__nnplayHistory = true;
  let pending = null;                      // the path a page link is taking the tab to, until it gets there
  document.addEventListener('click', (event) => {
    const link = event.target && event.target.closest && event.target.closest(PAGE_LINKS);
    if (!link) return;
    const path = new URL(link.href, location.href).pathname;
    pending = path !== location.pathname ? { path, until: Date.now() + PENDING_MS } : null;
  }, true);
  window.addEventListener('popstate', () => { pending = null; keep(location.href); });
  const push = history.pushState.bind(history);
  const replace = history.replaceState.bind(history);
  history.pushState = function (state, title, url) {
    if (pending && Date.now() < pending.until && url != null) {
      if (new URL(String(url), location.href).pathname === location.pathname) return;  // the old path: dropped
      pending = null;
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
