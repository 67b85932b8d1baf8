// nnplay's digit canvas: 280×280, white ink; a finished stroke goes to Python as a PNG data URL (views/ui/components.py).
export default function (component) {
  const { parentElement, setStateValue, data } = component;
  if (parentElement.querySelector('.nnplay-canvas')) return;
  const wrap = document.createElement('div');
  wrap.className = 'nnplay-canvas';
  wrap.innerHTML = '<canvas width="280" height="280" style="background:#111;border-radius:8px;' +
    'touch-action:none;cursor:crosshair;display:block"></canvas>' +
    '<button type="button" style="margin-top:6px">Clear</button>';
  parentElement.appendChild(wrap);
  const canvas = wrap.querySelector('canvas');
  const ctx = canvas.getContext('2d');
  ctx.lineCap = 'round'; ctx.lineJoin = 'round';
  ctx.strokeStyle = '#fff'; ctx.fillStyle = '#fff';
  ctx.lineWidth = (data && data.pen) || 20;
  let drawing = false, last = null;
  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height];
  };
  canvas.addEventListener('pointerdown', (e) => {
    drawing = true; canvas.setPointerCapture(e.pointerId); last = at(e);
    ctx.beginPath(); ctx.arc(last[0], last[1], ctx.lineWidth / 2, 0, 2 * Math.PI); ctx.fill();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    const p = at(e);
    ctx.beginPath(); ctx.moveTo(last[0], last[1]); ctx.lineTo(p[0], p[1]); ctx.stroke(); last = p;
  });
  const end = () => { if (drawing) { drawing = false; setStateValue('png', canvas.toDataURL('image/png')); } };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  wrap.querySelector('button').addEventListener('click', () => {
    ctx.clearRect(0, 0, canvas.width, canvas.height); setStateValue('png', null);
  });
}
