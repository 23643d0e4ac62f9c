// newskg graph view: legend and filters, search, neighbourhood highlight and the
// side panel. Every string from the graph is untrusted article text: it reaches
// the page through textContent only, never innerHTML, and links only when they
// are http(s) URLs.
(function () {
  "use strict";

  var WASH = "rgba(255, 255, 255, 0.82)"; // over what is not in the highlighted neighbourhood
  var EDGE = { color: "#8c8c8c", highlight: "#333333", hover: "#333333" };
  var SOURCE_EDGE = { color: "#d0d0d0", highlight: "#888888", hover: "#888888" };
  var EDGE_FONT = { color: "#555555", strokeWidth: 3 };
  var ENTITY_FONT = { size: 14, color: "#222222", strokeWidth: 3 };
  var EVENT_FONT = { size: 12, color: "#5a4a00", strokeWidth: 3 };
  var ARTICLE_FONT = { size: 11, color: "#666666", strokeWidth: 3 };
  // The most connected entities' labels read at the zoom the page opens at,
  // from LEAD_PX[0] pixels on screen for the first down to LEAD_PX[1] for the last.
  var LEADS = 16;
  var LEAD_PX = [18, 11];
  var MAX_RESULTS = 12; // search suggestions
  var MAX_LISTED = 40; // items of one list in the panel
  // The page's JSON blocks: pyvis's nodes, edges and vis options, and our legend,
  // articles and date range, gathered into one object.
  function block(id) { return JSON.parse(document.getElementById(id).textContent); }
  var data = block("kg-data");
  data.nodes = block("kg-nodes");
  data.edges = block("kg-edges");
  data.options = block("kg-options");
  var byId = new Map();
  var classes = new Map();
  var adjacency = new Map();
  var edgeById = new Map();
  // The page opens on the entity–event network: articles are a filter away.
  var state = { hidden: new Set(["Article"]), from: "", to: "", undated: true, minSupport: 1, focus: null, selected: null };

  data.classes.forEach(function (cls) { classes.set(cls.kind, cls); });
  data.nodes.forEach(function (node) {
    byId.set(node.id, node);
    adjacency.set(node.id, []);
    node.keys = [node.name, node.label].concat(node.aliases).map(normalize);
  });
  data.edges.forEach(function (edge) {
    edgeById.set(edge.id, edge);
    adjacency.get(edge.from).push({ edge: edge, other: edge.to, out: true });
    adjacency.get(edge.to).push({ edge: edge, other: edge.from, out: false });
  });

  // --- drawing ------------------------------------------------------------------

  function tooltip(node) {
    var lines = [classes.get(node.kind).label + ": " + node.name];
    if (node.aliases.length) lines.push("also: " + node.aliases.join("; "));
    return lines.join("\n");
  }

  function fontOf(node) {
    return classes.get(node.kind).event ? EVENT_FONT : node.kind === "Article" ? ARTICLE_FONT : ENTITY_FONT;
  }

  function visNode(node) {
    return {
      id: node.id, label: node.label, title: tooltip(node), x: node.x, y: node.y,
      size: node.size, shape: node.shape, color: node.color, font: fontOf(node),
    };
  }

  function visEdge(edge) {
    var source = data.sourceEdges.indexOf(edge.rel) >= 0;
    return {
      id: edge.id, from: edge.from, to: edge.to, arrows: edge.arrows, label: edge.label || undefined,
      dashes: source, color: source ? SOURCE_EDGE : EDGE, font: EDGE_FONT,
    };
  }

  function dated(node) { return classes.get(node.kind).dated; }

  function inDateRange(node) {
    if (!dated(node) || (!state.from && !state.to)) return true;
    if (!node.dates.length) return state.undated;
    var from = state.from ? state.from + "-01" : "0000";
    var to = state.to ? state.to + "-31" : "9999";
    return node.dates.some(function (span) { return span[0] <= to && span[1] >= from; });
  }

  // How many independent outlets back a link (a claim) or an event's best-backed link;
  // what carries no count (articles, entities, gazetteer links) is never filtered out.
  function backed(item) { return item.support === undefined || item.support >= state.minSupport; }

  // Entities that only articles name are drawn with the articles.
  function visible(node) {
    return !state.hidden.has(node.kind) && !(node.namedOnly && state.hidden.has("Article"))
      && inDateRange(node) && backed(node);
  }

  var nodes = new vis.DataSet(data.nodes.map(visNode));
  var edges = new vis.DataSet(data.edges.map(visEdge));
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return visible(byId.get(n.id)); } });
  var edgeView = new vis.DataView(edges, {
    filter: function (e) {
      return backed(edgeById.get(e.id)) && visible(byId.get(e.from)) && visible(byId.get(e.to));
    },
  });
  var network = new vis.Network(
    document.getElementById("kg-graph"), { nodes: nodeView, edges: edgeView }, data.options
  );

  // Links in the entity–event network (not to the articles): what "most connected" counts.
  function linksOf(node) {
    return adjacency.get(node.id).filter(function (link) {
      return data.sourceEdges.indexOf(link.edge.rel) < 0;
    }).length;
  }

  // The entities drawn at load, most connected first (then biggest, then in page order).
  function leadCandidates() {
    var candidates = data.nodes.filter(function (node) {
      return visible(node) && !classes.get(node.kind).event && node.kind !== "Article";
    }).map(function (node) { return { node: node, links: linksOf(node) }; });
    candidates.sort(function (a, b) {
      return b.links - a.links || b.node.size - a.node.size || a.node.id - b.node.id;
    });
    return candidates.map(function (candidate) { return candidate.node; });
  }

  function overlaps(box, other) {
    return box.left < other.right && other.left < box.right && box.top < other.bottom && other.top < box.bottom;
  }

  // The drawing opens fitted to the window, far too small for labels at their
  // usual size: the leading entities get labels sized for that zoom (vis-network
  // keeps them at most scaling.label.maxVisible pixels high once zoomed in).
  // A label that would cover one already placed is passed over for the next.
  function leadLabels() {
    var scale = network.getScale();
    var measure = document.createElement("canvas").getContext("2d");
    var placed = [];
    var updates = [];
    leadCandidates().forEach(function (node) {
      if (updates.length >= LEADS) return;
      var px = LEAD_PX[0] - (LEAD_PX[0] - LEAD_PX[1]) * updates.length / Math.max(LEADS - 1, 1);
      measure.font = px + "px " + data.options.nodes.font.face;
      var half = measure.measureText(node.label.split("\n")[0]).width / 2 + 2;
      var at = network.canvasToDOM({ x: node.x, y: node.y + node.size }); // the label hangs below
      var box = { left: at.x - half, right: at.x + half, top: at.y, bottom: at.y + px * 1.3 };
      if (placed.some(function (other) { return overlaps(box, other); })) return;
      placed.push(box);
      var size = Math.max(ENTITY_FONT.size, px / scale);
      updates.push({ id: node.id, font: Object.assign({}, ENTITY_FONT, { size: size }) });
    });
    nodes.update(updates);
  }

  // --- small DOM helpers: text only -------------------------------------------------

  function el(tag, text, className) {
    var element = document.createElement(tag);
    if (text !== undefined && text !== null) element.textContent = String(text);
    if (className) element.className = className;
    return element;
  }

  function append(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return parent;
  }

  function webLink(url, text) {
    if (!url || !/^https?:\/\//i.test(url)) return el("span", text);
    var link = el("a", text);
    link.href = url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    return link;
  }

  function refButton(ref) {
    var button = el("button", ref.label, "kg-ref");
    button.type = "button";
    if (ref.node === null || ref.node === undefined || !byId.has(ref.node)) {
      button.disabled = true;
      button.title = "not drawn";
    } else {
      button.addEventListener("click", function () { select(ref.node, true); });
    }
    return button;
  }

  function nodeRef(id) { return refButton({ label: byId.get(id).name, node: id }); }

  function section(panel, title) {
    panel.appendChild(el("h3", title));
    return panel;
  }

  // `left` counts items the page does not carry at all (see details.py, _named_in).
  function list(panel, items, render, left) {
    var ul = el("ul");
    items.slice(0, MAX_LISTED).forEach(function (item) { ul.appendChild(append(el("li"), render(item))); });
    panel.appendChild(ul);
    var more = Math.max(items.length - MAX_LISTED, 0) + (left || 0);
    if (more > 0) panel.appendChild(el("p", "… and " + more + " more"));
  }

  function refs(items) {
    var span = el("span");
    items.forEach(function (ref, i) { append(span, i ? ", " : null, refButton(ref)); });
    return span;
  }

  // --- the side panel -----------------------------------------------------------------

  var panel = document.getElementById("kg-panel");

  function hint() {
    panel.replaceChildren(el("p", "Click a node or a link to see what the articles say about it.", "kg-help"));
  }

  function articleCite(index) {
    var article = data.articles[index];
    var cite = el("cite");
    append(cite, webLink(article.url, article.headline));
    if (article.date) append(cite, " · " + article.date);
    if (article.publisher) append(cite, " · " + article.publisher);
    if (article.file) append(cite, " · " + article.file);
    return cite;
  }

  function evidence(target, items, onlyArticle) {
    items.forEach(function (item) {
      if (onlyArticle !== undefined && item.articles.indexOf(onlyArticle) < 0) return;
      target.appendChild(el("blockquote", item.text, "kg-evidence"));
      item.articles.forEach(function (index) { target.appendChild(articleCite(index)); });
    });
  }

  function header(node) {
    var cls = classes.get(node.kind);
    var glyph = el("span", cls.glyph + " ", "kg-glyph");
    glyph.style.color = cls.color;
    panel.replaceChildren(el("h2", node.name), append(el("p", null, "kg-kind"), glyph, cls.label));
    if (!visible(node)) panel.appendChild(el("p", "Hidden by the current filters.", "kg-note"));
  }

  function showEvent(info, onlyArticle) {
    panel.appendChild(el("p", info.reading, "kg-reading"));
    var facts = [];
    if (info.dates.length) facts.push(["when", info.dates.join(", ")]);
    if (info.status.length) facts.push(["status", info.status.join(", ")]);
    info.figures.forEach(function (figure) {
      var values = figure.values.map(function (v) { return v.toLocaleString("en"); }).join(", ");
      var qualifiers = figure.qualifiers.length ? " (" + figure.qualifiers.join(", ") + ")" : "";
      facts.push([figure.name, values + qualifiers]);
    });
    list(panel, facts, function (fact) { return append(el("span"), el("b", fact[0] + ": "), fact[1]); });
    if (info.arguments.length) {
      section(panel, "Who and where");
      list(panel, info.arguments, function (arg) { return append(el("span"), el("b", arg.name + ": "), refs(arg.refs)); });
    }
    section(panel, "Evidence");
    evidence(panel, info.evidence, onlyArticle);
  }

  // Troop figures here, as each source gives them (kg timeline), disagreements beside.
  function troopLevels(node) {
    var levels = data.troopLevels[node.id];  // the first rows, and how many more (page.py)
    if (!levels) return;
    section(panel, "Troop levels");
    var box = el("div", null, "kg-timeline");
    list(box, levels.rows, function (row) {
      var figure = (row.qualifier ? row.qualifier + " " : "") + row.troops.toLocaleString("en");
      var when = row.date + (row.datedBy && row.datedBy !== "the article" ? " (" + row.datedBy + ")" : "");
      var item = append(el("span"), el("b", when + ": "), row.measure + " " + figure);
      if (row.actor) item.appendChild(el("span", " · " + row.actor));
      item.appendChild(el("span", " · " + row.source));
      if (row.disputed) item.appendChild(el("span", " · others say " + row.disputed, "kg-disputed"));
      return item;
    }, levels.more);
    panel.appendChild(box);
    var chart = data.troopCharts[node.id];  // an SVG drawn by the build (kg timeline --svg)
    if (chart) {
      var image = el("img", null, "kg-chart");
      image.src = chart;
      image.alt = "troop levels in " + node.label + " over time, as each source states them";
      panel.appendChild(image);
    }
  }

  function showEntity(node) {
    var info = node.info;
    if (node.aliases.length) {
      section(panel, "Also called");
      panel.appendChild(el("p", node.aliases.join("; ")));
    }
    if (info.sameAs.length) {
      section(panel, "Same as");
      list(panel, info.sameAs, function (url) {
        var wikidata = /wikidata\.org\/entity\/(Q\d+)$/.exec(url);
        return webLink(url, wikidata ? "Wikidata " + wikidata[1] : url);
      });
    }
    if (info.roles.length) {
      section(panel, "Roles");
      list(panel, info.roles, function (role) {
        var item = append(el("span"), el("b", role.title));
        if (role.of.length) append(item, " of ", refs(role.of));
        role.articles.forEach(function (index) { item.appendChild(articleCite(index)); });
        return item;
      });
    }
    [["Located in", info.locatedIn], ["Acts for", info.actsFor]].forEach(function (pair) {
      if (pair[1].length) { section(panel, pair[0]); panel.appendChild(refs(pair[1])); }
    });
    troopLevels(node);
    var events = eventsOf(node);
    if (events.length) {
      section(panel, "Evidence");
      events.slice(0, MAX_LISTED).forEach(function (event) {
        panel.appendChild(append(el("p"), nodeRef(event.id)));
        evidence(panel, event.info.evidence);
      });
      if (events.length > MAX_LISTED) panel.appendChild(el("p", "… and " + (events.length - MAX_LISTED) + " more events"));
    }
    if (info.mentions.length) {
      section(panel, "Named in");
      list(panel, info.mentions, function (mention) {
        var item = append(el("span"), articleCite(mention.article));
        if (mention.forms.length) item.appendChild(el("span", "as " + mention.forms.map(quote).join(", ")));
        return item;
      }, info.mentionsMore);
    }
  }

  function quote(text) { return "“" + text + "”"; }

  // The events a node takes part in or reports, each once.
  function eventsOf(node) {
    var seen = new Set();
    return adjacency.get(node.id).map(function (link) { return byId.get(link.other); }).filter(function (other) {
      if (!classes.get(other.kind).event || seen.has(other.id)) return false;
      seen.add(other.id);
      return true;
    });
  }

  function showArticle(node) {
    var article = data.articles[node.info.article];
    var facts = [["published", article.date], ["publisher", article.publisher], ["author", article.author], ["file", article.file]];
    list(panel, facts.filter(function (f) { return f[1]; }), function (f) { return append(el("span"), el("b", f[0] + ": "), f[1]); });
    if (article.url) panel.appendChild(append(el("p"), webLink(article.url, "open the article")));
    var events = eventsOf(node);
    if (events.length) {
      section(panel, "Events it reports");
      events.forEach(function (event) {
        panel.appendChild(append(el("p"), nodeRef(event.id)));
        evidence(panel, event.info.evidence, node.info.article);
      });
    }
  }

  function connections(node) {
    var groups = new Map();
    adjacency.get(node.id).forEach(function (link) {
      var name = link.edge.names[link.out ? 0 : 1];
      if (!groups.has(name)) groups.set(name, []);
      groups.get(name).push(link.other);
    });
    if (!groups.size) return;
    section(panel, "Connections");
    Array.from(groups.keys()).sort().forEach(function (name) {
      var ids = groups.get(name);
      panel.appendChild(el("p", name + " (" + ids.length + ")", "kg-kind"));
      list(panel, ids, nodeRef);
    });
  }

  function showNode(id) {
    var node = byId.get(id);
    header(node);
    if (classes.get(node.kind).event) showEvent(node.info);
    else {
      if (node.kind === "Article") showArticle(node);
      else showEntity(node);
      connections(node);
    }
    panel.appendChild(el("p", node.iri, "kg-iri"));
  }

  function showEdge(id) {
    var edge = edges.get(id);
    var link = data.edges[id];
    var from = byId.get(edge.from), to = byId.get(edge.to);
    panel.replaceChildren(
      el("h2", link.names[0]),
      append(el("p", null, "kg-kind"), nodeRef(from.id), " → ", nodeRef(to.id))
    );
    var event = classes.get(from.kind).event ? from : classes.get(to.kind).event ? to : null;
    var article = from.kind === "Article" ? from : to.kind === "Article" ? to : null;
    if (event) showEvent(event.info, article ? article.info.article : undefined);
    else if (article) {
      var named = from.info.mentions.filter(function (m) { return m.article === article.info.article; });
      section(panel, "Named in");
      panel.appendChild(articleCite(article.info.article));
      named.forEach(function (m) { panel.appendChild(el("p", "as " + m.forms.map(quote).join(", "))); });
    }
  }

  // --- highlight and selection --------------------------------------------------------

  // The neighbourhood highlight washes the drawing out and paints the kept
  // nodes and links again on top. Changing the DataSets instead would make
  // vis-network re-index the whole graph (~0.4 s a click at 5,000 nodes);
  // this costs one redraw. Node.draw, Edge.draw and drawArrows are
  // vis-network 9.1's own renderer calls, as its CanvasRenderer makes them.
  function highlight(keepNodes, keepEdges) {
    state.focus = keepNodes === null ? null : { nodes: keepNodes, edges: keepEdges };
    network.redraw();
  }

  network.on("afterDrawing", function (ctx) {
    if (state.focus === null) return;
    var frame = document.getElementById("kg-graph");
    var topLeft = network.DOMtoCanvas({ x: 0, y: 0 });
    var bottomRight = network.DOMtoCanvas({ x: frame.clientWidth, y: frame.clientHeight });
    ctx.save();
    ctx.fillStyle = WASH;
    ctx.fillRect(topLeft.x, topLeft.y, bottomRight.x - topLeft.x, bottomRight.y - topLeft.y);
    ctx.restore();
    var body = network.body;
    state.focus.edges.forEach(function (id) {
      var edge = body.edges[id], link = data.edges[id];
      if (!edge || !edge.connected || !visible(byId.get(link.from)) || !visible(byId.get(link.to))) return;
      edge.draw(ctx);
      edge.drawArrows(ctx);
    });
    state.focus.nodes.forEach(function (id) {
      var node = body.nodes[id];
      if (!node || !visible(byId.get(id))) return;
      var drawn = node.draw(ctx);
      if (drawn.drawExternalLabel) drawn.drawExternalLabel();
    });
  });

  function neighbourhood(id) {
    var keepNodes = new Set([id]), keepEdges = new Set();
    adjacency.get(id).forEach(function (link) { keepNodes.add(link.other); keepEdges.add(link.edge.id); });
    return [keepNodes, keepEdges];
  }

  function select(id, focus) {
    state.selected = id;
    var node = byId.get(id);
    showNode(id);
    highlight.apply(null, neighbourhood(id));
    if (visible(node)) {
      network.selectNodes([id]);
      if (focus) network.focus(id, { scale: Math.max(network.getScale(), 1), animation: false });
    }
  }

  function clearSelection() {
    state.selected = null;
    highlight(null, null);
    hint();
  }

  network.on("click", function (params) {
    if (params.nodes.length) select(params.nodes[0], false);
    else if (params.edges.length) {
      var edge = edges.get(params.edges[0]);
      state.selected = null;
      highlight(new Set([edge.from, edge.to]), new Set([edge.id]));
      showEdge(params.edges[0]);
    } else clearSelection();
  });

  // --- search ----------------------------------------------------------------------------

  function normalize(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function rank(node, query) {
    var best = null;
    node.keys.forEach(function (key, i) {
      var score = key === query ? 0 : key.indexOf(query) === 0 ? 1 : key.indexOf(" " + query) >= 0 ? 2 : key.indexOf(query) >= 0 ? 3 : null;
      if (score !== null && (best === null || score < best.score)) best = { score: score, key: i };
    });
    return best;
  }

  function find(text) {
    var query = normalize(text);
    if (!query) return [];
    var found = [];
    data.nodes.forEach(function (node) {
      var match = rank(node, query);
      if (match) found.push({ node: node, score: match.score, alias: match.key >= 2 ? node.aliases[match.key - 2] : null });
    });
    found.sort(function (a, b) {
      return a.score - b.score || b.node.size - a.node.size || (a.node.name < b.node.name ? -1 : a.node.name > b.node.name ? 1 : 0);
    });
    return found.slice(0, MAX_RESULTS);
  }

  var search = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");
  var matches = [];
  var active = 0;

  function showResults() {
    results.replaceChildren();
    matches.forEach(function (match, i) {
      var item = el("li", match.node.name);
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", i === active ? "true" : "false");
      var why = classes.get(match.node.kind).label + (match.alias ? " · also “" + match.alias + "”" : "");
      append(item, " ", el("span", why, "kg-why"));
      item.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
      results.appendChild(item);
    });
    if (!matches.length && search.value.trim()) results.appendChild(el("li", "no node has that name", "kg-why"));
    results.hidden = !search.value.trim();
  }

  function choose(i) {
    if (!matches[i]) return;
    results.hidden = true;
    select(matches[i].node.id, true);
  }

  search.addEventListener("input", function () { matches = find(search.value); active = 0; showResults(); });
  search.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); choose(active); }
    else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      active = Math.max(0, Math.min(matches.length - 1, active + (e.key === "ArrowDown" ? 1 : -1)));
      showResults();
    } else if (e.key === "Escape") { search.value = ""; matches = []; showResults(); }
  });
  search.addEventListener("blur", function () { results.hidden = true; });

  // --- legend and filters -------------------------------------------------------------------

  function refresh() {
    nodeView.refresh();
    edgeView.refresh();
    if (state.selected !== null) {
      if (visible(byId.get(state.selected))) network.selectNodes([state.selected]);
      else clearSelection();
    }
    var stats = nodeView.length + " of " + data.nodes.length + " nodes · " + edgeView.length + " links";
    document.getElementById("kg-stats").textContent = stats;
  }

  function legend() {
    var ul = document.getElementById("kg-legend");
    var eventsTitled = false;
    data.classes.forEach(function (cls) {
      if (cls.event && !eventsTitled) {
        var star = el("span", cls.glyph, "kg-glyph");
        star.style.color = cls.color;
        ul.appendChild(append(el("li"), star, " Events:"));
        eventsTitled = true;
      }
      var box = el("input");
      box.type = "checkbox";
      box.checked = !state.hidden.has(cls.kind);
      box.dataset.kind = cls.kind;
      box.addEventListener("change", function () {
        if (box.checked) state.hidden.delete(cls.kind); else state.hidden.add(cls.kind);
        refresh();
      });
      var glyph = el("span", cls.glyph, "kg-glyph");
      glyph.style.color = cls.color;
      var label = append(el("label"), box, " ", glyph, " " + cls.label + " ", el("span", "(" + cls.count + ")", "kg-count"));
      ul.appendChild(append(el("li", null, cls.event ? "kg-sub" : null), label));
    });
  }

  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function monthText(month) { return MONTHS[Number(month.slice(5, 7)) - 1] + " " + month.slice(0, 4); }

  // Two handles over the months events are dated in. At its ends a handle sets
  // no bound, so that articles published after the last event stay in view.
  function dateFilter() {
    var from = document.getElementById("kg-from"), to = document.getElementById("kg-to");
    var undated = document.getElementById("kg-undated");
    var months = data.months, last = months.length - 1;
    if (!months.length) {
      document.getElementById("kg-slider").hidden = true;
      document.getElementById("kg-no-dates").hidden = false;
      return;
    }
    [from, to].forEach(function (input) { input.max = String(last); });
    to.value = String(last);
    function show(input, month) {
      document.getElementById(input.id + "-month").textContent = monthText(month);
      input.setAttribute("aria-valuetext", monthText(month));
    }
    function update(moved) {
      var start = Number(from.value), end = Number(to.value);
      if (start > end) {
        if (moved === from) to.value = String(start); else from.value = String(end);
        start = Number(from.value);
        end = Number(to.value);
      }
      show(from, months[start]);
      show(to, months[end]);
      state.from = start > 0 ? months[start] : "";
      state.to = end < last ? months[end] : "";
      state.undated = undated.checked;
      refresh();
    }
    [from, to, undated].forEach(function (input) {
      input.addEventListener("input", function () { update(input); });
    });
    show(from, months[0]);
    show(to, months[last]);
  }

  function supportFilter() {
    if (data.maxSupport < 2) return; // one outlet at most: nothing to choose
    var select = document.getElementById("kg-support");
    for (var n = 1; n <= data.maxSupport; n++) {
      var option = el("option", String(n));
      option.value = String(n);
      select.appendChild(option);
    }
    select.addEventListener("change", function () { state.minSupport = Number(select.value); refresh(); });
    document.getElementById("kg-sources").hidden = false;
  }

  legend();
  dateFilter();
  supportFilter();
  if (data.dropped) {
    var dropped = document.getElementById("kg-dropped");
    dropped.textContent = "Showing part of the graph: " + data.dropped + ".";
    dropped.hidden = false;
  }
  hint();
  refresh();
  leadLabels();

  // For scripts driving the page (the browser tests): the network, its data, and select(id, focus).
  window.kgView = { network: network, data: data, select: select };
  network.once("afterDrawing", function () { document.body.dataset.ready = "true"; });
})();
