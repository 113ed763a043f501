/// The dashboard's stylesheet.
enum DashboardStyle {
    static let css = """
        :root { --bg: #f7f7f9; --fg: #1d1d24; --muted: #6b6b78; --line: #dedee6; --card: #fff; --accent: #4a3aff;
          --ok: #1a7f45; --bad: #c22f2f; --wait: #b36b00; --run: #2f62c2; --mono: ui-monospace, "DejaVu Sans Mono", monospace; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, "DejaVu Sans", sans-serif; background: var(--bg); color: var(--fg); }
        header.top { display: flex; gap: 24px; align-items: center; padding: 10px 24px; background: #15151c; }
        header.top a { color: #e8e8ef; text-decoration: none; }
        header.top .brand { font-weight: 700; }
        header.top nav { display: flex; gap: 16px; }
        header.top nav a[aria-current] { color: #fff; border-bottom: 2px solid var(--accent); }
        main { padding: 16px 24px 48px; max-width: 1280px; }
        h1 { font-size: 22px; margin: 8px 0 12px; } h2 { font-size: 16px; margin: 22px 0 8px; } h3 { font-size: 13px; margin: 10px 0 4px; }
        a { color: var(--accent); }
        table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); }
        th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-weight: 600; color: var(--muted); font-size: 12px; }
        .mono, pre, code { font-family: var(--mono); font-size: 12px; }
        pre { background: var(--card); border: 1px solid var(--line); padding: 8px 10px; overflow: auto; max-height: 320px; white-space: pre-wrap; word-break: break-word; }
        pre.error { border-color: #f0c4c4; background: #fff6f6; }
        .muted { color: var(--muted); }
        .status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; background: #ececf2; }
        .s-completed { background: #dff3e7; color: var(--ok); } .s-failed { background: #fbe3e3; color: var(--bad); }
        .s-cancelled, .s-skipped { background: #ececf2; color: var(--muted); }
        .s-running, .s-queued { background: #e2eafb; color: var(--run); }
        .s-waiting, .s-sleeping, .s-invoking, .s-retrying { background: #fdf0da; color: var(--wait); }
        .filters, .bulk, .actions { display: flex; flex-wrap: wrap; gap: 10px; align-items: end; margin: 8px 0 12px; }
        .filters label, .card label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
        input, select, textarea { font: inherit; padding: 5px 7px; border: 1px solid var(--line); border-radius: 4px; background: #fff; color: var(--fg); }
        textarea { font-family: var(--mono); font-size: 12px; width: 100%; }
        button, .button { font: inherit; padding: 5px 12px; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; }
        button.secondary, .button.secondary { background: #fff; color: var(--accent); }
        button.danger { background: #fff; color: var(--bad); border-color: var(--bad); }
        .card { background: var(--card); border: 1px solid var(--line); padding: 12px; max-width: 640px; display: flex; flex-direction: column; gap: 8px; margin-bottom: 16px; }
        .form-error { color: var(--bad); margin: 0; }
        .facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 6px 0; }
        .facts dt { color: var(--muted); } .facts dd { margin: 0; }
        .timeline { background: var(--card); border: 1px solid var(--line); padding: 8px 10px; }
        .timeline .scale { display: flex; justify-content: space-between; color: var(--muted); font-size: 11px; margin-left: 240px; }
        .lane { display: grid; grid-template-columns: 240px 1fr 220px; gap: 8px; align-items: center; padding: 2px 0; }
        .lane-label { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
        .lane-note { font-size: 11px; color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
        .track { width: 100%; height: 14px; background: #f0f0f5; }
        .bar { fill: var(--run); } .bar.s-completed { fill: var(--ok); } .bar.s-failed { fill: var(--bad); }
        .bar.k-sleep, .bar.k-waitForEvent, .bar.k-waitForSignal, .bar.k-invoke { fill: #e3a33b; } .bar.s-sleeping, .bar.s-waiting, .bar.s-invoking { opacity: .6; }
        .attempt-failed { fill: #f2a7a7; }
        .kind { font-family: var(--mono); font-size: 11px; padding: 0 5px; border-radius: 3px; background: #ececf2; color: var(--muted); }
        .tag { font-size: 11px; padding: 0 6px; border-radius: 3px; background: #e9e6ff; color: var(--accent); }
        details.step { background: var(--card); border: 1px solid var(--line); padding: 6px 10px; margin: 6px 0; }
        details.step summary { cursor: pointer; }
        .crumbs { color: var(--muted); margin: 0; }
        .pager { margin-top: 12px; }
        """
}
