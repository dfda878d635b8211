/// The status page's stylesheet, inlined so the page is one self-contained response.
enum StatusPageStyle {
    static let css = """
        :root{color-scheme:light;--fg:#1f2328;--muted:#59636e;--line:#d8dee4;--bg:#f6f8fa;--card:#fff;--accent:#0969da}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","Liberation Sans",Arial,sans-serif}
        header{background:#24292f;color:#f6f8fa;padding:14px 32px 12px}
        header h1{margin:0;font-size:22px;font-weight:600}
        header h1 span{font-weight:400;color:#afb8c1}
        header p{margin:4px 0 8px;color:#d0d7de}
        header nav{font-size:13px;color:#afb8c1}
        header nav a{color:#fff;margin-right:10px;text-decoration:none;border-bottom:1px solid #6e7781}
        header nav .sep{margin:0 10px 0 2px}
        main{max-width:1232px;margin:0 auto;padding:4px 24px 8px}
        section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 18px;margin-top:12px}
        h2{font-size:16px;margin:0 0 8px}
        h3{font-size:14px;margin:12px 0 6px}
        .muted{font-weight:400;color:var(--muted);font-size:13px;margin-left:6px}
        table{width:100%;border-collapse:collapse}
        th,td{text-align:left;padding:6px 10px;border-top:1px solid var(--line);vertical-align:top}
        thead th{border-top:none;font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600;padding-bottom:4px}
        thead th small{text-transform:none;font-size:11px}
        th.repo{font-weight:600;white-space:nowrap;width:13%}
        th.team .detail{display:block;white-space:normal;font-weight:400}
        tr.teams th{font-size:12px;color:var(--muted);font-weight:600;padding-top:10px}
        tr.teams small{font-weight:400}
        table.dora td{width:17%}
        table.dora td:first-of-type{width:19%}
        .value{margin-right:6px;font-size:17px;font-weight:600;font-variant-numeric:tabular-nums}
        .value small{font-size:12px;font-weight:400;color:var(--muted)}
        .detail{display:block;color:var(--muted);font-size:12px}
        .nodata{color:var(--muted);font-style:italic;font-weight:400;font-size:13px}
        td.incomplete .incomplete{color:var(--muted);font-style:italic;font-weight:600;font-size:13px}
        .level,.outcome{display:inline-block;vertical-align:2px;padding:0 8px;border-radius:10px;font-size:11px;font-weight:600;letter-spacing:.03em;line-height:18px}
        .level-elite,.outcome-success{background:#dafbe1;color:#116329}
        .level-high{background:#ddf4ff;color:#0a3069}
        .level-medium,.outcome-rate_limited{background:#fff8c5;color:#6c4400}
        .level-low,.outcome-failed{background:#ffebe9;color:#a40e26}
        .level-none,.outcome-none,.outcome-cancelled,.outcome-other{background:#eaeef2;color:var(--muted);font-weight:400}
        table.sync td{font-variant-numeric:tabular-nums}
        .ratelimit{margin:10px 0 0}
        .ratelimit meter{width:160px;height:12px;vertical-align:middle;margin:0 6px}
        .value-inline{font-weight:600}
        .trend h3 .muted{font-size:12px}
        .charts{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:10px}
        figure{margin:0;padding:6px 8px 4px;border:1px solid var(--line);border-radius:6px}
        figcaption{font-size:12px;color:var(--muted);display:flex;justify-content:space-between;gap:6px}
        figcaption .latest{color:var(--fg);font-weight:600;font-variant-numeric:tabular-nums}
        .spark{display:block;width:100%;height:auto;margin-top:2px}
        .spark .line{fill:none;stroke:var(--accent);stroke-width:1.8;stroke-linejoin:round;stroke-linecap:round}
        .spark .base{stroke:var(--line);stroke-width:1}
        .spark .dot{fill:var(--accent)}
        .spark .last{fill:#fff;stroke:var(--accent);stroke-width:2}
        .axis{display:flex;justify-content:space-between;font-size:10px;color:var(--muted)}
        .chart-empty{height:56px;display:flex;align-items:center;justify-content:center}
        footer{color:var(--muted);font-size:12px;text-align:center;padding:12px 24px 20px}
        code{font-size:12px}
        """
}
