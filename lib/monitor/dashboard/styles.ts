/**
 * The page's only style sheet, inline (no external resource of any kind). Colours are variables so that the
 * viewer's dark preference swaps them in one place; the chart, drawn for a white page, is inverted in dark mode
 * with its hues turned back, which keeps series colours recognisable.
 */
export const DASHBOARD_CSS = `
:root{--bg:#f8fafc;--card:#fff;--text:#111827;--muted:#4b5563;--line:#e5e7eb;--good:#1b7837;--warn:#b45309;--bad:#b2182b;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0b1120;--card:#111827;--text:#e5e7eb;--muted:#9ca3af;--line:#374151;--good:#4ade80;--warn:#fbbf24;--bad:#f87171}
.chart svg{filter:invert(1) hue-rotate(180deg)}}
*{box-sizing:border-box}
body{margin:0;padding:16px;background:var(--bg);color:var(--text);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1200px;margin:0 auto}
h1{font-size:1.5rem;margin:0 0 4px}
h2{font-size:1.15rem;margin:28px 0 8px}
h3{font-size:1rem;margin:16px 0 6px}
.meta,.muted{color:var(--muted);font-size:.9rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px;margin-top:16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.card .label{color:var(--muted);font-size:.8rem}
.card .value{font-size:1.4rem;font-weight:600;font-variant-numeric:tabular-nums}
.good{color:var(--good)}.warn{color:var(--warn)}.bad{color:var(--bad)}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;background:var(--card);border:1px solid var(--line);border-radius:8px}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap;vertical-align:top}
th{color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.wrap{white-space:normal;min-width:16em}
.chart{background:#fff;border:1px solid var(--line);border-radius:8px;overflow-x:auto}
.chart svg{display:block;width:100%;height:auto}
details{margin-top:8px}summary{cursor:pointer;color:var(--muted)}
code{font-size:.85rem;white-space:pre-wrap;word-break:break-word}
ul.alerts{padding-left:20px}
/* On a phone the chart keeps a readable size and scrolls sideways, like the tables. */
@media (max-width:600px){body{padding:10px}.card .value{font-size:1.2rem}.chart svg{min-width:600px}}
`;
