/**
 * The coverage report as one self-contained HTML page: inline CSS, JavaScript and SVG, the report's
 * JSON embedded as data, nothing fetched. The same page is the VS Code coverage view (`webview`:
 * a nonce for its Content Security Policy, VS Code's theme colours, a click on a cell asks the
 * editor to reveal the operation, and new data arrives as a message after each lint).
 *
 * Rows are built in the browser from the embedded data with one string per render, so GitHub's
 * ~1,000 operations filter and sort without freezing the page.
 */
import { createHash } from 'node:crypto';
import type { CoverageReport } from '../../shared/coverage';
import { VSCODE_PROBLEMS_PER_FILE } from '../../shared/settings';

export interface HtmlOptions {
  /** Render for a VS Code webview: its CSP takes this nonce, colours come from the editor theme. */
  webview?: { nonce: string };
}

export function renderCoverageHtml(report: CoverageReport, options: HtmlOptions = {}): string {
  // `<` escaped so the data cannot close its script element.
  const data = JSON.stringify(report).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  const style = STYLE + (options.webview ? WEBVIEW_COLOURS : PAGE_COLOURS);
  const script = SCRIPT;
  const allow = (text: string) => (options.webview ? `'nonce-${options.webview.nonce}'` : `'sha256-${createHash('sha256').update(text).digest('base64')}'`);
  const csp = `default-src 'none'; style-src ${allow(style)}; script-src ${allow(script)}; img-src data:; base-uri 'none'; form-action 'none'`;
  const nonce = options.webview ? ` nonce="${options.webview.nonce}"` : '';
  const title = `Governance coverage — ${escapeHtml(report.title ?? report.spec)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="Headroom ${escapeHtml(report.tool.version)}">
<title>${title}</title>
<style${nonce}>${style}</style>
</head>
<body${options.webview ? ' class="webview"' : ''}>
<header>
  <h1>${title}</h1>
  <p class="sub" id="sub"></p>
</header>
<section id="summary" aria-label="Scores"></section>
<section class="controls" aria-label="Filter and sort">
  <label>Filter <input id="q" type="search" placeholder="path, method, operationId, rule" autocomplete="off"></label>
  <label>Show <select id="status">
    <option value="all">all operations</option>
    <option value="fail">with a failing concern</option>
    <option value="pass">with no failing concern</option>
  </select></label>
  <label>Concern <select id="concern"><option value="">any</option></select></label>
  <label>Group by <select id="group">
    <option value="tag">tag</option>
    <option value="prefix">path prefix</option>
    <option value="none">nothing</option>
  </select></label>
  <label>Sort <select id="sort">
    <option value="path">path</option>
    <option value="failing">most failing first</option>
    <option value="method">method</option>
  </select></label>
  <span id="count" role="status"></span>
</section>
<p class="legend"><span class="cell pass"><span class="sym" aria-hidden="true">✓</span> pass</span> <span class="cell fail"><span class="sym" aria-hidden="true">✗</span> fail</span> <span class="cell na"><span class="sym" aria-hidden="true">–</span> not applicable</span> · select a cell for its findings${options.webview ? '; the operation is revealed in the editor' : ''}</p>
<main>
  <div id="matrix" class="matrix" role="table" aria-label="Operations by concern"><div id="head" role="rowgroup"></div><div id="rows"></div></div>
  <aside id="detail" aria-live="polite"></aside>
</main>
<section aria-labelledby="rules-h"><h2 id="rules-h">Findings per rule</h2><table class="rules"><thead><tr><th>rule</th><th>concern</th><th>severity</th><th class="num">findings</th><th class="num">operations</th></tr></thead><tbody id="rules"></tbody></table></section>
<section aria-labelledby="doc-h" id="docs"><h2 id="doc-h">Findings on no operation</h2><ul id="docfindings"></ul></section>
<script type="application/json" id="report">${data}</script>
<script${nonce}>${script}</script>
</body>
</html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const PAGE_COLOURS = `
:root { --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa; --hover: #eef3fb;
  --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #cf222e; --fail-bg: #ffebe9; --na: #59636e; --na-bg: #f6f8fa; --accent: #0969da; --bar: #d1d9e0; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --head: #151b23; --hover: #1c2533;
    --pass: #3fb950; --pass-bg: #12261e; --fail: #f85149; --fail-bg: #2d1214; --na: #9198a1; --na-bg: #151b23; --accent: #4493f8; --bar: #3d444d; }
}`;

const WEBVIEW_COLOURS = `
:root { --bg: var(--vscode-editor-background); --fg: var(--vscode-editor-foreground); --muted: var(--vscode-descriptionForeground);
  --line: var(--vscode-panel-border, var(--vscode-widget-border, #8884)); --head: var(--vscode-sideBar-background, var(--vscode-editor-background));
  --hover: var(--vscode-list-hoverBackground); --pass: var(--vscode-testing-iconPassed, #388a34); --pass-bg: transparent;
  --fail: var(--vscode-editorError-foreground, #e51400); --fail-bg: transparent; --na: var(--vscode-disabledForeground, #8888);
  --na-bg: transparent; --accent: var(--vscode-textLink-foreground); --bar: var(--vscode-input-background, #8884); }
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }`;

const STYLE = `
* { box-sizing: border-box; }
body { margin: 0; padding: 16px 20px 40px; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 20px; margin: 0 0 2px; } h2 { font-size: 16px; margin: 28px 0 8px; }
.sub, .legend, #count { color: var(--muted); }
.legend { margin: 8px 0; font-size: 13px; }
a { color: var(--accent); }
#summary { display: flex; flex-wrap: wrap; gap: 12px 28px; align-items: center; margin: 12px 0; }
.overall { font-size: 40px; font-weight: 700; line-height: 1; }
.overall small { font-size: 14px; font-weight: 400; color: var(--muted); display: block; }
.score { min-width: 190px; }
.score .name { display: flex; justify-content: space-between; gap: 8px; font-weight: 600; }
.score .what { color: var(--muted); font-size: 12px; }
.score svg { display: block; margin-top: 3px; }
.score .track { fill: var(--bar); } .score .good { fill: var(--pass); } .score .bad { fill: var(--fail); }
.controls { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; margin: 12px 0 4px; }
input, select { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 3px 6px; }
input[type=search] { width: 260px; }
main { display: grid; grid-template-columns: minmax(0, 1fr) minmax(240px, 30%); gap: 16px; align-items: start; }
body.webview main { grid-template-columns: minmax(0, 1fr); }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: middle; }
thead th { position: sticky; top: 0; background: var(--head); z-index: 1; font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.matrix { border-top: 1px solid var(--line); }
.row { display: grid; grid-template-columns: minmax(0, 1fr) repeat(4, 96px) 76px; align-items: center; border-bottom: 1px solid var(--line); min-height: 33px; }
.row > span { padding: 4px 8px; }
.mhead { position: sticky; top: 0; background: var(--head); z-index: 1; font-weight: 600; }
.ghead { display: block; background: var(--head); font-weight: 600; }
.ghead .gs { color: var(--muted); font-weight: 400; margin-left: 8px; }
.blk { content-visibility: auto; }
.row.op:hover { background: var(--hover); }
.op .m { display: inline-block; min-width: 58px; font: 600 12px ui-monospace, SFMono-Regular, Menlo, monospace; text-transform: uppercase; }
.op .p { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; overflow-wrap: anywhere; }
.op .id { color: var(--muted); font-size: 12px; margin-left: 6px; overflow-wrap: anywhere; }
.cell { display: inline-flex; align-items: center; gap: 4px; border-radius: 4px; padding: 1px 6px; font-size: 12px; white-space: nowrap; }
.c { text-align: center; }
.c button { font: inherit; border: 1px solid transparent; cursor: pointer; background: none; color: inherit; padding: 0; }
.c button:focus-visible, button.name:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.pass { color: var(--pass); background: var(--pass-bg); } .fail { color: var(--fail); background: var(--fail-bg); font-weight: 600; }
.na { color: var(--na); background: var(--na-bg); }
.sym { font-weight: 700; }
.c button[aria-pressed=true] .cell { outline: 2px solid var(--accent); }
button.name { all: unset; cursor: pointer; }
#detail { position: sticky; top: 8px; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; min-height: 80px; background: var(--bg); }
body.webview #detail { order: -1; z-index: 2; max-height: 35vh; overflow: auto; }
body.webview #detail:empty { display: none; }
@media (max-width: 720px) {
  .row { grid-template-columns: minmax(0, 1fr) repeat(4, 62px) 40px; }
  .row > span { padding: 4px 3px; }
  .mhead > span { font-size: 11px; overflow: hidden; text-overflow: ellipsis; }
  .op .id { display: none; }
  main { grid-template-columns: minmax(0, 1fr); }
  #detail { order: -1; }
}
#rows .empty { padding: 12px 8px; }
#detail:empty::before { content: "Select a cell to see its findings."; color: var(--muted); }
#detail h3 { margin: 0 0 6px; font-size: 14px; }
#detail ul, #docs ul { margin: 0; padding-left: 18px; }
#detail li, #docs li { margin: 4px 0; }
.sev { font-size: 11px; text-transform: uppercase; border: 1px solid var(--line); border-radius: 3px; padding: 0 4px; margin-right: 4px; }
.sev.error { color: var(--fail); }
.where { color: var(--muted); font-size: 12px; }
.rules td:first-child { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
.empty { color: var(--muted); padding: 12px 8px; }
`;

/** The page's script: plain ES2020, no library. */
const SCRIPT = `
(function () {
  'use strict';
  var vscode = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
  var SYM = { pass: '\\u2713', fail: '\\u2717', 'n/a': '\\u2013' };
  var WORD = { pass: 'pass', fail: 'fail', 'n/a': 'not applicable' };
  var CLS = { pass: 'pass', fail: 'fail', 'n/a': 'na' };
  var report = JSON.parse(document.getElementById('report').textContent);
  var selected = null;
  var $ = function (id) { return document.getElementById(id); };
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  function ruleLink(rule) {
    var r = report.rules.find(function (x) { return x.rule === rule; });
    return r && r.doc ? '<a href="' + esc(r.doc) + '" target="_blank" rel="noopener">' + esc(rule) + '</a>' : '<code>' + esc(rule) + '</code>';
  }
  function prefix(p) { var s = p.split('/').filter(Boolean)[0]; return s === undefined ? '/' : '/' + s; }
  function groupOf(op, by) { return by === 'tag' ? (op.tags[0] || '(no tag)') : by === 'prefix' ? prefix(op.path) : ''; }
  function failCount(op) { return report.concerns.filter(function (c) { return op.concerns[c.id].status === 'fail'; }).length; }
  function bar(score) {
    var w = 180, good = score === null ? 0 : Math.round(w * score / 100);
    return '<svg width="' + w + '" height="8" role="img" aria-label="' + (score === null ? 'not applicable' : score + ' of 100') + '">' +
      '<rect class="track" width="' + w + '" height="8" rx="4"></rect>' +
      (score === null ? '' : '<rect class="bad" width="' + w + '" height="8" rx="4"></rect><rect class="good" width="' + good + '" height="8" rx="4"></rect>') + '</svg>';
  }
  function summary() {
    // In VS Code, Problems lists at most ${VSCODE_PROBLEMS_PER_FILE} a file: say that this view has them all.
    var cut = document.body.classList.contains('webview') && report.findingCount > ${VSCODE_PROBLEMS_PER_FILE} ? ' (Problems lists at most ${VSCODE_PROBLEMS_PER_FILE.toLocaleString('en-US')} per file; all are counted here)' : '';
    $('sub').textContent = report.spec + ' \\u00b7 ' + report.operations.length + ' operations \\u00b7 ' + report.findingCount + ' findings' + cut + ' \\u00b7 Headroom ' + report.tool.version;
    var html = '<div class="overall" id="score">' + (report.score === null ? 'n/a' : report.score) + '<small>overall score (0\\u2013100)</small></div>';
    report.concerns.forEach(function (c) {
      html += '<div class="score" data-concern="' + c.id + '"><div class="name"><span>' + esc(c.title) + '</span><span class="value">' + (c.score === null ? 'n/a' : c.score) + '</span></div>' +
        bar(c.score) + '<div class="what">' + c.pass + ' pass \\u00b7 ' + c.fail + ' fail \\u00b7 ' + c.notApplicable + ' n/a</div></div>';
    });
    $('summary').innerHTML = html;
    var rules = report.rules.map(function (r) {
      return '<tr><td>' + ruleLink(r.rule) + '</td><td>' + esc(r.concern ? report.concerns.find(function (c) { return c.id === r.concern; }).title : '\\u2013') + '</td><td><span class="sev ' + r.severity + '">' + r.severity + '</span></td><td class="num">' + r.findings + '</td><td class="num">' + r.operations + '</td></tr>';
    });
    $('rules').innerHTML = rules.join('') || '<tr><td colspan="5" class="empty">No findings.</td></tr>';
    var docs = report.documentFindings.map(findingItem);
    $('docfindings').innerHTML = docs.join('');
    $('docs').hidden = docs.length === 0;
    $('head').innerHTML = '<div class="row mhead" role="row"><span role="columnheader">operation</span>' + report.concerns.map(function (c) { return '<span class="c" role="columnheader">' + esc(c.title) + '</span>'; }).join('') + '<span class="num" role="columnheader">findings</span></div>';
  }
  function findingItem(f) {
    return '<li><span class="sev ' + f.severity + '">' + f.severity + '</span>' + ruleLink(f.rule) + ' \\u2014 ' + esc(f.message) + ' <span class="where">' + esc(f.file) + ':' + f.line + '</span></li>';
  }
  function visible() {
    var q = $('q').value.trim().toLowerCase(), status = $('status').value, concern = $('concern').value;
    return report.operations.map(function (op, i) { return i; }).filter(function (i) {
      var op = report.operations[i];
      var failing = concern ? op.concerns[concern].status === 'fail' : failCount(op) > 0;
      if (status === 'fail' && !failing) return false;
      if (status === 'pass' && failing) return false;
      if (concern && op.concerns[concern].status === 'n/a') return false;
      if (!q) return true;
      return (op.method + ' ' + op.path + ' ' + (op.operationId || '') + ' ' + op.tags.join(' ') + ' ' + op.failing.join(' ')).toLowerCase().indexOf(q) !== -1;
    });
  }
  function render() {
    var by = $('group').value, sort = $('sort').value;
    var idx = visible();
    var keyed = idx.map(function (i) { var op = report.operations[i]; return { i: i, g: groupOf(op, by), f: failCount(op), n: op.failing.length, op: op }; });
    keyed.sort(function (a, b) {
      var g = a.g < b.g ? -1 : a.g > b.g ? 1 : 0;
      if (g) return g;
      if (sort === 'failing') { var d = b.f - a.f || b.n - a.n; if (d) return d; }
      if (sort === 'method' && a.op.method !== b.op.method) return a.op.method < b.op.method ? -1 : 1;
      return a.op.path < b.op.path ? -1 : a.op.path > b.op.path ? 1 : a.op.method < b.op.method ? -1 : a.op.method > b.op.method ? 1 : 0;
    });
    var out = [], k = 0;
    while (k < keyed.length) {
      var g = keyed[k].g, end = k;
      while (end < keyed.length && keyed[end].g === g) end++;
      var bad = 0;
      for (var j = k; j < end; j++) if (keyed[j].f > 0) bad++;
      out.push('<div class="grp" role="rowgroup">');
      if (by !== 'none') out.push('<div class="row ghead" role="row"><span role="rowheader">' + esc(g) + '<span class="gs">' + (end - k) + ' operation' + (end - k === 1 ? '' : 's') + ', ' + bad + ' failing</span></span></div>');
      // Blocks of rows the browser may skip laying out while they are off screen.
      for (var b = k; b < end; b += 40) {
        out.push('<div class="blk" data-rows="' + Math.min(40, end - b) + '">');
        for (var r = b; r < Math.min(end, b + 40); r++) out.push(row(keyed[r].i));
        out.push('</div>');
      }
      out.push('</div>');
      k = end;
    }
    $('rows').innerHTML = out.join('') || '<div class="empty">No operation matches.</div>';
    var blocks = $('rows').querySelectorAll('.blk');
    for (var q = 0; q < blocks.length; q++) blocks[q].style.containIntrinsicSize = 'auto ' + (Number(blocks[q].getAttribute('data-rows')) * 33) + 'px';
    $('count').textContent = idx.length + ' of ' + report.operations.length + ' operations';
  }
  function row(i) {
    var op = report.operations[i];
    var cells = '';
    for (var c = 0; c < report.concerns.length; c++) {
      var concern = report.concerns[c], cell = op.concerns[concern.id], st = cell.status;
      var label = concern.title + ': ' + WORD[st] + (cell.failing.length ? ' (' + cell.failing.join(', ') + ')' : '');
      var pressed = selected && selected.op === i && selected.concern === concern.id;
      cells += '<span class="c" role="cell" data-concern="' + concern.id + '" data-status="' + st + '"><button type="button" data-op="' + i + '" data-concern="' + concern.id + '" aria-pressed="' + (pressed ? 'true' : 'false') + '" title="' + esc(label) + '" aria-label="' + esc(label) + '"><span class="cell ' + CLS[st] + '"><span class="sym" aria-hidden="true">' + SYM[st] + '</span>' + (st === 'fail' ? cell.failing.length : '') + '</span></button></span>';
    }
    return '<div class="row op" role="row" data-op="' + i + '"><span role="rowheader"><button type="button" class="name" data-op="' + i + '"><span class="m">' + esc(op.method) + '</span><span class="p">' + esc(op.path) + '</span></button>' + (op.operationId ? '<span class="id">' + esc(op.operationId) + '</span>' : '') + '</span>' + cells + '<span class="num" role="cell">' + op.findings.length + '</span></div>';
  }
  function detail() {
    if (!selected || !report.operations[selected.op]) { $('detail').innerHTML = ''; return; }
    var op = report.operations[selected.op];
    var concern = selected.concern && report.concerns.find(function (c) { return c.id === selected.concern; });
    var rules = concern ? concern.rules : null;
    var list = op.findings.filter(function (f) { return !rules || rules.indexOf(f.rule) !== -1; });
    var head = esc(op.method.toUpperCase() + ' ' + op.path) + (concern ? ' \\u00b7 ' + esc(concern.title) + ': ' + WORD[op.concerns[concern.id].status] : '');
    var body = list.length ? '<ul>' + list.map(findingItem).join('') + '</ul>' :
      '<p class="where">' + (concern && op.concerns[concern.id].status === 'n/a' ? 'Not applicable: ' + esc(concern.title.toLowerCase()) + ' rules do not apply to this operation.' : 'No findings.') + '</p>';
    $('detail').innerHTML = '<h3>' + head + '</h3><p class="where">' + esc(op.file) + ':' + (op.range.start.line + 1) + '</p>' + body;
  }
  function select(i, concern) {
    selected = { op: i, concern: concern || null };
    document.querySelectorAll('.c button[aria-pressed=true]').forEach(function (b) { b.setAttribute('aria-pressed', 'false'); });
    if (concern) {
      var b = document.querySelector('.c button[data-op="' + i + '"][data-concern="' + concern + '"]');
      if (b) b.setAttribute('aria-pressed', 'true');
    }
    detail();
    if (vscode) vscode.postMessage({ type: 'reveal', index: i, file: report.operations[i].file, range: report.operations[i].range });
  }
  $('rows').addEventListener('click', function (e) {
    var b = e.target.closest('button[data-op]');
    if (b) select(Number(b.getAttribute('data-op')), b.getAttribute('data-concern'));
  });
  report.concerns.forEach(function (c) {
    var o = document.createElement('option'); o.value = c.id; o.textContent = c.title; $('concern').appendChild(o);
  });
  var timer = null;
  $('q').addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(render, 120); });
  ['status', 'concern', 'group', 'sort'].forEach(function (id) { $(id).addEventListener('change', render); });
  if (vscode) {
    var state = vscode.getState();
    if (state) { ['q', 'status', 'concern', 'group', 'sort'].forEach(function (id) { if (state[id] !== undefined) $(id).value = state[id]; }); }
    var save = function () { vscode.setState({ q: $('q').value, status: $('status').value, concern: $('concern').value, group: $('group').value, sort: $('sort').value }); };
    ['q', 'status', 'concern', 'group', 'sort'].forEach(function (id) { $(id).addEventListener('change', save); $(id).addEventListener('input', save); });
    window.addEventListener('message', function (e) {
      var m = e.data;
      if (!m || m.type !== 'update' || !m.report) return;
      var key = selected && report.operations[selected.op] ? report.operations[selected.op].method + ' ' + report.operations[selected.op].path : null;
      report = m.report;
      if (key) {
        var j = report.operations.findIndex(function (o) { return o.method + ' ' + o.path === key; });
        selected = j === -1 ? null : { op: j, concern: selected.concern };
      }
      summary(); render(); detail();
    });
  }
  summary();
  render();
  document.body.setAttribute('data-ready', 'true');
})();
`;
