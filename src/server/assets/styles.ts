/** The one stylesheet. No inline styles anywhere (the CSP forbids them): heat levels are classes. */
export const STYLES = `
:root{--bg:#f7f8fa;--panel:#fff;--ink:#1c2330;--muted:#5d6778;--line:#dde1e8;--accent:#1f5fbf;--accent-ink:#fff;--code:#f3f5f8;
--crit:#8e1b1b;--high:#c2410c;--med:#a16207;--low:#2f6f3e;--info:#4b5563;--ok:#2f6f3e;--warn:#a16207;--err:#b42318;
--h0:#f1f3f6;--h1:#e3eefc;--h2:#c6dcf8;--h3:#9ec3f2;--h4:#6fa3e8;--h5:#4383db;--h6:#2763bf;--h7:#17438c;
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
@media (prefers-color-scheme:dark){:root{--bg:#11151c;--panel:#171c25;--ink:#e4e8ef;--muted:#9aa4b5;--line:#2b3240;--accent:#6ea8ff;--accent-ink:#0b1220;--code:#1d2430;
--h0:#1d2430;--h1:#1b2d48;--h2:#1e3a63;--h3:#234b82;--h4:#2b5fa3;--h5:#3a75c4;--h6:#5590de;--h7:#7fb0f5}}
*{box-sizing:border-box}
html{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
body{margin:0}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
h1{font-size:1.45rem;margin:.2rem 0 .4rem;line-height:1.25}h2{font-size:1.05rem;margin:0 0 .5rem}h3{font-size:.95rem;margin:.8rem 0 .3rem}
p{margin:.3rem 0 .6rem}
code,pre,.mono{font-family:var(--mono);font-size:12.5px}
.top{display:flex;align-items:center;gap:1.2rem;padding:.55rem 1.2rem;background:var(--panel);border-bottom:1px solid var(--line);position:sticky;top:0;z-index:5}
.brand{font-weight:700;font-size:1.05rem;color:var(--ink);letter-spacing:.01em}.brand span{color:var(--accent)}
.top nav{display:flex;gap:.2rem}.top nav a{padding:.3rem .6rem;border-radius:4px;color:var(--muted)}.top nav a.on,.top nav a:hover{color:var(--ink);background:var(--code);text-decoration:none}
.top form{margin-left:auto}.top input[type=search]{width:18rem}
input,select,textarea,button{font:inherit;color:inherit}
input[type=search],input[type=text],select{padding:.3rem .5rem;border:1px solid var(--line);border-radius:4px;background:var(--panel)}
button,.button{white-space:nowrap;padding:.3rem .7rem;border:1px solid var(--line);border-radius:4px;background:var(--panel);cursor:pointer;color:var(--ink);display:inline-block}
button.primary,.button.primary{background:var(--accent);color:var(--accent-ink);border-color:var(--accent)}
button:hover,.button:hover{border-color:var(--accent);text-decoration:none}
main{padding:1rem 1.2rem 2rem;max-width:1500px;margin:0 auto}
footer{padding:1rem 1.2rem;color:var(--muted);font-size:12px;border-top:1px solid var(--line);max-width:1500px;margin:0 auto}
.crumbs{display:flex;justify-content:space-between;font-size:13px;margin-bottom:.4rem}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.8rem 1rem;margin-bottom:.9rem}
.panel>h2{display:flex;align-items:baseline;gap:.5rem}
.panel>h2 small,.muted{color:var(--muted);font-weight:400;font-size:12px}
.prov{color:var(--muted);font-size:12px;margin-top:.4rem}
.cols{display:grid;grid-template-columns:15rem 1fr;gap:1rem;align-items:start}
.cols2{display:grid;grid-template-columns:1fr 1fr;gap:.9rem}
@media (max-width:900px){.cols,.cols2{grid-template-columns:1fr}}
.facets{font-size:13px}.facets h3{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:.9rem 0 .3rem}
.facets ul{list-style:none;margin:0;padding:0}.facets li{display:flex;justify-content:space-between;padding:.1rem 0}
.facets li a.on{font-weight:700}.facets li span{color:var(--muted)}
.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-bottom:.7rem}
.filters label{display:flex;flex-direction:column;font-size:11px;color:var(--muted);gap:.1rem}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:3px;font-size:11px;font-weight:700;letter-spacing:.03em;text-transform:uppercase;border:1px solid var(--line);background:var(--code);color:var(--ink);white-space:nowrap}
.badge.mono{text-transform:none;font-weight:600}
.sev-critical{background:var(--crit);color:#fff;border-color:var(--crit)}.sev-high{background:var(--high);color:#fff;border-color:var(--high)}
.sev-medium{background:var(--med);color:#fff;border-color:var(--med)}.sev-low{background:var(--low);color:#fff;border-color:var(--low)}.sev-informational{background:var(--info);color:#fff;border-color:var(--info)}
.f-error{color:var(--err);font-weight:700}.f-warning{color:var(--warn);font-weight:700}.f-info{color:var(--muted);font-weight:700}
.ok{color:var(--ok)}.bad{color:var(--err)}
.meta{display:flex;flex-wrap:wrap;gap:.35rem;align-items:center;margin:.3rem 0}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .9rem;font-size:13px;margin:.3rem 0}.kv dt{color:var(--muted)}.kv dd{margin:0;overflow-wrap:anywhere}
table.grid{border-collapse:collapse;width:100%;font-size:13px}
table.grid th,table.grid td{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
table.grid th{font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600;background:var(--panel)}
table.grid td.num,table.grid th.num{text-align:right;font-variant-numeric:tabular-nums}
table.grid tr:hover td{background:var(--code)}
.rulelist td:first-child{width:55%}
.ind td:first-child{width:14rem}.ind td:nth-child(2){width:7rem}
ul.vals{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .4rem}ul.vals li{background:var(--code);border:1px solid var(--line);border-radius:3px;padding:0 .35rem;font-family:var(--mono);font-size:12px}ul.vals li a,ul.vals li span{margin-left:.35rem;font-family:system-ui,sans-serif;font-weight:700}
.code{background:var(--code);border:1px solid var(--line);border-radius:4px;padding:.6rem .8rem;overflow:auto;max-height:34rem;white-space:pre;margin:.3rem 0;tab-size:4}
.code.wrap{white-space:pre-wrap;overflow-wrap:anywhere}
.code .k{color:#0b5cad;font-weight:600}.code .s{color:#1d6b2f}.code .c{color:#7b8494;font-style:italic}.code .n{color:#a23ea0}.code .p{color:#6b7280}.code .kw{color:#8f3f00;font-weight:600}.code .m{color:#7c3aed}
@media (prefers-color-scheme:dark){.code .k{color:#7cb7ff}.code .s{color:#8fd19e}.code .n{color:#e39ae0}.code .kw{color:#ffb26b}.code .m{color:#c4a5ff}}
.tabs{display:flex;flex-wrap:wrap;gap:.2rem;border-bottom:1px solid var(--line);margin:.3rem 0 0}
.tabs button{border:1px solid transparent;border-bottom:none;border-radius:4px 4px 0 0;background:none;padding:.3rem .65rem;color:var(--muted);font-size:13px}
.tabs button[aria-selected=true]{border-color:var(--line);background:var(--panel);color:var(--ink);font-weight:600;margin-bottom:-1px}
.tabs button .dot{display:inline-block;width:.5rem;height:.5rem;border-radius:50%;margin-right:.3rem;background:var(--ok)}.tabs button .dot.approx{background:var(--warn)}.tabs button .dot.fail{background:var(--err)}
.tabpanel{padding:.5rem 0}.tabpanel[hidden]{display:none}
.copyrow{display:flex;justify-content:space-between;align-items:center;gap:.5rem}
.notes{margin:.2rem 0;padding-left:1.1rem;font-size:13px}.notes li{margin:.1rem 0}
.pager{display:flex;gap:.5rem;align-items:center;margin-top:.7rem;font-size:13px}
.empty{color:var(--muted);font-style:italic}
.converter{display:grid;grid-template-columns:minmax(22rem,38%) 1fr;gap:1rem;align-items:start}
@media (max-width:1000px){.converter{grid-template-columns:1fr}}
.converter textarea{width:100%;min-height:36rem;font-family:var(--mono);font-size:12.5px;padding:.6rem;border:1px solid var(--line);border-radius:4px;background:var(--panel);resize:vertical;tab-size:4}
.status{font-size:12px;color:var(--muted);min-height:1.2rem}
.matrix{display:grid;grid-auto-flow:column;grid-auto-columns:minmax(8.6rem,1fr);gap:3px;overflow-x:auto;padding-bottom:.4rem}
.matrix .col{display:flex;flex-direction:column;gap:3px}
.matrix .tactic{font-size:11px;font-weight:700;padding:.3rem;background:var(--panel);border:1px solid var(--line);border-radius:3px;min-height:3.1rem}
.matrix .tactic small{display:block;font-weight:400;color:var(--muted)}
.cell{display:flex;justify-content:space-between;gap:.3rem;font-size:11px;line-height:1.25;padding:.25rem .3rem;border-radius:3px;color:var(--ink);border:1px solid transparent;text-decoration:none;overflow-wrap:anywhere}
.cell:hover{border-color:var(--ink);text-decoration:none}.cell b{font-variant-numeric:tabular-nums}
.cell.sel{outline:2px solid var(--accent)}.cell[hidden]{display:none}
.h0{background:var(--h0);color:var(--muted)}.h1{background:var(--h1)}.h2{background:var(--h2)}.h3{background:var(--h3)}.h4{background:var(--h4);color:#fff}.h5{background:var(--h5);color:#fff}.h6{background:var(--h6);color:#fff}.h7{background:var(--h7);color:#fff}
.legend{display:flex;gap:2px;align-items:center;font-size:11px;color:var(--muted)}.legend i{display:inline-block;width:1.4rem;height:.7rem}
.drawer{position:fixed;top:0;right:0;bottom:0;width:min(34rem,100%);background:var(--panel);border-left:1px solid var(--line);box-shadow:-6px 0 24px rgba(0,0,0,.12);padding:1rem 1.1rem;overflow:auto;z-index:10}
.drawer[hidden]{display:none}.drawer .close{float:right}
.stat{display:inline-flex;flex-direction:column;padding:.3rem .8rem;border-right:1px solid var(--line)}.stat:last-child{border-right:none}.stat b{font-size:1.2rem}.stat span{font-size:11px;color:var(--muted);text-transform:uppercase}
.warnbox{border-left:3px solid var(--warn);padding:.4rem .7rem;background:var(--code);font-size:13px;margin:.5rem 0}
.hl{background:#fff3a8;color:#000}
ul.plain{list-style:none;padding:0;margin:0}ul.plain li{padding:.15rem 0}
.nowrap{white-space:nowrap}
.narrow{width:5rem}
.offscreen{position:fixed;left:-9999px;top:0}
`;
