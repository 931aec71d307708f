// The Sockets page: polls /api/sockets and /api/connections once a second and renders them.
// Sorting is client-side over the fetched page (up to 1,000 rows); filters go to the server.
(function () {
  'use strict';
  const $ = (sel) => document.querySelector(sel);
  const fmt = new Intl.NumberFormat('en');
  let sortKey = 'ageMs';
  let sortDir = 'desc';
  let rows = [];

  function cell(text, cls) {
    const td = document.createElement('td');
    td.textContent = text == null ? '–' : String(text);
    if (cls) td.className = cls;
    return td;
  }

  function duration(ms) {
    if (ms < 1000) return ms + ' ms';
    const s = Math.floor(ms / 1000);
    if (s < 120) return s + ' s';
    const m = Math.floor(s / 60);
    return m < 120 ? m + ' min' : Math.floor(m / 60) + ' h';
  }

  function setStatus(state, text) {
    document.body.dataset.state = state;
    const el = $('#status');
    el.dataset.state = state;
    el.textContent = text;
  }

  function renderProcess(s) {
    $('#balancer').textContent = s.balancer;
    $('#fds-open').textContent = fmt.format(s.fds.open);
    $('#fds-limit').textContent = fmt.format(s.fds.limit);
    $('#fds-bar').style.width = s.fds.limit > 0 ? (100 * s.fds.open / s.fds.limit).toFixed(1) + '%' : '0';
    const states = $('#tcp-states tbody');
    states.replaceChildren(...Object.entries(s.tcpStates).map(([state, n]) => {
      const tr = document.createElement('tr');
      tr.dataset.state = state;
      tr.append(cell(state), cell(fmt.format(n), 'num'));
      return tr;
    }));
    const total = s.loops.reduce((sum, l) => sum + l.connections, 0);
    $('#loops tbody').replaceChildren(...s.loops.map((l) => {
      const tr = document.createElement('tr');
      tr.dataset.loop = l.name;
      const share = total > 0 ? l.connections / total : 0;
      const bar = document.createElement('td');
      bar.innerHTML = '<div class="bar" style="width:80px"><span></span></div>';
      bar.querySelector('span').style.width = (100 * share).toFixed(0) + '%';
      tr.append(cell(l.name.replace('vert.x-eventloop-thread-', 'loop ')), cell(fmt.format(l.connections), 'num'),
        cell(fmt.format(l.accepts), 'num'), bar);
      return tr;
    }));
    $('#listeners').replaceChildren(...s.listeners.map(renderListener));
    $('#port-range').textContent = `(${s.ephemeral.low}-${s.ephemeral.high}: ${fmt.format(s.ephemeral.size)} ports)`;
    $('#range-size').textContent = fmt.format(s.ephemeral.size);
    $('#ephemeral tbody').replaceChildren(...s.ephemeral.perBackend.map((b) => {
      const tr = document.createElement('tr');
      tr.dataset.ephemeralBackend = b.backend;
      tr.append(cell(b.backend), cell(b.address), cell(fmt.format(b.sockets), 'num'),
        cell(fmt.format(b.timeWait), 'num'), cell(fmt.format(b.liveLegs), 'num'),
        cell((100 * b.share).toFixed(2) + ' %', 'num'), ...reportedCells(tr, b.reported));
      return tr;
    }));
  }

  // The backend's own side of the same sockets, as it reported it (nothing before its first report).
  function reportedCells(tr, r) {
    const loops = r ? r.loops : [];
    tr.dataset.reportedActive = r ? r.activeConnections : '';
    tr.dataset.reportedLoops = loops.map((l) => `${l.thread}:${l.active}:${l.total}`).join('|');
    tr.dataset.reportedFdsOpen = r && r.fds ? r.fds.open : '';
    tr.dataset.reportedFdsMax = r && r.fds ? r.fds.max : '';
    const perLoop = loops.map((l) => `${l.thread.replace('vert.x-eventloop-thread-', 'loop ')} ${fmt.format(l.active)}/${fmt.format(l.total)}`);
    return [
      cell(r ? fmt.format(r.activeConnections) : null, 'num'),
      cell(perLoop.length ? perLoop.join(' · ') : null),
      cell(r && r.fds ? `${fmt.format(r.fds.open)} / ${fmt.format(r.fds.max)}` : null, 'num'),
    ];
  }

  // Every balancer of the cluster (this one first), for the processes that share a listener's port.
  let balancers = [];

  /** The other balancers whose same frontend listens on this listener's port: SO_REUSEPORT peers. */
  function sharers(l) {
    const port = Number(String(l.address).split(':').pop());
    return balancers.slice(1).filter((b) => b.ports && b.ports[l.frontend] === port);
  }

  function renderListener(l) {
    const card = document.createElement('div');
    card.className = 'card';
    card.dataset.listener = l.frontend;
    card.dataset.connections = l.connections;
    const shared = l.listeningSockets != null && l.listeningSockets > l.sockets
      ? ` · ${l.listeningSockets} listening sockets in the namespace: another process shares the port`
      : l.listeningSockets != null ? ` · ${l.listeningSockets} listening socket(s) in the namespace` : '';
    const connected = l.connectedSockets
      ? Object.entries(l.connectedSockets).map(([st, n]) => `${fmt.format(n)} ${st}`).join(', ') || 'none'
      : null;
    const peers = sharers(l);
    card.dataset.sharedWith = peers.map((b) => `${b.id}:${b.pid}`).join('|');
    card.innerHTML = '<h2></h2><div class="big"></div><p class="muted"></p><p class="muted"></p><p class="muted shared"></p>';
    card.querySelector('h2').textContent = `${l.frontend.toUpperCase()} ${l.address} (${l.transport})`;
    const noun = l.transport === 'udp' ? 'flow' : 'connection';
    card.querySelector('.big').textContent = `${fmt.format(l.connections)} ${noun}${l.connections === 1 ? '' : 's'}`;
    const p = card.querySelectorAll('p');
    p[0].textContent = `${l.sockets} listening socket(s) in this process${shared}`;
    p[1].textContent = connected == null
      ? 'UDP: this one socket serves every peer; each flow gets an outbound socket of its own'
      : 'connected sockets on this port: ' + connected;
    p[2].textContent = peers.length
      ? 'also listening on this port: ' + peers.map((b) => `${b.id} (pid ${b.pid}, ${fmt.format(b.connections)} open)`).join(', ')
      : 'no other balancer listens on this port';
    return card;
  }

  function flatten(c) {
    return {
      id: c.id, protocol: c.protocol, client: c.inbound.source, local: c.inbound.destination,
      outSource: c.outbound ? c.outbound.source : null, outDest: c.outbound ? c.outbound.destination : null,
      backend: c.backend, loop: c.loop, ageMs: c.ageMs, idleMs: c.idleMs,
      bytesFromClient: c.bytesFromClient, bytesToClient: c.bytesToClient, requests: c.requests,
    };
  }

  function renderConnections() {
    const sorted = rows.slice().sort((a, b) => {
      const x = a[sortKey], y = b[sortKey];
      const cmp = x == null ? (y == null ? 0 : -1) : y == null ? 1
        : typeof x === 'number' ? x - y : String(x).localeCompare(String(y), 'en', { numeric: true });
      return sortDir === 'asc' ? cmp : -cmp;
    });
    document.querySelectorAll('#connections th').forEach((th) => {
      if (th.dataset.key === sortKey) th.dataset.sorted = sortDir; else delete th.dataset.sorted;
    });
    $('#connections tbody').replaceChildren(...sorted.map((c) => {
      const tr = document.createElement('tr');
      tr.dataset.connId = c.id;
      tr.dataset.protocol = c.protocol;
      tr.dataset.client = c.client;
      if (c.outSource) tr.dataset.outboundSource = c.outSource;
      tr.append(cell(c.protocol, 'proto proto-' + c.protocol), cell(`${c.client} → ${c.local}`),
        cell(c.outDest ? `${c.outSource || '(pooled)'} → ${c.outDest}` : null), cell(c.backend),
        cell(c.loop.replace('vert.x-eventloop-thread-', 'loop ')), cell(duration(c.ageMs), 'num'),
        cell(duration(c.idleMs), 'num'), cell(fmt.format(c.bytesFromClient), 'num'),
        cell(fmt.format(c.bytesToClient), 'num'), cell(c.requests, 'num'));
      return tr;
    }));
  }

  function query() {
    const q = new URLSearchParams({ limit: '1000' });
    const protocol = $('#f-protocol').value;
    const backend = $('#f-backend').value.trim();
    const minAge = $('#f-minage').value.trim();
    if (protocol) q.set('protocol', protocol);
    if (backend) q.set('backend', backend);
    if (minAge) q.set('minAge', minAge);
    return q;
  }

  async function poll() {
    try {
      const [sockets, conns, peers] = await Promise.all([
        fetch('/api/sockets').then((r) => r.json()),
        fetch('/api/connections?' + query()).then((r) => r.json()),
        fetch('/api/balancers').then((r) => r.json()).catch(() => ({ balancers: [] })),
      ]);
      balancers = peers.balancers || [];
      renderProcess(sockets);
      if (conns.error) {
        $('#conn-count').textContent = '— ' + conns.error;
      } else {
        rows = conns.connections.map(flatten);
        $('#conn-count').textContent =
          `(${fmt.format(rows.length)} shown of ${fmt.format(conns.matched)} matching, ${fmt.format(conns.total)} live)`;
        renderConnections();
      }
      setStatus('live', 'live');
    } catch (e) {
      setStatus('reconnecting', 'reconnecting…');
    } finally {
      setTimeout(poll, 1000);
    }
  }

  document.querySelectorAll('#connections th').forEach((th) => th.addEventListener('click', () => {
    if (sortKey === th.dataset.key) sortDir = sortDir === 'asc' ? 'desc' : 'asc';
    else { sortKey = th.dataset.key; sortDir = 'desc'; }
    renderConnections();
  }));
  poll();
}());
