// "Download plot as an SVG" on the static figures (views/ui/components.figure: Streamlit's own plotly chart, whose
// modebar has only plotly's camera, a PNG at scale 2 from PLOTLY_CONFIG). A config in JSON cannot carry a
// button's function, so this watches the page and puts a second button beside each static chart's camera; a
// click draws the chart's own data and layout (Streamlit's theme included) as an SVG with nnplay's plotly.js
// (js/plotly_loader.js) and downloads it as nnplay-figure.svg. The live plots add theirs in js/live_plot.js.
const SVG_TITLE = 'Download plot as an SVG';

function addSvgButtons(root) {
  for (const camera of root.querySelectorAll('[data-testid="stPlotlyChart"] .modebar-btn[data-title^="Download plot"]')) {
    const group = camera.parentNode;
    if (!group || camera.dataset.title === SVG_TITLE || group.querySelector(`[data-title="${SVG_TITLE}"]`)) continue;
    const button = camera.cloneNode(true);           // plotly's look and icon; no listener comes with a clone
    button.setAttribute('data-title', SVG_TITLE);
    button.removeAttribute('data-attr');
    button.removeAttribute('data-val');
    button.addEventListener('click', (event) => {
      event.preventDefault();
      event.stopPropagation();
      const gd = button.closest('.js-plotly-plot');
      if (gd) downloadSvg(gd);
    });
    group.appendChild(button);
  }
}

async function downloadSvg(gd) {
  await loadPlotly();
  const full = gd._fullLayout || {};
  const options = (gd._context && gd._context.toImageButtonOptions) || {};
  await window.Plotly.downloadImage({ data: gd.data, layout: gd.layout }, {
    format: 'svg', scale: 1, width: full.width, height: full.height, filename: options.filename || 'nnplay-figure',
  });
}

export default function () {
  if (window.__nnplayFigureSvg) return;                 // one watcher per window, whatever page runs
  window.__nnplayFigureSvg = new MutationObserver(() => addSvgButtons(document));
  window.__nnplayFigureSvg.observe(document.body, { childList: true, subtree: true });
  addSvgButtons(document);
}
