/*
 * Roundhouse dashboard: one panel per backend node, fed by the balancer's Server-Sent Events.
 * On every (re)connect the page reloads the full snapshot with histories from /api/stats, then
 * appends one point per node from each `stats` event of /api/stats/stream.
 */
(() => {
  'use strict';

  const HISTORY_POINTS = 300; // five minutes at one sample a second, as the balancer keeps
  const STALE_AFTER_MS = 4000; // samples come every second; four missed means trouble
  const RETRY_MS = 2000;
  const CHART_HEIGHT = 110;
  const COMPACT_HEIGHT = 64; // with many nodes: smaller panels, so 50 fit on a screen or two
  const MANY_NODES = 12;
  const Y_SPACE = 24; // least pixels between two y-axis ticks
  const SERVICE_NAMES = { echo: 'TCP echo', ws: 'WebSocket' };
  const COLORS = { lb: '#58a6ff', reported: '#f0b849', share: '#3fb950', axis: '#8b949e', grid: 'rgba(139,148,158,.14)' };
  const AXIS_FONT = '11px system-ui, sans-serif';
  const measure = document.createElement('canvas').getContext('2d');
  measure.font = AXIS_FONT;

  /** Counts as tick labels: 950, 1.5k, 12k, 1.2M; short enough for a narrow axis. */
  function compact(v) {
    const a = Math.abs(v);
    if (a >= 1e6) return `${+(v / 1e6).toFixed(a % 1e6 ? 1 : 0)}M`;
    if (a >= 1e3) return `${+(v / 1e3).toFixed(a % 1e3 ? 1 : 0)}k`;
    return String(v);
  }

  /** Tick labels are drawn on a canvas: the chart's element names them too (data-y-labels). */
  function labelled(u, key, labels) {
    u.root.dataset[key] = labels.join('|');
    return labels;
  }

  /** An axis as wide as its widest label, plus the tick and a gap: no label is ever clipped. */
  function axisSize(self, values) {
    const widest = Math.max(0, ...(values || []).map((v) => measure.measureText(v).width));
    return Math.ceil(widest) + 14;
  }

  const grid = document.getElementById('nodes');
  const template = document.getElementById('node-template');
  const loopTemplate = document.getElementById('loop-template');
  const numbers = new Intl.NumberFormat('en');
  const views = new Map(); // node id -> { el, chart, xs, lb, reported }
  let source = null;
  let lastEventAt = 0;
  let retryTimer = null;

  function setStatus(state, text) {
    const status = document.getElementById('status');
    status.dataset.state = state;
    status.textContent = text;
    document.body.dataset.state = state;
  }

  function connect() {
    clearTimeout(retryTimer);
    if (source) source.close();
    setStatus('connecting', 'connecting…');
    source = new EventSource('/api/stats/stream');
    source.addEventListener('open', loadSnapshot);
    source.addEventListener('stats', (event) => {
      lastEventAt = Date.now();
      setStatus('live', 'live');
      apply(JSON.parse(event.data), false);
    });
    source.addEventListener('error', () => {
      setStatus('disconnected', 'disconnected · retrying');
      // The browser retries by itself unless the answer was not an event stream at all.
      if (source.readyState === EventSource.CLOSED) retryTimer = setTimeout(connect, RETRY_MS);
    });
  }

  /** Histories come only with the full snapshot: after a balancer restart they start afresh. */
  function loadSnapshot() {
    fetch('/api/stats', { cache: 'no-store' })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((snapshot) => apply(snapshot, true))
      .catch(() => { /* the stream's own events still arrive; the next reconnect tries again */ });
  }

  /** A stream that stops delivering without breaking (a hung balancer) counts as disconnected. */
  setInterval(() => {
    if (document.body.dataset.state === 'live' && Date.now() - lastEventAt > STALE_AFTER_MS) {
      setStatus('disconnected', 'no data · reconnecting');
      connect();
    }
  }, 1000);

  function apply(snapshot, full) {
    document.getElementById('balancer').textContent = snapshot.balancer;
    for (const [service, totals] of Object.entries(snapshot.services || {})) renderTotals(service, totals);
    if (snapshot.limits) renderLimits(snapshot.limits);
    const seen = new Set();
    const sums = serviceSums(snapshot.nodes);
    const historySums = full ? historyServiceSums(snapshot.nodes) : null;
    const many = snapshot.nodes.length > MANY_NODES;
    if ((document.body.dataset.many === 'true') !== many) {
      document.body.dataset.many = String(many);
      for (const view of views.values()) resize(view);
    }
    for (const node of snapshot.nodes) {
      seen.add(node.id);
      const view = views.get(node.id) || addView(node);
      const sum = sums[node.service] || { active: 0, nodes: 0 };
      if (full && node.history) {
        replaceHistory(view, node.history, historySums[node.service]);
      } else {
        appendPoint(view, snapshot.timestamp, node.activeConnections, node.reportedActiveConnections, share(node.activeConnections, sum.active));
      }
      renderNode(view, node, sum);
      redraw(view);
    }
    for (const [id, view] of views) {
      if (!seen.has(id)) removeView(id, view);
    }
    document.getElementById('empty').hidden = views.size > 0;
  }

  /** Per service: the connections this balancer holds over all its nodes, and how many nodes. */
  function serviceSums(nodes) {
    const sums = {};
    for (const n of nodes) {
      const s = sums[n.service] || (sums[n.service] = { active: 0, nodes: 0 });
      s.active += n.activeConnections;
      s.nodes += 1;
    }
    return sums;
  }

  /** Per service, per history timestamp: the sum of the nodes' LB views at that sample. */
  function historyServiceSums(nodes) {
    const sums = {};
    for (const n of nodes) {
      const byTime = sums[n.service] || (sums[n.service] = new Map());
      for (const p of n.history || []) byTime.set(p[0], (byTime.get(p[0]) || 0) + p[1]);
    }
    return sums;
  }

  /** A node's share of its service, in percent; null while the service holds nothing. */
  function share(active, total) {
    return total > 0 ? (100 * active) / total : null;
  }

  function renderTotals(service, totals) {
    const el = document.querySelector(`[data-service-total="${CSS.escape(service)}"]`);
    if (!el) return;
    el.dataset.nodes = totals.nodes;
    el.dataset.lbActive = totals.activeConnections;
    el.dataset.reportedActive = totals.reportedActiveConnections;
    el.dataset.rate = totals.connectionsPerSecond;
    el.querySelector('.t-nodes').textContent = totals.nodes;
    el.querySelector('.t-lb').textContent = totals.activeConnections;
    el.querySelector('.t-reported').textContent = totals.reportedActiveConnections;
    el.querySelector('.t-rate').textContent = formatRate(totals.connectionsPerSecond);
  }

  // Queue lengths per service, and every limit that turned someone away, by reason.
  function renderLimits(limits) {
    for (const [service, queue] of Object.entries(limits.queues || {})) {
      const el = document.querySelector(`[data-service-total="${CSS.escape(service)}"] .t-queued`);
      if (el) {
        el.textContent = queue.peak > 0 ? `${queue.current} (peak ${queue.peak})` : String(queue.current);
        el.closest('.queued').dataset.waiting = queue.current > 0;
      }
    }
    const counts = {};
    for (const byReason of Object.values(limits.rejected || {})) {
      for (const [reason, n] of Object.entries(byReason)) counts[reason] = (counts[reason] || 0) + n;
    }
    const hit = Object.entries(counts).filter(([, n]) => n > 0);
    const line = document.getElementById('limits');
    line.hidden = hit.length === 0;
    line.textContent = 'turned away by limits: ' +
      hit.map(([reason, n]) => `${reason.replace(/_/g, ' ')} ${n}`).join(' · ');
    line.dataset.rejected = hit.reduce((sum, [, n]) => sum + n, 0);
  }

  function addView(node) {
    const el = template.content.firstElementChild.cloneNode(true);
    el.dataset.nodeId = node.id;
    el.dataset.service = node.service;
    el.querySelector('.id').textContent = node.id;
    el.querySelector('.service').textContent = SERVICE_NAMES[node.service] || node.service;
    // Keep panels ordered by service, then id, as the balancer lists them.
    const key = sortKey(node.service, node.id);
    const before = [...grid.children].find((other) => sortKey(other.dataset.service, other.dataset.nodeId) > key);
    grid.insertBefore(el, before || null);
    const view = { el, chart: null, xs: [], lb: [], reported: [], share: [] };
    views.set(node.id, view);
    return view;
  }

  function removeView(id, view) {
    if (view.chart) view.chart.destroy();
    view.el.remove();
    views.delete(id);
  }

  function sortKey(service, id) {
    return `${service}\u0000${id}`;
  }

  function renderNode(view, node, sum) {
    const el = view.el;
    const nodeShare = share(node.activeConnections, sum.active);
    const fair = sum.nodes > 0 ? 100 / sum.nodes : 0;
    el.dataset.share = nodeShare == null ? '' : nodeShare.toFixed(1);
    el.dataset.fairShare = fair.toFixed(1);
    el.querySelector('.n-share').textContent = nodeShare == null ? '–' : `${Math.round(nodeShare)}%`;
    el.querySelector('.n-fair').textContent = `fair ${Math.round(fair)}%`;
    const reported = node.reportedActiveConnections;
    el.dataset.health = node.health;
    el.dataset.lbActive = node.activeConnections;
    el.dataset.reportedActive = reported == null ? '' : reported;
    el.dataset.rate = node.connectionsPerSecond;
    el.querySelector('.address').textContent = `${node.host}:${node.port}`;
    const badge = el.querySelector('.badge');
    badge.textContent = node.health;
    badge.className = `badge ${node.health}`;
    el.dataset.weight = node.weight;
    el.querySelector('.reason').textContent = reasonText(node);
    el.querySelector('.n-lb').textContent = node.activeConnections;
    el.querySelector('.n-reported').textContent = reported == null ? '–' : reported;
    el.querySelector('.n-rate').textContent = formatRate(node.connectionsPerSecond);
    el.querySelector('.n-total').textContent = node.totalConnections;
    el.querySelector('.n-reported-total').textContent =
      node.reportedTotalConnections == null ? '–' : node.reportedTotalConnections;
    renderSockets(view, node);
  }

  /**
   * The same connections from both ends: the balancer's open legs to the node beside what the node
   * says it has open; then the node's own spread over its event loops and its fds.
   */
  function renderSockets(view, node) {
    const el = view.el;
    const reported = node.reportedActiveConnections;
    const ends = el.querySelector('.ends');
    ends.dataset.lbOpen = node.activeConnections;
    ends.dataset.nodeOpen = reported == null ? '' : reported;
    el.querySelector('.e-lb').textContent = numbers.format(node.activeConnections);
    el.querySelector('.e-node').textContent = reported == null ? '–' : numbers.format(reported);
    renderLoops(el.querySelector('.loops'), node.reportedLoops || []);
    const fds = node.reportedFds;
    const box = el.querySelector('.fds');
    box.dataset.fdsOpen = fds ? fds.open : '';
    box.dataset.fdsMax = fds ? fds.max : '';
    box.hidden = !fds;
    if (fds) {
      box.querySelector('.meter span').style.width = `${Math.min(100, (100 * fds.open) / fds.max).toFixed(1)}%`;
      box.querySelector('.e-fds').textContent = `${numbers.format(fds.open)} / ${compact(fds.max)}`;
    }
  }

  /** One row per event loop: a bar of its share of the open connections, one of the accepts. */
  function renderLoops(box, loops) {
    box.dataset.loops = loops.map((l) => `${l.thread}:${l.active}:${l.total}`).join('|');
    box.hidden = loops.length === 0;
    while (box.children.length > loops.length) box.lastElementChild.remove();
    while (box.children.length < loops.length) box.append(loopTemplate.content.firstElementChild.cloneNode(true));
    const open = loops.reduce((sum, l) => sum + l.active, 0);
    const accepted = loops.reduce((sum, l) => sum + l.total, 0);
    loops.forEach((l, i) => {
      const row = box.children[i];
      row.dataset.thread = l.thread;
      row.dataset.active = l.active;
      row.dataset.total = l.total;
      row.querySelector('.l-name').textContent = l.thread.replace('vert.x-eventloop-thread-', 'loop ');
      row.querySelector('.l-open').style.width = `${open > 0 ? (100 * l.active) / open : 0}%`;
      row.querySelector('.l-acc').style.width = `${accepted > 0 ? (100 * l.total) / accepted : 0}%`;
      row.querySelector('.l-counts').textContent = `${compact(l.active)} open · ${compact(l.total)} acc`;
    });
  }

  /** The health's reason, and the slow-start share while the node warms up. */
  function reasonText(node) {
    const warming = node.weight != null && node.weight < 1 ? ` · warming up ${Math.round(node.weight * 100)}%` : '';
    return `${node.reason || ''}${warming}`;
  }

  function formatRate(rate) {
    return rate >= 10 ? String(Math.round(rate)) : rate.toFixed(1);
  }

  function replaceHistory(view, history, sums) {
    view.xs = history.map((p) => p[0] / 1000);
    view.lb = history.map((p) => p[1]);
    view.reported = history.map((p) => p[2]);
    view.share = history.map((p) => share(p[1], sums ? sums.get(p[0]) || 0 : 0));
  }

  /** Points older than the newest one are repeats (the snapshot raced the stream): skipped. */
  function appendPoint(view, timestamp, lb, reported, nodeShare) {
    const t = timestamp / 1000;
    if (view.xs.length && t <= view.xs[view.xs.length - 1]) return;
    view.xs.push(t);
    view.lb.push(lb);
    view.reported.push(reported == null ? null : reported);
    view.share.push(nodeShare);
    const excess = view.xs.length - HISTORY_POINTS;
    if (excess > 0) {
      view.xs.splice(0, excess);
      view.lb.splice(0, excess);
      view.reported.splice(0, excess);
      view.share.splice(0, excess);
    }
  }

  function redraw(view) {
    const data = [view.xs, view.lb, view.reported, view.share];
    if (view.chart) {
      view.chart.setData(data);
    } else if (view.xs.length > 0 && typeof uPlot === 'function') {
      view.chart = new uPlot(chartOptions(view.el.querySelector('.chart')), data, view.el.querySelector('.chart'));
    }
  }

  function chartOptions(target) {
    const axis = {
      stroke: COLORS.axis,
      font: AXIS_FONT,
      grid: { stroke: COLORS.grid, width: 1 },
      ticks: { stroke: COLORS.grid, width: 1, size: 4 },
    };
    return {
      width: Math.max(160, target.clientWidth),
      height: chartHeight(),
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      scales: {
        x: { time: true },
        // Connection counts: from zero, whole numbers, never a flat line at the top edge.
        // The top is a round count (1, 2 or 5 times a power of ten), so it can be labelled.
        y: { range: (u, min, max) => [0, roundUp(Math.max(2, (max || 0) * 1.2))] },
        share: { range: [0, 100] },
      },
      axes: [
        { ...axis, size: 26, space: 60 },
        {
          ...axis,
          space: Y_SPACE,
          incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6],
          splits: compactSplits,
          values: (u, splits) => labelled(u, 'yLabels', splits.map(compact)),
          size: axisSize,
        },
        {
          ...axis,
          scale: 'share',
          side: 1,
          space: 24,
          grid: { show: false },
          incrs: [25, 50],
          values: (u, splits) => labelled(u, 'shareLabels', splits.map((v) => `${v}%`)),
          size: axisSize,
        },
      ],
      series: [
        {},
        { label: 'LB view', stroke: COLORS.lb, width: 2, fill: 'rgba(88,166,255,.12)', points: { show: false } },
        { label: 'node reports', stroke: COLORS.reported, width: 1.5, dash: [5, 4], points: { show: false } },
        { label: 'share of service', scale: 'share', stroke: COLORS.share, width: 1, points: { show: false } },
      ],
    };
  }

  /** The smallest of 1, 2, 5 × 10^k at or above {@code v}. */
  function roundUp(v) {
    const power = Math.pow(10, Math.floor(Math.log10(v)));
    return [1, 2, 5, 10].map((m) => m * power).find((n) => n >= v);
  }

  /**
   * A compact chart's plot is too short for ticks {@code space} apart to reach the top, which would
   * leave only "0": it shows zero and the top (and the middle, when it is a whole count and fits).
   */
  function compactSplits(u, axisIdx, min, max, incr, space) {
    if (document.body.dataset.many !== 'true') {
      const splits = [];
      for (let v = 0; v <= max; v += incr) splits.push(v);
      return splits;
    }
    const half = max / 2;
    return COMPACT_HEIGHT - 26 >= 2 * Y_SPACE && Number.isInteger(half) ? [0, half, max] : [0, max];
  }

  function chartHeight() {
    return document.body.dataset.many === 'true' ? COMPACT_HEIGHT : CHART_HEIGHT;
  }

  function resize(view) {
    if (view.chart) {
      view.chart.setSize({ width: Math.max(160, view.el.querySelector('.chart').clientWidth), height: chartHeight() });
    }
  }

  window.addEventListener('resize', () => {
    for (const view of views.values()) resize(view);
  });

  connect();
})();
