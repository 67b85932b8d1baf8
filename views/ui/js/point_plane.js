// nnplay's clickable plane: the student's points, and a click sent as {x1, x2, id} in data coordinates (views/ui/components.py).
const CLASS = ['#f59322', '#0877bd', '#882255', '#332288', '#ddcc77'];   // style.CLASS_COLORS (tests/test_palette.py)

function draw(wrap) {
  const { points, extent, kind } = wrap.__data;
  const canvas = wrap.querySelector('canvas');
  const ctx = canvas.getContext('2d');
  const [x0, x1, y0, y1] = extent;
  const px = (x) => (x - x0) / (x1 - x0) * canvas.width;
  const py = (y) => (y1 - y) / (y1 - y0) * canvas.height;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#fafafa'; ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.strokeStyle = '#ddd'; ctx.lineWidth = 1;
  for (const t of [-1, -0.5, 0.5, 1]) {
    ctx.beginPath(); ctx.moveTo(px(t), 0); ctx.lineTo(px(t), canvas.height); ctx.stroke();
    ctx.beginPath(); ctx.moveTo(0, py(t)); ctx.lineTo(canvas.width, py(t)); ctx.stroke();
  }
  ctx.strokeStyle = '#999';
  ctx.beginPath(); ctx.moveTo(px(0), 0); ctx.lineTo(px(0), canvas.height); ctx.stroke();
  ctx.beginPath(); ctx.moveTo(0, py(0)); ctx.lineTo(canvas.width, py(0)); ctx.stroke();
  ctx.fillStyle = '#666'; ctx.font = '11px sans-serif';
  ctx.fillText('x₁', canvas.width - 16, py(0) - 4); ctx.fillText('x₂', px(0) + 4, 12);
  ctx.fillText('1', px(1) + 2, py(0) + 12); ctx.fillText('1', px(0) + 4, py(1) - 2);
  const labels = points.map((p) => p[2]);
  const lo = Math.min(...labels), hi = Math.max(...labels);
  for (const [a, b, label] of points) {
    let colour = CLASS[Math.round(label)] || '#333';
    if (kind === 'values') {
      const t = hi > lo ? (label - lo) / (hi - lo) : 0.5;
      colour = `rgb(${Math.round(245 + t * (8 - 245))}, ${Math.round(147 + t * (119 - 147))}, ${Math.round(34 + t * (189 - 34))})`;
    }
    ctx.beginPath(); ctx.arc(px(a), py(b), 5, 0, 2 * Math.PI);
    ctx.fillStyle = colour; ctx.fill(); ctx.strokeStyle = '#fff'; ctx.lineWidth = 1; ctx.stroke();
  }
  wrap.dataset.points = String(points.length);
}

export default function (component) {
  const { parentElement, setStateValue, data } = component;
  let wrap = parentElement.querySelector('.nnplay-plane');
  if (!wrap) {
    wrap = document.createElement('div');
    wrap.className = 'nnplay-plane';
    wrap.innerHTML = '<canvas width="' + data.size + '" height="' + data.size + '" style="border:1px solid #ccc;' +
      'border-radius:6px;cursor:crosshair;display:block;touch-action:manipulation"></canvas>';
    parentElement.appendChild(wrap);
    wrap.querySelector('canvas').addEventListener('click', (e) => {
      const canvas = e.currentTarget, r = canvas.getBoundingClientRect();
      const [x0, x1, y0, y1] = wrap.__data.extent;
      const a = x0 + (e.clientX - r.left) / r.width * (x1 - x0);
      const b = y1 - (e.clientY - r.top) / r.height * (y1 - y0);
      const id = Date.now().toString(36) + Math.random().toString(36).slice(2);
      wrap.__set('click', { x1: a, x2: b, id });
    });
  }
  wrap.__set = setStateValue;
  wrap.__data = data;
  draw(wrap);
}
