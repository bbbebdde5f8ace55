/** The report's stylesheet: readable on screen and in print, light and dark. */
export const REPORT_CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --line: #d1d9e0; --soft: #f6f8fa;
  --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --err: #8250df; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #3d444d; --soft: #151b23;
  --ok: #3fb950; --bad: #f85149; --warn: #d29922; --err: #ab7df8; } }
* { box-sizing: border-box; }
body { font: 15px/1.55 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: var(--fg); background: var(--bg); max-width: 1100px; margin: 0 auto; padding: 24px 32px 64px; }
h1 { font-size: 2em; margin: 0 0 4px; } h2 { border-bottom: 1px solid var(--line); padding-bottom: 4px; margin-top: 40px; }
nav { margin: 8px 0 16px; } a { color: #0969da; } @media (prefers-color-scheme: dark) { a { color: #4493f8; } }
.meta, .muted, .count, figcaption, .caption { color: var(--muted); }
.caption { margin: 12px 0 4px; font-weight: 600; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.88em; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; overflow-x: auto; }
details > summary { cursor: pointer; color: var(--muted); font-family: ui-monospace, monospace; }
.cell { margin: 16px 0; }
.table-wrap { overflow-x: auto; }
table.data { border-collapse: collapse; margin: 6px 0; font-size: 0.9em; }
table.data th, table.data td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; max-width: 420px; overflow-wrap: anywhere; }
table.data th { background: var(--soft); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; font-weight: 700; font-size: 0.8em; letter-spacing: 0.04em; text-transform: uppercase; color: #fff; padding: 1px 8px; border-radius: 10px; white-space: nowrap; }
.v-supported .badge, .badge.v-supported { background: var(--ok); } .v-contradicted .badge, .badge.v-contradicted { background: var(--bad); }
.v-inconclusive .badge, .badge.v-inconclusive { background: var(--warn); } .v-error .badge, .badge.v-error { background: var(--err); }
.claim { border: 1px solid var(--line); border-left: 5px solid var(--muted); border-radius: 6px; padding: 10px 16px; margin: 16px 0; }
.claim.v-supported { border-left-color: var(--ok); } .claim.v-contradicted { border-left-color: var(--bad); } .claim.v-inconclusive { border-left-color: var(--warn); } .claim.v-error { border-left-color: var(--err); }
.claim-head .statement { font-size: 1.15em; font-weight: 600; margin-left: 6px; }
.judgement { border: 1px dashed var(--line); padding: 6px 10px; border-radius: 6px; margin: 8px 0; }
.rules { list-style: none; padding-left: 0; } .rules li { margin: 2px 0; }
.ach-C { color: var(--ok); } .ach-I { color: var(--bad); font-weight: 600; } .ach-N { color: var(--muted); }
.bad { color: var(--bad); } .warning { color: var(--warn); } .error { color: var(--bad); border: 1px solid var(--bad); border-radius: 6px; padding: 6px 10px; }
figure.chart { margin: 12px 0; overflow-x: auto; } figure.chart svg { max-width: 100%; height: auto; background: #fff; border-radius: 4px; }
.image-ref { color: var(--muted); font-style: italic; }
@media print { nav { display: none; } details { display: block; } body { max-width: none; } }
`;
