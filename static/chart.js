// chart.js — small SVG charts built element by element (createElementNS
// through dom.svg), never from markup. Colours come from the stylesheet
// (classes), so charts follow the page's palette.

import {svg} from './dom.js';

// barChart draws a horizontal bar chart: one row per item, the label on
// the left, the bar and its formatted value on the right. Items are
// {label, value, href?, title?, others?}; bars are scaled to the largest
// value of an item that is not others (the rest summed in one bar: 其他 N
// 个县区); an others bar longer than that is drawn to the end of the track,
// paler and cut by a break mark, with its value, so that it does not
// shrink every other bar to a sliver.
export function barChart(items, {format = String, labelWidth = 92, width = 520, row = 24, ariaLabel = ''} = {}) {
  const own = items.filter((d) => !d.others);
  const max = Math.max(0, ...(own.length ? own : items).map((d) => d.value));
  const valueWidth = 86;
  const barMax = width - labelWidth - valueWidth - 12;
  const height = Math.max(row, items.length * row) + 4;
  const root = svg('svg', {
    class: 'chart', viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': ariaLabel,
    preserveAspectRatio: 'xMinYMin meet',
  });
  items.forEach((d, i) => {
    const y = i * row + 2;
    const cut = Boolean(d.others) && d.value > max;
    const w = cut ? barMax : max > 0 ? Math.max(d.value > 0 ? 1.5 : 0, (d.value / max) * barMax) : 0;
    const bx = labelWidth + barMax * 0.8;
    const g = svg('g', {class: 'chart-row'},
      svg('title', null, d.title || `${d.label}: ${format(d.value)}`),
      svg('text', {x: labelWidth - 8, y: y + row / 2 + 4, 'text-anchor': 'end', class: 'chart-label'}, d.label),
      svg('rect', {x: labelWidth, y: y + 4, width: barMax, height: row - 8, rx: 2, class: 'chart-track'}),
      svg('rect', {x: labelWidth, y: y + 4, width: w.toFixed(1), height: row - 8, rx: 2, class: cut ? 'chart-bar chart-bar-cut' : 'chart-bar'}),
      cut ? svg('path', {d: `M${bx} ${y + row - 2} L${bx + 5} ${y + 2} M${bx + 5} ${y + row - 2} L${bx + 10} ${y + 2}`, class: 'chart-break'}) : null,
      svg('text', {x: labelWidth + w + 6, y: y + row / 2 + 4, class: 'chart-value'}, format(d.value)));
    if (d.href) {
      root.appendChild(svg('a', {href: d.href, class: 'chart-link'}, g));
    } else {
      root.appendChild(g);
    }
  });
  return root;
}

// meter is a thin progress bar for a share in [0, 1] (values above 1 are
// drawn full).
export function meter(share, {width = 160, height = 6, label = ''} = {}) {
  const f = Math.max(0, Math.min(1, Number(share) || 0));
  return svg('svg', {class: 'meter', viewBox: `0 0 ${width} ${height}`, width: '100%', height, preserveAspectRatio: 'none', role: 'img', 'aria-label': label},
    svg('rect', {x: 0, y: 0, width, height, rx: height / 2, class: 'meter-track'}),
    svg('rect', {x: 0, y: 0, width: (f * width).toFixed(1), height, rx: height / 2, class: 'meter-bar'}));
}
