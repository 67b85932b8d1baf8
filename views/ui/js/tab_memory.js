// nnplay's tab memory (views/ui/tab_memory.py): every page's link, kept in this tab's sessionStorage, so that a
// reload (a new server session) finds every page as the student left it. sessionStorage belongs to one tab:
// a second tab is a second student. On its first message the component answers with what the tab kept.
const KEY = 'nnplay.links';

function kept() {
  try { return JSON.parse(sessionStorage.getItem(KEY) || '{}') || {}; } catch (e) { return {}; }
}

export default function (component) {
  const { data, setStateValue } = component;
  const before = kept();
  if (data && data.ask) setStateValue('saved', JSON.stringify(before));
  if (data && data.save) {
    try { sessionStorage.setItem(KEY, JSON.stringify({ ...before, ...data.save })); } catch (e) { /* full: keep the old */ }
  }
}
