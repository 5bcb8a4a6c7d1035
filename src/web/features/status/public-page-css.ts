/** The public page's stylesheet, inlined in its HTML (one request, nothing to block rendering). Mobile first. */
export const publicPageCss = `
:root{--ink:#17202b;--muted:#5f6b7a;--line:#e3e6eb;--bg:#f5f6f8;--card:#fff;--ok:#15803d;--minor:#ca8a04;--partial:#ea580c;--major:#dc2626;--maint:#2563eb;--nodata:#d7dbe0;
font-family:ui-sans-serif,system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:15px;line-height:1.5;color:var(--ink);background:var(--bg)}
*{box-sizing:border-box}body{margin:0}
.wrap{max-width:860px;margin:0 auto;padding:16px 14px 40px}
h1{font-size:1.45rem;margin:0 0 12px}h2{font-size:1.05rem;margin:28px 0 10px}h3{font-size:.95rem;margin:0 0 6px}
.brand{margin:0;color:var(--muted);font-weight:600;letter-spacing:.02em}
.banner{padding:12px 14px;border-radius:10px;color:#fff;font-weight:650;background:var(--ok)}
.banner-minor{background:var(--minor)}.banner-major{background:var(--partial)}.banner-critical{background:var(--major)}
section{margin:0}.hint{color:var(--muted);font-size:.85rem;margin:6px 0 10px}
.incident,.group,.statement,.past,.subscribe form{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px;margin-bottom:10px}
.incident{border-left:5px solid var(--minor)}.impact-major{border-left-color:var(--partial)}.impact-critical{border-left-color:var(--major)}.impact-maintenance{border-left-color:var(--maint)}
.meta{color:var(--muted);font-size:.85rem;margin:0 0 6px}
.updates{list-style:none;margin:0;padding:0}.updates li{padding:6px 0;border-top:1px solid var(--line);font-size:.92rem}.updates li:first-child{border-top:0}
.updates time{display:block;color:var(--muted);font-size:.8rem}
.component{padding:10px 0;border-top:1px solid var(--line)}.group h3{display:flex;justify-content:space-between;align-items:center;gap:8px}
.row{display:flex;justify-content:space-between;align-items:center;gap:8px}.small{font-size:.78rem;color:var(--muted)}.name{font-weight:550}
.pill{font-size:.78rem;font-weight:600;padding:2px 8px;border-radius:99px;white-space:nowrap;color:var(--ok);background:#e8f5ec}
.pill-degraded_performance{color:#854d0e;background:#fef3c7}.pill-partial_outage{color:#9a3412;background:#ffedd5}.pill-major_outage{color:#991b1b;background:#fee2e2}.pill-under_maintenance{color:#1e40af;background:#dbeafe}
.bars{display:flex;gap:1px;height:28px;margin:8px 0 4px}.bar{flex:1;border-radius:1px;background:var(--ok);min-width:1px}
.bar.nodata{background:var(--nodata)}.bar.minor{background:var(--minor)}.bar.partial{background:var(--partial)}.bar.major{background:var(--major)}.bar.maint{background:var(--maint)}
.scroll{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:10px}
table{border-collapse:collapse;width:100%;font-size:.88rem}th,td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--line);white-space:nowrap}th{color:var(--muted);font-weight:600}
td.met{color:var(--ok)}td.missed{color:var(--major);font-weight:600}
.roadmap{list-style:none;padding:0;margin:0}.roadmap li{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 12px;margin-bottom:8px}
.tag{font-size:.75rem;font-weight:650;padding:1px 7px;border-radius:6px;background:#eef0f3}.tag-in_progress{background:#dbeafe;color:#1e40af}.tag-done{background:#e8f5ec;color:var(--ok)}
.muted{color:var(--muted)}summary{cursor:pointer}.past .updates{margin-top:8px}
label{display:block;font-weight:600;font-size:.9rem;margin-bottom:6px}input{flex:1;min-width:0;font:inherit;padding:9px 10px;border:1px solid #cfd4db;border-radius:8px}
button{font:inherit;font-weight:600;padding:9px 14px;border-radius:8px;border:0;background:#0f766e;color:#fff;cursor:pointer}
a{color:#0b5f58}.foot{margin-top:28px;color:var(--muted);font-size:.8rem;text-align:center}
@media (min-width:720px){.wrap{padding:32px 24px 56px}h1{font-size:1.8rem}.bars{height:34px;gap:2px}}
`;
