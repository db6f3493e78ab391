// A line chart of two series (deliveries per minute: success and failed) as inline SVG built
// with createElementNS; no markup strings. The text alternative is the caller's (a summary
// and a table), the SVG carries a short title and description.
const SVG = 'http://www.w3.org/2000/svg';
const W = 720;
const H = 260;
const PAD = { left: 48, right: 16, top: 30, bottom: 40 };

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A "nice" upper bound for the y axis: four equal integer steps of 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten. */
function niceMax(max) {
  const raw = Math.max(1, max / 4);
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    const step = m * power;
    if (step >= raw && Number.isInteger(step)) return step * 4;
  }
  return Math.ceil(raw) * 4;
}

export function hhmm(iso) {
  const d = new Date(iso);
  return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
}

/**
 * minutes: [{start, success, failed}] oldest first. series: [{key, label, className}].
 * title and summary become the SVG's accessible name and description.
 */
export function lineChart(minutes, series, title, summary) {
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-labelledby': 'chart-title chart-desc', focusable: 'false' });
  root.append(svg('title', { id: 'chart-title' }, title), svg('desc', { id: 'chart-desc' }, summary));
  const n = Math.max(minutes.length, 2);
  const max = niceMax(Math.max(0, ...minutes.flatMap((m) => series.map((s) => Number(m[s.key]) || 0))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i) => PAD.left + (plotW * i) / (n - 1);
  const y = (v) => PAD.top + plotH - (plotH * v) / max;

  // Horizontal grid lines with their values (y axis), and the axis titles.
  for (let t = 0; t <= 4; t++) {
    const v = (max * t) / 4;
    root.append(svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'grid' }),
      svg('text', { x: PAD.left - 6, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, String(Math.round(v))));
  }
  // Time labels every quarter of the range, and the last minute at the right edge.
  const step = Math.max(1, Math.round((minutes.length - 1) / 4));
  const last = minutes.length - 1;
  const marks = [];
  for (let i = 0; i < last; i += step) marks.push(i);
  if (marks.length > 1 && last - marks[marks.length - 1] < step / 2) marks.pop();
  if (last >= 0) marks.push(last);
  for (const i of marks) {
    const anchor = i === 0 ? 'start' : i === last ? 'end' : 'middle';
    root.append(svg('text', { x: x(i), y: H - PAD.bottom + 18, class: 'tick', 'text-anchor': anchor }, hhmm(minutes[i].start)));
  }
  root.append(svg('text', { x: W - PAD.right, y: H - 6, class: 'axis-title', 'text-anchor': 'end' }, 'time (minute started)'),
    svg('text', { x: 4, y: 14, class: 'axis-title' }, 'deliveries per minute'));
  root.append(svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(0), y2: y(0), class: 'axis' }));

  for (const s of series) {
    const points = minutes.map((m, i) => `${x(i).toFixed(1)},${y(Number(m[s.key]) || 0).toFixed(1)}`).join(' ');
    root.append(svg('polyline', { points, class: 'series ' + s.className, fill: 'none' }));
  }
  return root;
}
