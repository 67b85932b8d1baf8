// nnplay's live patch: a frame that differs from the one on screen only in what moves during a run is written
// straight into the SVG plotly already drew, instead of a Plotly.react that redraws the axes, the legend and
// every trace (10-30 ms a frame; a page of three plots at 25 fps would need more than the browser's one thread).
//
// What moves during a run, and what the patch writes:
//   - the title's and the annotations' text (same markup, new words: "epoch 40 · J 0.0123"): the SVG text nodes;
//   - a layout image's source (the decision boundary, the neuron maps, the race's panels): the <image>'s href;
//   - a scatter trace drawn as lines (the fit's line ŷ = w x + b, the path on the cost surface, the network's
//     edges, the cost curves): the <path class="js-line"> of each segment, through the axes' own c2p;
//   - a scatter trace drawn as markers, as many as before (the cost surface's "now"): each point's translate;
//   - an arrow without words between two points of the data (the regression's −∇J): its shaft and its head;
//   - hover-only text (hovertext, customdata, a heatmap's text): only plotly's copy of the data.
// Anything else (an axis range, a colour, a trace that appears, a point outside an autoranged axis) is left
// to Plotly.react: patchFrame says false and live_plot.js paints the frame in full.
//
// plotly's own copy (gd.data, gd.layout) is kept equal to the frame, so an export or a zoom draws the newest
// frame; plotly's computed traces (calcdata, for hover) go stale until the next full paint, which live_plot.js
// makes once the run pauses (staleTraces, copied so that Plotly.react recomputes them).

const HOVER_ONLY = ['hovertext', 'customdata'];
const MOVING = ['x', 'y', 'text', ...HOVER_ONLY];    // what a patched trace may change

function titleText(layout) {
  const t = layout && layout.title;
  return typeof t === 'string' ? t : (t && t.text) || '';
}

// An arrow with no words, drawn between two points of the data (the regression's −∇J): it may move.
function isArrow(a) {
  return a.showarrow && a.text === '' && a.xref === a.axref && a.yref === a.ayref && /^x\d*$/.test(a.xref || '')
    && /^y\d*$/.test(a.yref || '') && !a.standoff && !a.startstandoff;
}

// The layout with the words, the pictures and the arrows' ends blanked: two frames with the same key differ
// only in what layoutPlans can write.
function layoutKey(layout) {
  const l = { ...(layout || {}) };
  if (l.title) l.title = typeof l.title === 'string' ? '' : { ...l.title, text: '' };
  if (l.annotations) {
    l.annotations = l.annotations.map((a) => (isArrow(a) ? { ...a, x: 0, y: 0, ax: 0, ay: 0 } : { ...a, text: '' }));
  }
  if (l.images) l.images = l.images.map((im) => ({ ...im, source: '' }));
  delete l.meta;
  return JSON.stringify(l);
}

// How a trace's x and y can move without plotly: 'lines' (the paths of its segments), 'markers' (each point's
// translate), or '' when plotly must draw it.
function movable(t) {
  if ((t.type || 'scatter') !== 'scatter' || t.fill && t.fill !== 'none' || t.error_x || t.error_y) return '';
  if (t.mode === 'lines' && (!t.line || !t.line.shape || t.line.shape === 'linear')) return 'lines';
  if (t.mode === 'markers' && !(t.marker && t.marker.angleref)) return 'markers';
  return '';
}

function hoverOnly(t) {
  const fields = [...HOVER_ONLY];
  const type = t.type || 'scatter';
  const shown = (type === 'heatmap' && t.texttemplate) || (type === 'scatter' && String(t.mode || '').includes('text'));
  if ((type === 'heatmap' || type === 'scatter') && !shown) fields.push('text');
  return fields;
}

// A trace with what may move blanked: its x and y when drawn as lines or markers, and its hover-only text.
function traceKey(t) {
  const k = { ...t };
  for (const f of hoverOnly(t)) delete k[f];
  if (movable(t)) { delete k.x; delete k.y; }
  delete k.uid;
  return JSON.stringify(k);
}

function shown(fig, keys) {
  return { layoutKey: layoutKey(fig.layout), traceKeys: fig.data.map(traceKey), keys, fig };
}

// The plain pieces between a label's tags, entities decoded (a <textarea> decodes them and makes no element),
// in the order plotly writes them as the text nodes of its SVG text.
function pieces(text) {
  const decode = document.createElement('textarea');
  return String(text).split(/<[^>]*>/).filter((p) => p !== '').map((p) => { decode.innerHTML = p; return decode.value; });
}

function tags(text) {
  return (String(text).match(/<[^>]*>/g) || []).join('');
}

function textPlan(node, before, after) {
  if (!node || tags(before) !== tags(after)) return null;
  const nodes = [];
  const walk = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) if (walk.currentNode.data !== '') nodes.push(walk.currentNode);   // plotly leaves empty ones
  const old = pieces(before);
  const now = pieces(after);
  if (now.length !== old.length || nodes.length !== old.length || nodes.some((n, i) => n.data !== old[i])) return null;
  return () => {
    nodes.forEach((n, i) => { n.data = now[i]; });
    node.setAttribute('data-unformatted', after);
  };
}

function axisOf(fl, ref, letter) {
  return fl[letter + 'axis' + (ref && ref.length > 1 ? ref.slice(1) : '')];
}

// The trace's points in pixels ([x, y] within its subplot, null at a gap), or null when one would fall outside
// an axis plotly ranged to the data (plotly must range it again).
function pixels(fl, t) {
  const xa = axisOf(fl, t.xaxis, 'x');
  const ya = axisOf(fl, t.yaxis, 'y');
  if (!xa || !ya || !['linear', 'log'].includes(xa.type) || !['linear', 'log'].includes(ya.type)) return null;
  const inside = (ax, v) => {
    if (!ax.autorange) return true;
    const l = ax.type === 'log' ? Math.log10(v) : v;
    return l >= Math.min(...ax.range) && l <= Math.max(...ax.range);
  };
  const xs = t.x || [];
  const ys = t.y || [];
  const out = [];
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const x = xs[i];
    const y = ys[i];
    const ok = typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)
      && (xa.type !== 'log' || x > 0) && (ya.type !== 'log' || y > 0);
    if (ok && !(inside(xa, x) && inside(ya, y))) return null;
    out.push(ok ? [xa.c2p(x).toFixed(2), ya.c2p(y).toFixed(2)] : null);
  }
  return out;
}

// The "M…L…" of each run of points (plotly breaks a line at a gap the same way, one <path> per segment).
function segments(points, connectgaps) {
  const out = [];
  let run = [];
  for (let k = 0; k <= points.length; k++) {
    const p = points[k];
    if (p) run.push(p.join(','));
    if (p || (k < points.length && connectgaps) || !run.length) continue;
    if (run.length === 1) return null;             // a lone point: plotly's own way of drawing it, not ours
    out.push('M' + run.join('L'));
    run = [];
  }
  return out;
}

function traceGroup(el, i) {
  const full = (el._fullData || []).find((f) => f.index === i);
  return full && full.visible === true ? el.querySelector('g.trace' + full.uid) : null;
}

function markerPlan(el, i, t) {
  const group = traceGroup(el, i);
  const marks = group ? group.querySelectorAll('g.points path.point') : [];
  const points = group && pixels(el._fullLayout, t);
  const shown = points && points.filter(Boolean);
  if (!shown || shown.length !== marks.length) return null;
  return () => shown.forEach((p, k) => marks[k].setAttribute('transform', `translate(${p[0]},${p[1]})`));
}

function linePlan(el, i, t) {
  const group = traceGroup(el, i);
  const lines = group && group.querySelector('g.lines');
  const template = lines && lines.querySelector('path.js-line');
  const points = template && pixels(el._fullLayout, t);
  const paths = points && segments(points, t.connectgaps);
  if (!paths) return null;
  return () => {
    const old = lines.querySelectorAll('path.js-line');
    paths.forEach((d, k) => {
      const p = old[k] || lines.appendChild(template.cloneNode(false));
      p.setAttribute('d', d);
    });
    for (let k = paths.length; k < old.length; k++) old[k].remove();
  };
}

// An arrow (isArrow) redrawn from its tail (ax, ay) to its head (x, y): the shaft's path and dashes, and the
// head's translate and rotation, with the head's set-back measured on the arrow plotly drew.
function arrowPlan(el, i, before, after) {
  const g = el.querySelector(`.annotation[data-index="${i}"] .annotation-arrow-g`);
  const [shaft, head] = g ? g.querySelectorAll('path') : [];
  const fl = el._fullLayout;
  const xa = axisOf(fl, after.xref, 'x');
  const ya = axisOf(fl, after.yref, 'y');
  const place = (x, y) => [xa._offset + xa.c2p(x), ya._offset + ya.c2p(y)];
  const move = head && /^translate\(([-\d.e]+),([-\d.e]+)\)rotate\([-\d.e]+\)(.*)$/.exec(head.getAttribute('transform') || '');
  const nums = [after.x, after.y, after.ax, after.ay];
  if (!move || !xa || !ya || xa.type !== 'linear' || ya.type !== 'linear' || !nums.every(Number.isFinite)) return null;
  const [, hx, hy, scale] = move;
  const tip0 = place(before.x, before.y);
  const back = Math.hypot(tip0[0] - Number(hx), tip0[1] - Number(hy));   // the head sits this far behind the tip
  const tail = place(after.ax, after.ay);
  const tip = place(after.x, after.y);
  const length = Math.hypot(tip[0] - tail[0], tip[1] - tail[1]);
  if (!(length > back)) return null;
  const [ux, uy] = [(tip[0] - tail[0]) / length, (tip[1] - tail[1]) / length];
  const f = (v) => v.toFixed(2);
  return () => {
    shaft.setAttribute('d', `M${f(tail[0])},${f(tail[1])}L${f(tip[0])},${f(tip[1])}`);
    shaft.style.strokeDasharray = `0px, 0px, ${f(length - back)}px, ${f(length)}px`;
    head.setAttribute('transform', `translate(${tip[0] - back * ux},${tip[1] - back * uy})`
      + `rotate(${Math.atan2(uy, ux) * 180 / Math.PI})${scale}`);
  };
}

// plotly binds each layout image's <image> to its entry of _fullLayout.images (d3's __data__).
function imageElement(el, i) {
  const entry = el._fullLayout.images && el._fullLayout.images[i];
  if (!entry) return null;
  for (const img of el.querySelectorAll('image')) if (img.__data__ === entry) return img;
  return null;
}

function layoutPlans(el, before, after) {
  const plans = [];
  const gd = el;
  const fl = gd._fullLayout;
  if (titleText(before) !== titleText(after)) {
    const plan = textPlan(el.querySelector('text.gtitle'), titleText(before), titleText(after));
    if (!plan) return null;
    plans.push(plan, () => {
      if (typeof gd.layout.title === 'string') gd.layout.title = titleText(after);
      else gd.layout.title.text = titleText(after);
      fl.title.text = titleText(after);
    });
  }
  const anns = after.annotations || [];
  for (let i = 0; i < anns.length; i++) {
    const a = before.annotations[i];
    if (isArrow(a)) {
      if (['x', 'y', 'ax', 'ay'].every((k) => a[k] === anns[i][k])) continue;
      const plan = arrowPlan(el, i, a, anns[i]);
      if (!plan) return null;
      plans.push(plan, () => {
        const { x, y, ax, ay } = anns[i];
        Object.assign(gd.layout.annotations[i], { x, y, ax, ay });
        if (fl.annotations[i]) Object.assign(fl.annotations[i], { x, y, ax, ay });
      });
      continue;
    }
    if (a.text === anns[i].text) continue;
    const centred = (anns[i].xanchor === 'center' && (!anns[i].align || anns[i].align === 'center'))
      || (anns[i].xanchor === 'left' && anns[i].align === 'left');
    const node = el.querySelector(`.annotation[data-index="${i}"] text.annotation-text`);
    const plan = centred && !anns[i].bgcolor && !anns[i].bordercolor && textPlan(node, a.text, anns[i].text);
    if (!plan) return null;
    plans.push(plan, () => {
      gd.layout.annotations[i].text = anns[i].text;
      if (fl.annotations[i]) fl.annotations[i].text = anns[i].text;
    });
  }
  const images = after.images || [];
  for (let i = 0; i < images.length; i++) {
    if (before.images[i].source === images[i].source) continue;
    const img = imageElement(el, i);
    if (!img) return null;
    const source = images[i].source;
    plans.push(() => {
      img.setAttribute('href', source);
      img.setAttributeNS('http://www.w3.org/1999/xlink', 'href', source);
      gd.layout.images[i].source = source;
      if (fl.images && fl.images[i]) fl.images[i].source = source;
    });
  }
  return plans;
}

// Write `fig` into the SVG if it differs from the frame on screen (el.__shown) only in what a run moves.
// `keys` are the frame's traces as JSON (live_plot.js compares them anyway). True when patched.
function patchFrame(el, fig, keys) {
  const now = el.__shown;
  if (!now || !el._fullLayout || fig.data.length !== now.fig.data.length) return false;
  const traceKeys = fig.data.map((t, i) => (keys[i] === now.keys[i] ? now.traceKeys[i] : traceKey(t)));
  if (traceKeys.some((k, i) => k !== now.traceKeys[i])) return false;
  if (layoutKey(fig.layout) !== now.layoutKey) return false;
  const plans = layoutPlans(el, now.fig.layout, fig.layout || {});
  if (!plans) return false;
  const changed = [];
  for (let i = 0; i < fig.data.length; i++) {
    if (keys[i] === now.keys[i]) continue;
    const t = fig.data[i];
    const before = now.fig.data[i];
    const how = movable(t);
    if (how && (JSON.stringify(t.x) !== JSON.stringify(before.x) || JSON.stringify(t.y) !== JSON.stringify(before.y))) {
      const full = (el._fullData || []).find((f) => f.index === i);
      if (!full) return false;
      if (full.visible === true) {                 // a trace only in the legend has nothing on the plot to move
        const plan = how === 'lines' ? linePlan(el, i, t) : markerPlan(el, i, t);
        if (!plan) return false;
        plans.push(plan);
      }
    }
    changed.push(i);
  }
  for (const plan of plans) plan();
  for (const i of changed) {                       // plotly's copy follows the frame; its calcdata waits
    for (const f of MOVING) if (f in fig.data[i]) el.data[i][f] = fig.data[i][f];   // the rest is equal (traceKey),
    el.__staleTraces.add(i);                                                           // or a legend click's to keep
  }
  el.__shown = { layoutKey: now.layoutKey, traceKeys, keys, fig: { ...fig, data: fig.data.map((t, i) => el.data[i]) } };
  return true;
}

// A frame for Plotly.react in which every patched trace's arrays are new, so plotly recomputes them.
function withFreshTraces(el, data) {
  if (!el.__staleTraces || !el.__staleTraces.size) return data;
  const out = data.map((t, i) => {
    if (!el.__staleTraces.has(i)) return t;
    const copy = { ...t };
    for (const f of MOVING) if (Array.isArray(copy[f])) copy[f] = copy[f].slice();
    return copy;
  });
  el.__staleTraces.clear();
  return out;
}
