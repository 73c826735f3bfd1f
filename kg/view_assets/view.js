// The geokg browser view: draws the actors at the positions computed in Python (physics off),
// filters them, finds them by name and shows an actor's profile with its evidence.
// Every string from the news is put into the page with textContent or as vis-network's plain-text
// titles, never as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("geokg-data").textContent);
  var WIKIDATA = "https://www.wikidata.org/wiki/";
  var UNIT = 110; // pixels per layout unit (about one edge length)
  var actors = data.actors;
  var quadColour = {};
  data.quads.forEach(function (quad) { quadColour[String(quad.quad)] = quad.colour; });

  function quadKey(quad) { return quad === null ? "none" : String(quad); }
  function shownActor(index) { return index !== null && actors[index].shown; }

  function actorTitle(actor) {
    var lines = [actor.label, actor.kind || "actor"];
    if (actor.country) lines.push("country: " + actor.country);
    if (actor.wikidata) lines.push(WIKIDATA + actor.wikidata);
    return lines.join("\n");
  }

  function edgeTitle(edge) {
    var head = edge.kind + (edge.date ? " (" + edge.date + ")" : "");
    return edge.evidence ? head + "\n" + edge.evidence : head;
  }

  var nodes = new vis.DataSet(actors.filter(function (actor) { return actor.shown; }).map(function (actor) {
    return {id: actor.id, label: actor.label, title: actorTitle(actor), x: actor.x * UNIT, y: actor.y * UNIT,
            size: actor.size, color: actor.colour};
  }));
  var edges = new vis.DataSet(data.edges.filter(function (edge) {
    return shownActor(edge.source) && shownActor(edge.target);
  }).map(function (edge) {
    return {id: edge.id, from: edge.source, to: edge.target, title: edgeTitle(edge),
            color: quadColour[quadKey(edge.quad)], arrows: "to"};
  }));

  var checked = {};
  function readFilters() {
    document.querySelectorAll("#filters input[type=checkbox]").forEach(function (box) {
      checked[box.name + ":" + box.value] = box.checked;
    });
  }
  readFilters();
  function actorOn(index) { return checked["kind:" + (actors[index].kind || "")] !== false; }
  var nodeView = new vis.DataView(nodes, {filter: function (node) { return actorOn(node.id); }});
  var edgeView = new vis.DataView(edges, {filter: function (item) {
    var edge = data.edges[item.id];
    return checked["quad:" + quadKey(edge.quad)] !== false && checked["type:" + edge.kind] !== false &&
      actorOn(edge.source) && actorOn(edge.target);
  }});
  document.getElementById("filters").addEventListener("change", function () {
    readFilters();
    nodeView.refresh();
    edgeView.refresh();
  });

  var large = nodes.length > 1000;
  var network = new vis.Network(document.getElementById("network"), {nodes: nodeView, edges: edgeView}, {
    physics: {enabled: false},
    layout: {improvedLayout: false},
    nodes: {shape: "dot", font: {size: 14}, scaling: {label: {drawThreshold: 6}}},
    edges: {smooth: false, width: 1.2, arrows: {to: {enabled: true, scaleFactor: 0.5}}},
    interaction: {hover: !large, tooltipDelay: 150, hideEdgesOnDrag: large, hideEdgesOnZoom: large}
  });
  network.once("afterDrawing", function () {
    window.geokgReadyAt = performance.now();
    window.geokgReady = true;
  });

  // ---- the profile panel -------------------------------------------------------------------
  var panel = document.getElementById("profile");

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function link(href, text) {
    var anchor = element("a", text);
    anchor.href = href;
    anchor.target = "_blank";
    anchor.rel = "noopener noreferrer";
    return anchor;
  }

  function figure(value) { return typeof value === "number" ? value.toFixed(4) : value; }

  function itemLine(index) {
    var line = element("div", null, "item");
    if (index === null) return line;
    var item = data.items[index];
    var parts = ["news item " + (item.id || "?")];
    if (item.title) parts.push("«" + item.title + "»");
    if (item.source) parts.push(item.source);
    if (item.date) parts.push(item.date);
    if (item.path) parts.push(item.path);
    line.appendChild(document.createTextNode(parts.join(" · ")));
    if (item.url) {
      line.appendChild(document.createTextNode(" · "));
      // only web addresses become links; anything else (javascript:, data:) stays text
      line.appendChild(/^https?:\/\//i.test(item.url) ? link(item.url, item.url) : element("span", item.url));
    }
    return line;
  }

  function eventEntry(edge, outgoing) {
    var entry = element("li");
    var other = actors[outgoing ? edge.target : edge.source];
    var head = element("div");
    head.appendChild(element("strong", edge.kind));
    head.appendChild(document.createTextNode((outgoing ? " → " : " ← ") + other.label +
      (other.shown ? "" : " (not drawn)")));
    var details = [edge.date, edge.mode].filter(Boolean);
    if (details.length) head.appendChild(document.createTextNode(" (" + details.join(", ") + ")"));
    entry.appendChild(head);
    if (edge.evidence) entry.appendChild(element("blockquote", edge.evidence, "evidence"));
    entry.appendChild(itemLine(edge.item));
    return entry;
  }

  function eventList(title, list, outgoing) {
    var section = element("section");
    section.appendChild(element("h3", title + " (" + list.length + ")"));
    var ordered = element("ol");
    list.forEach(function (edge) { ordered.appendChild(eventEntry(edge, outgoing)); });
    section.appendChild(ordered);
    return section;
  }

  function showProfile(index) {
    var actor = actors[index];
    panel.replaceChildren();
    var close = element("button", "×", "close");
    close.title = "close";
    close.addEventListener("click", function () { panel.hidden = true; network.unselectAll(); });
    panel.appendChild(close);
    panel.appendChild(element("h2", actor.label));
    var facts = element("table");
    function row(name, value) {
      if (value === null || value === undefined || value === "") return;
      var tr = element("tr");
      tr.appendChild(element("td", name));
      var cell = element("td");
      if (value instanceof Node) cell.appendChild(value); else cell.textContent = String(value);
      tr.appendChild(cell);
      facts.appendChild(tr);
    }
    row("kind", actor.kind);
    row("English", actor.label_en);
    row("country", actor.country);
    if (actor.wikidata && /^Q[0-9]+$/.test(actor.wikidata)) {
      row("Wikidata", link(WIKIDATA + actor.wikidata, actor.wikidata));
    }
    row("rank", actor.rank);
    row("PageRank", figure(actor.pagerank));
    row("betweenness", figure(actor.betweenness));
    row("degree (in / out)", actor.degree === undefined ? null :
      actor.degree + " (" + actor.in_degree + " / " + actor.out_degree + ")");
    row("IRI", actor.iri);
    panel.appendChild(facts);
    var outgoing = data.edges.filter(function (edge) { return edge.source === index; });
    var incoming = data.edges.filter(function (edge) { return edge.target === index; });
    panel.appendChild(eventList("Events and relations from " + actor.label, outgoing, true));
    panel.appendChild(eventList("Events and relations towards " + actor.label, incoming, false));
    panel.hidden = false;
  }

  function select(index) {
    if (!shownActor(index)) return false;
    network.selectNodes([index]);
    network.focus(index, {scale: Math.max(network.getScale(), 0.8), animation: false});
    showProfile(index);
    return true;
  }

  network.on("click", function (params) {
    if (params.nodes.length) showProfile(params.nodes[0]);
    else panel.hidden = true;
  });

  // ---- search --------------------------------------------------------------------------------
  var search = document.getElementById("search");
  var searchStatus = document.getElementById("search-status");
  var matches = [];
  var current = -1;

  function find(query) {
    var needle = query.trim().toLocaleLowerCase("uk");
    if (!needle) return [];
    return actors.filter(function (actor) {
      return actor.shown && actorOn(actor.id) && [actor.label, actor.label_en].some(function (name) {
        return name && name.toLocaleLowerCase("uk").indexOf(needle) >= 0;
      });
    }).map(function (actor) { return actor.id; });
  }

  function next() {
    if (!matches.length) return;
    current = (current + 1) % matches.length;
    select(matches[current]);
    searchStatus.textContent = (current + 1) + " of " + matches.length + ": " + actors[matches[current]].label;
  }

  search.addEventListener("input", function () {
    matches = find(search.value);
    current = -1;
    var found = matches.length ? matches.length + " found (Enter)" : "none found";
    searchStatus.textContent = search.value.trim() ? found : "";
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); next(); }
  });

  window.geokg = {
    network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
    select: select, find: find,
    profileText: function () { return panel.hidden ? "" : panel.textContent; }
  };
})();
