/* global document, window, uPlot */
// The local intake's page: plain browser JavaScript, no build step, no framework. It polls the
// JSON API every 2 s (only while the tab is visible) and draws one uPlot chart per metric name.
// Everything shown is built with textContent: metric names, tags and event text are user data.
'use strict';

(function main() {
  const POLL_INTERVAL_MS = 2000;
  /** Lines per chart; past it, a "+N more" note. */
  const MAX_LINES = 8;
  /** Charts drawn at once; a filter narrows the rest down. */
  const MAX_CHARTS = 60;
  const MAX_EVENTS_SHOWN = 100;
  const MAX_LOGS_SHOWN = 300;
  const STATUS_ORDER = ['emergency', 'alert', 'critical', 'error', 'warn', 'notice', 'info', 'debug', 'trace', 'ok'];
  const CHART_HEIGHT_PX = 200;
  const COLORS = ['#632ca6', '#1f6feb', '#1a7f37', '#d4731a', '#c62828', '#0a8ea0', '#8a6d00', '#b0479b'];
  const QUANTILES = ['p50', 'p95', 'p99'];

  const $ = (id) => document.getElementById(id);
  const state = { series: [], sketches: [], events: [], checks: [], agent: {}, symdb: [], debugger: [], hosts: [], logs: [], stats: undefined, updatedAt: undefined, error: undefined };
  /** metric name → { section, plotEl, plot, shape, metaEl } */
  const charts = new Map();
  let filter = '';
  let timer;
  let polling = false;

  // ---- helpers -------------------------------------------------------------------------------

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (value === undefined || value === null) continue;
        if (key === 'class') node.className = value;
        else if (key === 'text') node.textContent = value;
        else if (key === 'title') node.title = value;
        else node.setAttribute(key, value);
      }
    }
    for (const child of children) {
      if (child === undefined || child === null) continue;
      node.append(child instanceof window.Node ? child : String(child));
    }
    return node;
  }

  const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });
  const compactFormat = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 2 });
  function fmt(value) {
    if (value === null || value === undefined || Number.isNaN(value)) return '–';
    if (Math.abs(value) >= 1e6) return compactFormat.format(value);
    if (value !== 0 && Math.abs(value) < 0.001) return value.toExponential(2);
    return numberFormat.format(value);
  }

  function fmtBytes(bytes) {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  }

  function fmtTime(unixSeconds) {
    if (!unixSeconds) return '–';
    return new Date(unixSeconds * 1000).toLocaleTimeString();
  }

  function contextLabel(ctx) {
    const parts = [...ctx.tags];
    if (ctx.host) parts.unshift(`host:${ctx.host}`);
    return parts.length === 0 ? '(no tags)' : parts.join(', ');
  }

  function matches(...texts) {
    if (filter === '') return true;
    return texts.some((t) => typeof t === 'string' && t.toLowerCase().includes(filter));
  }

  function setEmpty(id, empty) {
    $(id).hidden = !empty;
  }

  // ---- data ----------------------------------------------------------------------------------

  async function getJson(path) {
    const response = await window.fetch(path, { cache: 'no-store' });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  }

  async function poll() {
    if (polling) return;
    polling = true;
    try {
      const [series, sketches, events, checks, agent, symdb, debuggerUploads, hosts, logs, stats] = await Promise.all(
        ['series', 'sketches', 'events', 'service_checks', 'agent', 'symdb', 'debugger', 'hosts', 'logs', 'stats'].map((name) => getJson(`/api/local/${name}`)),
      );
      Object.assign(state, { series, sketches, events, checks, agent, symdb, debugger: debuggerUploads, hosts, logs, stats, updatedAt: new Date(), error: undefined });
    } catch (error) {
      state.error = error instanceof Error ? error.message : String(error);
    } finally {
      polling = false;
    }
    render();
  }

  function schedule() {
    window.clearTimeout(timer);
    if (document.hidden) return;
    timer = window.setTimeout(async () => {
      await poll();
      schedule();
    }, POLL_INTERVAL_MS);
  }

  // ---- charts --------------------------------------------------------------------------------

  /** One chart's lines, from the series (or distributions) of one metric name. */
  function chartModel(name, series, sketches) {
    const lines = [];
    let kind;
    let hidden;
    let contexts;
    if (series.length > 0) {
      const types = new Set(series.map((s) => s.type));
      kind = types.size === 1 ? series[0].type : 'mixed';
      contexts = series.length;
      const shown = series.slice(0, MAX_LINES);
      hidden = series.length - shown.length;
      for (const s of shown) {
        const label = types.size === 1 ? contextLabel(s) : `${s.type} ${contextLabel(s)}`;
        lines.push({ label, points: s.points.map((p) => [p[0], p[1]]) });
      }
    } else {
      kind = 'distribution';
      contexts = sketches.length;
      const perContext = Math.max(1, Math.floor(MAX_LINES / QUANTILES.length));
      const shown = sketches.slice(0, perContext);
      hidden = sketches.length - shown.length;
      for (const s of shown) {
        const ctx = sketches.length > 1 ? ` ${contextLabel(s)}` : '';
        for (const q of QUANTILES) lines.push({ label: `${q}${ctx}`, points: s.points.map((p) => [p.ts, p[q]]) });
      }
    }
    // uPlot wants one shared, sorted x array; a line with no point at some x gets null there.
    const xs = [...new Set(lines.flatMap((l) => l.points.map((p) => p[0])))].sort((a, b) => a - b);
    const index = new Map(xs.map((x, i) => [x, i]));
    const data = [xs];
    for (const line of lines) {
      const ys = new Array(xs.length).fill(null);
      for (const [x, y] of line.points) ys[index.get(x)] = y;
      data.push(ys);
    }
    const lastLine = lines[0]?.points.at(-1);
    return { name, kind, contexts, hidden, labels: lines.map((l) => l.label), data, last: lastLine ? lastLine[1] : undefined };
  }

  function plotOptions(model, width) {
    const sparse = model.data[0].length <= 30;
    return {
      width,
      height: CHART_HEIGHT_PX,
      legend: { show: true, live: true },
      cursor: { drag: { x: true, y: false } },
      scales: {
        // With one timestamp uPlot spans 1000 days after it: show a minute on each side instead.
        x: { time: true, range: (u, min, max) => (u.data[0].length === 1 ? [u.data[0][0] - 60, u.data[0][0] + 60] : [min, max]) },
      },
      axes: [
        { stroke: '#6b7385', grid: { stroke: '#eceef2', width: 1 }, ticks: { stroke: '#e2e5eb', width: 1 } },
        { stroke: '#6b7385', size: 56, grid: { stroke: '#eceef2', width: 1 }, ticks: { stroke: '#e2e5eb', width: 1 }, values: (_u, ticks) => ticks.map(fmt) },
      ],
      series: [
        { label: 'time' },
        ...model.labels.map((label, i) => ({
          label,
          stroke: COLORS[i % COLORS.length],
          width: 1.5,
          spanGaps: true,
          value: (_u, v) => fmt(v),
          points: { show: sparse, size: 6, fill: COLORS[i % COLORS.length] },
        })),
      ],
    };
  }

  function plotWidth(section) {
    return Math.max(240, section.clientWidth - 22);
  }

  function renderChart(model) {
    let chart = charts.get(model.name);
    if (chart === undefined) {
      const plotEl = el('div', { class: 'plot' });
      const metaEl = el('div', { class: 'meta' });
      const section = el('section', { class: 'chart', 'data-metric': model.name }, el('h3', { text: model.name, title: model.name }), metaEl, plotEl);
      chart = { section, plotEl, metaEl, plot: undefined, shape: '' };
      charts.set(model.name, chart);
    }
    const meta = [
      el('span', { class: `badge ${model.kind}`, text: model.kind }),
      el('span', { text: `${model.contexts} ${model.contexts === 1 ? 'context' : 'contexts'}` }),
    ];
    if (model.last !== undefined) meta.push(el('span', null, 'last ', el('span', { class: 'last', text: fmt(model.last) })));
    if (model.hidden > 0) meta.push(el('span', { class: 'more', text: `+${model.hidden} more ${model.kind === 'distribution' ? 'tag sets' : 'lines'} not drawn` }));
    chart.metaEl.replaceChildren(...meta);
    return chart;
  }

  /** Draws (or updates) a chart once its section is in the page, so it knows its width. */
  function drawChart(chart, model) {
    const shape = JSON.stringify([model.labels, model.data[0].length <= 30]);
    if (chart.plot !== undefined && chart.shape === shape) {
      chart.plot.setData(model.data);
      return;
    }
    chart.plot?.destroy();
    chart.plot = new uPlot(plotOptions(model, plotWidth(chart.section)), model.data, chart.plotEl);
    chart.shape = shape;
  }

  function renderCharts() {
    const seriesByName = groupBy(state.series, (s) => s.metric);
    const sketchesByName = groupBy(state.sketches, (s) => s.metric);
    const names = [...new Set([...seriesByName.keys(), ...sketchesByName.keys()])].sort();
    const visible = names.filter((name) => {
      if (matches(name)) return true;
      const contexts = [...(seriesByName.get(name) ?? []), ...(sketchesByName.get(name) ?? [])];
      return contexts.some((c) => matches(c.host, ...c.tags));
    });
    const drawn = visible.slice(0, MAX_CHARTS);
    const container = $('charts');
    const keep = new Set(drawn);
    for (const [name, chart] of charts) {
      if (keep.has(name)) continue;
      chart.plot?.destroy();
      chart.section.remove();
      charts.delete(name);
    }
    const models = drawn.map((name) => chartModel(name, seriesByName.get(name) ?? [], sketchesByName.get(name) ?? []));
    const sections = models.map((model) => renderChart(model).section);
    // Re-append only when the order changed: moving nodes is cheap but not free.
    const current = [...container.children];
    if (current.length !== sections.length || current.some((node, i) => node !== sections[i])) container.replaceChildren(...sections);
    models.forEach((model) => drawChart(charts.get(model.name), model));
    $('metrics-count').textContent = names.length === 0 ? '' : `${visible.length === names.length ? names.length : `${visible.length} of ${names.length}`}`;
    setEmpty('charts-empty', names.length === 0);
    const more = $('charts-more');
    more.hidden = visible.length <= drawn.length;
    more.textContent = `+${visible.length - drawn.length} more metrics match: narrow them down with the filter.`;
  }

  function groupBy(items, keyOf) {
    const out = new Map();
    for (const item of items) {
      const key = keyOf(item);
      const list = out.get(key);
      if (list) list.push(item);
      else out.set(key, [item]);
    }
    return out;
  }

  // ---- lists and tables ----------------------------------------------------------------------

  function tagChips(tags) {
    return el('span', { class: 'tags' }, ...tags.map((t) => el('span', { class: 'tag', text: t })));
  }

  function renderEvents() {
    const shown = state.events.filter((e) => matches(e.title, e.text, e.host, ...e.tags)).reverse();
    const list = shown.slice(0, MAX_EVENTS_SHOWN).map((e) =>
      el(
        'li',
        { class: `event ${e.alertType}` },
        el('div', null, el('span', { class: 'title', text: e.title }), el('span', { class: 'when', text: `${fmtTime(e.timestamp)} · ${e.alertType}${e.priority === 'low' ? ' · low' : ''}${e.host ? ` · ${e.host}` : ''}` })),
        e.text ? el('div', { class: 'text', text: e.text.length > 600 ? `${e.text.slice(0, 600)}…` : e.text }) : null,
        e.tags.length > 0 ? tagChips(e.tags) : null,
      ),
    );
    $('events').replaceChildren(...list);
    $('events-count').textContent = state.events.length === 0 ? '' : String(state.events.length);
    setEmpty('events-empty', shown.length === 0);
  }

  function renderLogs() {
    // The status choice lists the statuses seen, most severe first; the choice survives polls.
    const select = $('logs-status');
    const chosen = select.value;
    const seen = new Set(state.logs.map((l) => l.status));
    const statuses = [...seen].sort((a, b) => STATUS_ORDER.indexOf(a) - STATUS_ORDER.indexOf(b));
    if ([...select.options].slice(1).map((o) => o.value).join() !== statuses.join()) {
      select.replaceChildren(el('option', { value: '', text: 'every status' }), ...statuses.map((s) => el('option', { value: s, text: s })));
      select.value = seen.has(chosen) ? chosen : '';
    }
    const status = select.value;
    // Newest first: by the log's own time; logs of the same millisecond, last received first (a stable sort of the reversed list).
    const shown = [...state.logs]
      .reverse()
      .filter((l) => (status === '' || l.status === status) && matches(l.message, l.service, l.ddsource, l.hostname, ...l.tags))
      .sort((a, b) => b.timestamp - a.timestamp);
    const rows = shown.slice(0, MAX_LOGS_SHOWN).map((l) =>
      el(
        'tr',
        { class: `log ${l.status}` },
        el('td', { class: 'mono', text: new Date(l.timestamp || l.receivedAtMs).toLocaleTimeString() }),
        el('td', null, el('span', { class: `pill log-${l.status}`, text: l.status })),
        el('td', { class: 'mono', text: `${l.service || '—'} · ${l.ddsource || '—'}` }),
        el('td', { class: 'message', text: l.messageLength > l.message.length ? `${l.message}… (${l.messageLength} characters)` : l.message }),
        el('td', null, tagChips(l.tags)),
      ),
    );
    $('logs').querySelector('tbody').replaceChildren(...rows);
    $('logs-count').textContent = state.logs.length === 0 ? '' : String(state.logs.length);
    const more = $('logs-more');
    more.hidden = shown.length <= MAX_LOGS_SHOWN;
    more.textContent = `+${shown.length - MAX_LOGS_SHOWN} older logs: narrow the filter to see them`;
    setEmpty('logs-empty', shown.length === 0);
  }

  function renderChecks() {
    // The latest run of each check (name + host + tags), most recent first.
    const latest = new Map();
    for (const c of state.checks) {
      const key = `${c.check}\u0000${c.host}\u0000${[...c.tags].sort().join(',')}`;
      const seen = latest.get(key);
      latest.set(key, { check: c, runs: (seen?.runs ?? 0) + 1 });
    }
    const rows = [...latest.values()]
      .filter(({ check: c }) => matches(c.check, c.host, c.message, ...c.tags))
      .sort((a, b) => b.check.receivedAtMs - a.check.receivedAtMs)
      .map(({ check: c, runs }) =>
        el(
          'tr',
          null,
          el('td', null, el('span', { class: `pill ${c.statusName}`, text: c.statusName })),
          el('td', { class: 'mono', text: c.check }),
          el('td', { text: c.host || '–' }),
          el('td', null, tagChips(c.tags)),
          el('td', { text: c.message }),
          el('td', { text: fmtTime(c.timestamp) }),
          el('td', { class: 'num', text: String(runs) }),
        ),
      );
    $('checks').tBodies[0].replaceChildren(...rows);
    $('checks').hidden = rows.length === 0;
    $('checks-count').textContent = latest.size === 0 ? '' : String(latest.size);
    setEmpty('checks-empty', rows.length === 0);
  }

  function counterCard(name, counters) {
    const entries = Object.entries(counters).sort(([a], [b]) => a.localeCompare(b));
    const dropping = entries.some(([k, v]) => k.startsWith('dropped') && v > 0);
    if (entries.length === 0) return el('div', { class: 'component' }, el('h3', { text: name }), el('p', { class: 'empty', text: 'none' }));
    const dl = el('dl');
    for (const [key, value] of entries) {
      const isDrop = key.startsWith('dropped') && value > 0;
      dl.append(el('dt', { text: key, class: isDrop ? 'drop' : undefined }), el('dd', { text: fmt(value), class: isDrop ? 'drop' : undefined }));
    }
    return el('div', { class: `component${dropping ? ' dropping' : ''}` }, el('h3', { text: name }), dl);
  }

  function renderAgent() {
    const components = Object.entries(state.agent).sort(([a], [b]) => a.localeCompare(b));
    const box = $('agent');
    if (components.length === 0) {
      box.replaceChildren(el('p', { class: 'empty', text: 'No agent counters (intake running alone).' }));
      return;
    }
    box.replaceChildren(...components.map(([name, counters]) => counterCard(name, counters)));
  }

  function renderSymdb() {
    const rows = [...state.symdb]
      .reverse()
      .filter((u) => matches(u.service, u.version, u.env, ...u.topLevelScopes))
      .map((u) =>
        el(
          'tr',
          null,
          el('td', { text: new Date(u.receivedAtMs).toLocaleTimeString() }),
          el('td', { text: u.service }),
          el('td', { text: u.version || '–' }),
          el('td', { text: u.env || '–' }),
          el('td', { text: `${u.batchNum ?? '–'}${u.final ? ' (final)' : ''}` }),
          el('td', { class: 'num', text: String(u.fileCount) }),
          el('td', { class: 'num', text: `${u.scopeCount} / ${u.totalScopeCount}`, title: 'top-level / all scopes' }),
          el('td', { class: 'num', text: `${fmtBytes(u.compressedBytes)} → ${fmtBytes(u.uncompressedBytes)}` }),
          el('td', { class: 'mono', text: u.topLevelScopes.slice(0, 5).join(', ') + (u.scopeCount > 5 ? ` … (+${u.scopeCount - 5})` : '') }),
          headersCell(u.headers),
        ),
      );
    $('symdb').tBodies[0].replaceChildren(...rows);
    $('symdb').hidden = rows.length === 0;
    $('symdb-count').textContent = state.symdb.length === 0 ? '' : String(state.symdb.length);
    setEmpty('symdb-empty', rows.length === 0);
  }

  function renderHosts() {
    // The latest host metadata of each host: its tags are what Datadog puts on the host.
    const rows = [...state.hosts]
      .reverse()
      .filter((h) => matches(h.hostname, h.os, h.agentVersion, ...h.tags))
      .map((h) =>
        el(
          'tr',
          { 'data-host': h.hostname },
          el('td', { class: 'mono', text: h.hostname || '–' }),
          el('td', null, h.tags.length > 0 ? tagChips(h.tags) : el('span', { class: 'muted', text: 'no host tags' })),
          el('td', { text: `${h.os || '–'} · ${h.agentVersion || '–'}` }),
          el('td', { text: new Date(h.receivedAtMs).toLocaleTimeString() }),
          el('td', { class: 'num', text: String(h.payloads) }),
        ),
      );
    $('hosts').tBodies[0].replaceChildren(...rows);
    $('hosts').hidden = rows.length === 0;
    $('hosts-count').textContent = state.hosts.length === 0 ? '' : String(state.hosts.length);
    setEmpty('hosts-empty', rows.length === 0);
  }

  function renderIntakeStats() {
    const s = state.stats;
    if (!s) return;
    const prefixed = (prefix, record) => Object.fromEntries(Object.entries(record).map(([k, v]) => [`${prefix}${k}`, v]));
    $('intake-stats').replaceChildren(
      counterCard('requests', s.requests),
      counterCard('items received', s.items),
      counterCard('stored now', { ...s.stored, evicted: s.evicted }),
      counterCard('refused', prefixed('dropped.', s.dropped)),
    );
  }

  function renderHeader() {
    const status = $('status');
    const text = $('status-text');
    const components = Object.keys(state.agent).length;
    if (state.error !== undefined) {
      status.dataset.state = 'down';
      text.textContent = `intake unreachable (${state.error}), retrying`;
    } else if (components > 0) {
      status.dataset.state = 'live';
      text.textContent = `live · agent running (${components} components)`;
    } else {
      status.dataset.state = 'alone';
      text.textContent = 'live · intake running alone';
    }
    const stored = state.stats?.stored;
    const dropped = state.stats ? Object.values(state.stats.dropped).reduce((a, b) => a + b, 0) : 0;
    $('summary').textContent = stored
      ? `${stored.series} series · ${stored.sketches} distributions · ${stored.events} events · ${stored.serviceChecks} checks${stored.logs > 0 ? ` · ${stored.logs} logs` : ''}${dropped > 0 ? ` · ${dropped} refused` : ''}${state.updatedAt ? ` · updated ${state.updatedAt.toLocaleTimeString()}` : ''}`
      : '';
  }

  /** Who sent an upload and through what: the origin and the agent's tags; request id and (masked) key on hover. */
  function headersCell(headers) {
    const h = headers || {};
    const tags = h.ddtags || h.additionalTags || '';
    const title = [h.requestId ? `DD-REQUEST-ID ${h.requestId}` : '', h.apiKey ? `DD-API-KEY ${h.apiKey}` : 'no DD-API-KEY', h.userAgent ? `User-Agent ${h.userAgent}` : ''].filter(Boolean).join('\n');
    return el('td', { class: 'mono', title, text: `${h.evpOrigin || '–'}${tags ? ` · ${tags}` : ''}` });
  }

  function renderDebugger() {
    const rows = [...state.debugger]
      .reverse()
      .filter((u) => matches(u.path, u.service, u.sample, u.headers.ddtags, u.headers.evpOrigin))
      .map((u) =>
        el(
          'tr',
          null,
          el('td', { text: new Date(u.receivedAtMs).toLocaleTimeString() }),
          el('td', { class: 'mono', text: u.path }),
          el('td', { text: u.service || '–' }),
          el('td', { class: 'num', text: String(u.items) }),
          el('td', { class: 'num', text: fmtBytes(u.bytes) }),
          el('td', { class: 'mono', text: u.sample || '' }),
          headersCell(u.headers),
        ),
      );
    $('debugger').tBodies[0].replaceChildren(...rows);
    $('debugger').hidden = rows.length === 0;
    $('debugger-count').textContent = state.debugger.length === 0 ? '' : String(state.debugger.length);
    setEmpty('debugger-empty', rows.length === 0);
  }

  function render() {
    renderHeader();
    renderCharts();
    renderEvents();
    renderChecks();
    renderLogs();
    renderAgent();
    renderHosts();
    renderSymdb();
    renderDebugger();
    renderIntakeStats();
  }

  // ---- wiring --------------------------------------------------------------------------------

  $('logs-status').addEventListener('change', () => renderLogs());

  $('filter').addEventListener('input', (event) => {
    filter = event.target.value.trim().toLowerCase();
    render();
  });

  let resizeTimer;
  window.addEventListener('resize', () => {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(() => {
      for (const chart of charts.values()) chart.plot?.setSize({ width: plotWidth(chart.section), height: CHART_HEIGHT_PX });
    }, 150);
  });

  document.addEventListener('visibilitychange', () => {
    if (document.hidden) {
      window.clearTimeout(timer);
      return;
    }
    void poll().then(schedule);
  });

  void poll().then(schedule);
})();
