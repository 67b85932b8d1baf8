// nnplay's live plot: plays a batch of plotly figures at `fps` on one div (views/ui/components.py), each frame
// patched into the SVG plotly drew when only what a run moves has changed (js/live_patch.js), else Plotly.react.
// A message with `reset` (a paused or finished run) drops the frames still queued, so Pause shows at once.
// loadPlotly() comes from js/plotly_loader.js and patchFrame() from js/live_patch.js, which components.py puts
// before this file.

const SETTLE_MS = 1000;        // no frame for this long: the run has paused, and plotly redraws the newest frame
const CATCH_UP = 3;            // frames a player that fell behind its clock may make up

// The modebar (on hover): plotly's camera saves a PNG as the server's config says (scale 2, for slides), and a
// second button saves an SVG (nncore/figures/style.py PLOTLY_CONFIG); a config cannot carry a function, so here.
// Built once per element: Plotly.react replots from scratch whenever its config changes, and a new button
// object (a new click function) every frame is a change: every frame a full newPlot.
function exportConfig(el, config) {
  const text = JSON.stringify(config || {});
  if (!el.__exportConfig || el.__exportConfigText !== text) {
    el.__exportConfig = withExport(config);
    el.__exportConfigText = text;
  }
  return el.__exportConfig;
}

function withExport(config) {
  const base = { responsive: true, displaylogo: false, ...(config || {}) };
  const png = base.toImageButtonOptions || {};
  const svg = {
    name: 'nnplaySvg',
    title: 'Download plot as an SVG',
    icon: window.Plotly.Icons.camera,
    click: (gd) => window.Plotly.downloadImage(gd, { ...png, format: 'svg', scale: 1 }),
  };
  return { ...base, modeBarButtonsToAdd: [...(base.modeBarButtonsToAdd || []), svg] };
}

// A one-sentence text alternative that follows the run (issue 21), read by a screen reader on the chart's
// element: the title, then each named line's latest value ("cost J · epoch 40: train 0.0123, validation
// 0.0151"). A figure may say it better itself in layout.meta.alt.
function describe(fig) {
  const layout = fig.layout || {};
  if (layout.meta && layout.meta.alt) return String(layout.meta.alt);
  const title = titleText(layout).replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]*>/g, '');
  const lines = [];
  for (const t of fig.data || []) {
    if (!t || !t.name || !Array.isArray(t.y) || t.visible === 'legendonly' || t.visible === false) continue;
    let k = t.y.length - 1;
    while (k >= 0 && !Number.isFinite(t.y[k])) k--;
    if (k >= 0) lines.push(`${t.name} ${Number(t.y[k]).toPrecision(3)}`);
    if (lines.length === 6) break;
  }
  return [title.trim(), lines.join(', ')].filter(Boolean).join(': ') || 'A live chart.';
}

// One frame: patched into the SVG when only what a run moves has changed (js/live_patch.js), else drawn by
// Plotly.react. `full` forces the latter (the settled frame after a run pauses: hover reads plotly's calcdata).
async function paint(el, fig, full = false) {
  // Hand plotly the previous object for every trace that did not change, so Plotly.react skips
  // recomputing it (a contour of a fixed cost surface costs more to redraw than all the rest).
  const prev = el.__shown || { keys: [], fig: { data: [] } };
  const keys = fig.data.map((t, i) => (prev.fig.data[i] === t ? prev.keys[i] : JSON.stringify(t)));
  fig.data = fig.data.map((t, i) => (prev.keys[i] === keys[i] ? prev.fig.data[i] : t));
  const t0 = performance.now();
  if (!full && patchFrame(el, fig, keys)) {
    el.dataset.patched = String(Number(el.dataset.patched || 0) + 1);
  } else {
    el.style.height = ((fig.layout && fig.layout.height) || 380) + 'px';
    const next = shown(fig, keys);                 // before plotly writes its ranges into the layout
    await window.Plotly.react(el, withFreshTraces(el, fig.data), fig.layout, exportConfig(el, el.__config));
    el.__shown = { ...next, fig: { ...fig, data: el.data } };
  }
  el.dataset.paintMs = String(Number(el.dataset.paintMs || 0) + performance.now() - t0);
  el.dataset.frames = String(Number(el.dataset.frames) + 1);
  el.dataset.title = titleText(fig.layout);
  el.setAttribute('aria-label', describe(fig));
}

// Once the frames stop (a paused or finished run), the newest frame is drawn by plotly itself, so that hover,
// which reads plotly's computed traces, tells the newest numbers.
function settleLater(el) {
  clearTimeout(el.__settle);
  if (!el.__staleTraces.size) return;
  el.__settle = setTimeout(() => {
    if (!el.__playing && !el.__queue.length && el.__staleTraces.size) paint(el, el.__shown.fig, true);
  }, SETTLE_MS);
}

export default async function (component) {
  const { data, parentElement } = component;
  let el = parentElement.querySelector('.nnplay-live-plot');
  if (!el) {
    el = document.createElement('div');
    el.className = 'nnplay-live-plot';
    el.setAttribute('role', 'figure');
    el.dataset.frames = '0';
    el.__queue = [];
    el.__staleTraces = new Set();
    parentElement.appendChild(el);
  }
  // live_plot sends its frames as UTF-8 JSON bytes (see live_plot); a string or an object works too.
  const text = (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) ? new TextDecoder().decode(data) : data;
  const msg = typeof text === 'string' ? JSON.parse(text) : text;
  const frames = msg.frames || [msg];
  // A trace sent as null is the same as in the frame before it (see live_plot on the server).
  for (let i = 1; i < frames.length; i++) {
    const before = frames[i - 1].data || [];
    if (frames[i].data) frames[i].data = frames[i].data.map((t, j) => (t === null ? before[j] : t));
  }
  el.__fps = msg.fps || 25;
  el.__config = msg.config;
  const dropped = (n) => { el.dataset.dropped = String(Number(el.dataset.dropped || 0) + n); };
  if (msg.reset) { dropped(el.__queue.length); el.__queue.length = 0; }
  el.__queue.push(...frames);
  el.dataset.received = String(Number(el.dataset.received || 0) + frames.length);
  const cap = Math.max(2 * frames.length, 4);
  if (el.__queue.length > cap) dropped(el.__queue.splice(0, el.__queue.length - cap).length);
  await loadPlotly();
  if (el.__playing) return;
  el.__playing = true;
  clearTimeout(el.__settle);
  try {
    // Frames fall due on a clock, 1/fps apart. When the page's own rendering held the thread (a rerun of
    // Streamlit's elements, a slow figure drawn by plotly), the frames that fell due meanwhile come one per
    // display frame until the player is back on its clock (at most CATCH_UP of them), instead of the whole
    // run slowing down; each painted frame is on screen before the next is painted.
    let due = performance.now();
    while (el.__queue.length) {
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const period = 1000 / el.__fps;
      due = Math.max(due, performance.now() - CATCH_UP * period) + period;
      await paint(el, el.__queue.shift());
      await new Promise((r) => requestAnimationFrame(() => r()));
    }
  } finally {
    el.__playing = false;
    settleLater(el);
  }
}
