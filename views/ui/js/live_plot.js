// nnplay's live plot: plays a batch of plotly figures at `fps` with Plotly.react on one div (views/ui/components.py).
// A message with `reset` (a paused or finished run) drops the frames still queued, so Pause shows at once.
// loadPlotly() comes from js/plotly_loader.js, which components.py puts before this file.

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
  const title = String((layout.title && layout.title.text) || '').replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]*>/g, '');
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

async function paint(el, fig) {
  // Hand plotly the previous object for every trace that did not change, so Plotly.react skips
  // recomputing it (a contour of a fixed cost surface costs more to redraw than all the rest).
  const prev = el.__nnplay || { keys: [], data: [] };
  const keys = fig.data.map((t, i) => (prev.data[i] === t ? prev.keys[i] : JSON.stringify(t)));
  fig.data = fig.data.map((t, i) => (prev.keys[i] === keys[i] ? prev.data[i] : t));
  el.__nnplay = { keys, data: fig.data };
  el.style.height = ((fig.layout && fig.layout.height) || 380) + 'px';
  const t0 = performance.now();
  await window.Plotly.react(el, fig.data, fig.layout, exportConfig(el, el.__config));
  el.dataset.paintMs = String(Number(el.dataset.paintMs || 0) + performance.now() - t0);
  el.dataset.frames = String(Number(el.dataset.frames) + 1);
  el.dataset.title = (fig.layout && fig.layout.title && fig.layout.title.text) || '';
  el.setAttribute('aria-label', describe(fig));
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
  if (msg.reset) el.__queue.length = 0;
  el.__queue.push(...frames);
  const cap = Math.max(2 * frames.length, 4);
  if (el.__queue.length > cap) el.__queue.splice(0, el.__queue.length - cap);
  await loadPlotly();
  if (el.__playing) return;
  el.__playing = true;
  try {
    while (el.__queue.length) {
      const t0 = performance.now();
      await paint(el, el.__queue.shift());
      if (el.__queue.length) {
        const wait = 1000 / el.__fps - (performance.now() - t0);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }
  } finally {
    el.__playing = false;
  }
}
