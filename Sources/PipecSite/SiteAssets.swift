/// The site's shared files: one stylesheet and one script, written beside the pages (no CDN, no fonts to fetch).
enum SiteAssets {
    static let css = """
    :root { --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --accent: #1d4ed8; --bg: #f8fafc; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); background: #fff; }
    header.top { display: flex; align-items: center; gap: 18px; padding: 8px 20px; background: #0f172a; color: #fff; position: sticky; top: 0; z-index: 5; }
    header.top a { color: #cbd5e1; text-decoration: none; margin-right: 14px; }
    header.top a.here, header.top a:hover { color: #fff; }
    header.top .brand { color: #fff; font-weight: 700; }
    .search { margin-left: auto; position: relative; }
    .search input { width: 280px; padding: 5px 8px; border-radius: 4px; border: 1px solid #334155; }
    #search-results { position: absolute; right: 0; top: 32px; width: 420px; max-height: 420px; overflow: auto; margin: 0; padding: 4px 0;
      list-style: none; background: #fff; color: var(--ink); border: 1px solid var(--line); box-shadow: 0 6px 20px rgba(0,0,0,.15); }
    #search-results li a { display: block; padding: 4px 10px; color: var(--ink); margin: 0; }
    #search-results li a:hover { background: #eff6ff; }
    #search-results .kind { color: var(--muted); font-size: 12px; margin-left: 6px; }
    main { padding: 16px 24px 40px; max-width: 1400px; }
    h1 { font-size: 22px; margin: 6px 0 4px; } h2 { font-size: 17px; margin: 26px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
    a { color: var(--accent); }
    .muted { color: var(--muted); }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 8px 0; }
    dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
    table.grid { border-collapse: collapse; margin: 6px 0 12px; }
    table.grid th, table.grid td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
    table.grid th { background: var(--bg); font-weight: 600; }
    pre.code { background: var(--bg); border: 1px solid var(--line); padding: 8px 10px; overflow: auto; font: 12.5px/1.45 ui-monospace, Menlo, Consolas, monospace; }
    .status-success, .status-passed, .ok { color: #15803d; } .status-failed, .bad { color: #b91c1c; } .status-quarantined, .status-skipped_rows, .warn { color: #b45309; }
    .tag { display: inline-block; padding: 0 6px; border-radius: 8px; background: #e0e7ff; margin-right: 4px; font-size: 12px; }
    .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin: 10px 0; }
    .card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; } .card b { font-size: 20px; display: block; }
    figure.chart { display: inline-block; margin: 6px 18px 6px 0; } figure.chart figcaption { color: var(--muted); font-size: 12px; }
    figure.chart .axis { stroke: #94a3b8; } figure.chart .tick { font-size: 10px; fill: var(--muted); }
    figure.chart .bar.ok { fill: #60a5fa; } figure.chart .bar.bad { fill: #f87171; } figure.chart .bar.warn { fill: #fbbf24; }
    .lineage-tools { margin: 6px 0 10px; } .lineage-tools input { width: 320px; padding: 4px 8px; }
    #lineage { overflow: auto; border: 1px solid var(--line); border-radius: 6px; padding: 6px; background: #fff; }
    #lineage svg { max-width: none; height: auto; }
    #lineage g.node, #lineage g.edge { transition: opacity .12s; }
    #lineage.focusing g.node, #lineage.focusing g.edge { opacity: .18; }
    #lineage.focusing g.node.lit, #lineage.focusing g.edge.lit { opacity: 1; }
    #lineage g.node.up polygon, #lineage g.node.up path { stroke: #7c3aed; stroke-width: 2.5; }
    #lineage g.node.down polygon, #lineage g.node.down path { stroke: #ea580c; stroke-width: 2.5; }
    #lineage g.node.self polygon, #lineage g.node.self path { stroke: #0f172a; stroke-width: 3; }
    #lineage g.node.match polygon, #lineage g.node.match path { stroke: #dc2626; stroke-width: 3; }
    .legend span { margin-right: 14px; } .legend .up { color: #7c3aed; } .legend .down { color: #ea580c; }
    footer { color: var(--muted); font-size: 12px; padding: 10px 24px 20px; }
    """

    static let js = """
    // pipec docs: the search box on every page, and highlighting on the lineage page. No network access.
    (function () {
      'use strict';
      var root = document.body.getAttribute('data-root') || '.';
      var input = document.getElementById('search');
      var list = document.getElementById('search-results');
      var index = window.PIPEC_INDEX || [];
      function show(query) {
        while (list.firstChild) list.removeChild(list.firstChild);
        var q = query.trim().toLowerCase();
        if (!q) { list.hidden = true; return; }
        var shown = 0;
        for (var i = 0; i < index.length && shown < 50; i++) {
          var e = index[i];
          if (e[1].toLowerCase().indexOf(q) < 0) continue;
          var li = document.createElement('li');
          var a = document.createElement('a');
          a.href = root + '/' + e[3];
          a.textContent = e[1];
          var kind = document.createElement('span');
          kind.className = 'kind';
          kind.textContent = e[0] + (e[2] ? ' · ' + e[2] : '');
          a.appendChild(kind);
          li.appendChild(a);
          list.appendChild(li);
          shown++;
        }
        if (!shown) {
          var none = document.createElement('li');
          none.textContent = 'nothing matches';
          none.className = 'muted';
          list.appendChild(none);
        }
        list.hidden = false;
      }
      if (input) {
        input.addEventListener('input', function () { show(input.value); });
        input.addEventListener('keydown', function (ev) {
          if (ev.key === 'Escape') { input.value = ''; show(''); }
          if (ev.key === 'Enter') { var first = list.querySelector('a'); if (first) window.location.href = first.href; }
        });
        var initial = new URLSearchParams(window.location.search).get('q');
        if (initial) { input.value = initial; show(initial); }
      }

      var graph = window.PIPEC_LINEAGE;
      var box = document.getElementById('lineage');
      if (!graph || !box) return;
      var ups = graph.nodes.map(function () { return []; });
      var downs = graph.nodes.map(function () { return []; });
      graph.edges.forEach(function (e, i) { downs[e[0]].push([e[1], i]); ups[e[1]].push([e[0], i]); });
      function el(prefix, i) { return document.getElementById(prefix + i); }
      function walk(start, next, nodeClass, lit) {
        var seen = {}; seen[start] = true;
        var stack = [start];
        while (stack.length) {
          var n = stack.pop();
          next[n].forEach(function (p) {
            lit.edges.push(p[1]);
            if (seen[p[0]]) return;
            seen[p[0]] = true;
            lit.nodes.push([p[0], nodeClass]);
            stack.push(p[0]);
          });
        }
      }
      function clear() {
        box.classList.remove('focusing');
        var all = box.querySelectorAll('g.node, g.edge');
        for (var i = 0; i < all.length; i++) all[i].classList.remove('lit', 'up', 'down', 'self', 'match');
      }
      function focus(i) {
        clear();
        var lit = { nodes: [[i, 'self']], edges: [] };
        walk(i, ups, 'up', lit);
        walk(i, downs, 'down', lit);
        lit.nodes.forEach(function (p) { var g = el('n', p[0]); if (g) g.classList.add('lit', p[1]); });
        lit.edges.forEach(function (k) { var g = el('e', k); if (g) g.classList.add('lit'); });
        box.classList.add('focusing');
      }
      graph.nodes.forEach(function (id, i) {
        var g = el('n', i);
        if (!g) return;
        g.addEventListener('mouseenter', function () { if (!filter.value) focus(i); });
        g.addEventListener('mouseleave', function () { if (!filter.value) clear(); });
      });
      var filter = document.getElementById('lineage-filter');
      var count = document.getElementById('lineage-count');
      function applyFilter() {
        clear();
        var q = filter.value.trim().toLowerCase();
        if (!q) { count.textContent = ''; return; }
        var hits = 0;
        graph.nodes.forEach(function (id, i) {
          if (id.toLowerCase().indexOf(q) < 0) return;
          hits++;
          var g = el('n', i);
          if (g) g.classList.add('lit', 'match');
        });
        box.classList.add('focusing');
        count.textContent = hits + ' of ' + graph.nodes.length + ' match';
      }
      if (filter) filter.addEventListener('input', applyFilter);
      var hash = decodeURIComponent(window.location.hash.slice(1));
      var start = graph.nodes.indexOf(hash);
      if (start >= 0) focus(start);
    })();
    """
}
