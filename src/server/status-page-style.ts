/** The status page's stylesheet (inline; allowed by its SHA-256 hash in the page's Content-Security-Policy). */
export const STATUS_PAGE_STYLE = `
:root {
  --bg: #f4f6f9; --card: #ffffff; --ink: #17202c; --muted: #5d6b7e; --line: #e2e7ee;
  --ok: #12805c; --ok-bg: #e3f5ec; --warn: #9a5b00; --warn-bg: #fff2d6; --bad: #b42318; --bad-bg: #fde7e5;
  --idle: #55606e; --idle-bg: #eceff3; --info: #1d5fb8; --info-bg: #e4eefb; --dlq: #6b3fb5; --dlq-bg: #efe8fb;
  --accent: #1d5fb8;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 14px; color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
header { display: flex; align-items: center; justify-content: space-between; gap: 16px; padding: 14px 28px;
  background: #0f2740; color: #fff; }
.brand { font-size: 18px; font-weight: 650; letter-spacing: 0.2px; display: flex; align-items: center; gap: 10px; }
.brand small { font-weight: 400; color: #a9bdd3; font-size: 13px; }
.logo { display: inline-grid; place-items: center; width: 28px; height: 28px; border-radius: 7px; background: #2d7ff9; font-size: 17px; }
.conn { font-size: 12.5px; padding: 4px 10px; border-radius: 999px; background: rgba(255,255,255,0.12); color: #d8e4f1; }
.conn.live::before { content: ""; display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: #3ddc97; margin-right: 7px; }
.conn.down { background: #7a1d16; color: #fff; }
main { max-width: 1240px; margin: 0 auto; padding: 22px 28px 8px; }
.summary { color: var(--muted); margin: 0 0 14px; }
.empty { color: var(--muted); padding: 40px 0; text-align: center; }
.pipeline { background: var(--card); border: 1px solid var(--line); border-radius: 12px; margin-bottom: 22px;
  box-shadow: 0 1px 2px rgba(16,24,40,0.05); overflow: hidden; }
.pipeline > .head { display: flex; flex-wrap: wrap; align-items: center; gap: 10px 14px; padding: 16px 20px; border-bottom: 1px solid var(--line); }
.pipeline h2 { font-size: 17px; margin: 0; }
.badge { display: inline-block; padding: 3px 10px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.state-ok { color: var(--ok); background: var(--ok-bg); }
.state-warn { color: var(--warn); background: var(--warn-bg); }
.state-bad { color: var(--bad); background: var(--bad-bg); }
.state-idle { color: var(--idle); background: var(--idle-bg); }
.source { color: var(--muted); font-size: 13px; }
.source code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; color: var(--ink);
  background: var(--bg); padding: 2px 6px; border-radius: 5px; word-break: break-all; }
.head .spacer { flex: 1; }
.lanes { font-size: 13px; color: var(--muted); }
.lanes b { color: var(--ink); }
.counters { display: grid; grid-template-columns: repeat(auto-fit, minmax(132px, 1fr)); gap: 1px; background: var(--line);
  border-bottom: 1px solid var(--line); }
.counter { background: var(--card); padding: 12px 16px; }
.counter .label { font-size: 11.5px; text-transform: uppercase; letter-spacing: 0.5px; color: var(--muted); }
.counter .value { font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; margin-top: 2px; }
.counter .rate { font-size: 12px; color: var(--muted); font-variant-numeric: tabular-nums; }
.counter.tone-bad .value { color: var(--bad); }
.counter.tone-dlq .value { color: var(--dlq); }
.counter.zero .value { color: #9aa5b4; }
.body { display: grid; grid-template-columns: minmax(260px, 1fr) minmax(380px, 1.7fr); gap: 0; }
.body > section { padding: 14px 20px 18px; }
.body > section + section { border-left: 1px solid var(--line); }
h3 { font-size: 12.5px; text-transform: uppercase; letter-spacing: 0.6px; color: var(--muted); margin: 4px 0 10px; font-weight: 650; }
.throughput { display: flex; align-items: center; gap: 14px; margin-bottom: 16px; }
.throughput .big { font-size: 20px; font-weight: 650; font-variant-numeric: tabular-nums; }
.throughput .sub { color: var(--muted); font-size: 12px; }
svg.spark { width: 160px; height: 38px; flex: none; }
svg.spark .area { fill: #dce9fb; stroke: none; }
svg.spark .line { fill: none; stroke: var(--accent); stroke-width: 1.6; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th { text-align: left; font-size: 11.5px; font-weight: 600; color: var(--muted); padding: 6px 8px; border-bottom: 1px solid var(--line); }
td { padding: 7px 8px; border-bottom: 1px solid #eef1f5; vertical-align: top; }
td.num, th.num { text-align: right; }
td.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
td.muted, .muted { color: var(--muted); }
.age-ok { color: var(--ok); } .age-warn { color: var(--warn); } .age-bad { color: var(--bad); font-weight: 600; }
.events { max-height: 420px; overflow-y: auto; }
.events td.time { white-space: nowrap; color: var(--muted); font-size: 12.5px; width: 1%; }
.events td.kind { white-space: nowrap; width: 1%; }
.events td.detail { word-break: break-word; }
.events td.shard { white-space: nowrap; font-size: 11.5px; width: 1%; }
.events .note { color: var(--muted); font-size: 12px; margin-top: 2px; }
.kind-batch-failed, .kind-error, .kind-dropped { color: var(--bad); background: var(--bad-bg); }
.kind-partial-failure { color: var(--warn); background: var(--warn-bg); }
.kind-on-failure { color: var(--dlq); background: var(--dlq-bg); }
.kind-state-changed { color: var(--info); background: var(--info-bg); }
.result { margin-top: 16px; font-size: 13px; color: var(--muted); }
.result b { color: var(--ink); font-weight: 600; }
.last-error { margin-top: 8px; padding: 8px 10px; border-radius: 8px; background: var(--bad-bg); color: var(--bad); font-size: 12.5px; word-break: break-word; }
footer { max-width: 1240px; margin: 0 auto; padding: 4px 28px 28px; color: var(--muted); font-size: 12.5px; }
footer a { color: var(--accent); }
@media (max-width: 820px) { .body { grid-template-columns: 1fr; } .body > section + section { border-left: 0; border-top: 1px solid var(--line); } }
`;
