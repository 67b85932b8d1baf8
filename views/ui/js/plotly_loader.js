// plotly.js for nnplay's own components (the live plot, the static figures' SVG button): the copy that ships
// inside the plotly package, served by Streamlit's static file serving (components._ensure_plotly_js), loaded
// once per window. components._component puts this file before the component's own JavaScript.
function loadPlotly() {
  if (window.Plotly) return Promise.resolve();
  window.__nnplayPlotly = window.__nnplayPlotly || new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = new URL('app/static/plotly.min.js', document.baseURI).href;
    s.onload = resolve;
    s.onerror = () => reject(new Error('plotly.js could not be loaded'));
    document.head.appendChild(s);
  });
  return window.__nnplayPlotly;
}

