/** The yield page's chart colours and text, matching globals.css (dark, high contrast). */
export const CHART = {
  margin: { top: 8, right: 8, bottom: 0, left: 0 },
  grid: '#2c3845',
  axis: '#9fb0c0',
  tick: { fill: '#9fb0c0', fontSize: 13 },
  legend: { fontSize: 14 },
  tooltip: { background: '#1a222c', border: '1px solid #2c3845', color: '#f2f5f8' },
  units: '#4aa3ff',
  firstPass: '#f5b942',
  final: '#2ecc71',
  failures: '#ff5c5c',
  cumulative: '#f2f5f8',
} as const;
