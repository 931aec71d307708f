// The cluster strip of the dashboard: every balancer (from /api/balancers) and the rebalancer's
// state (from /api/rebalance), polled every two seconds. Each item carries data-* attributes the
// browser tests read.
(() => {
  "use strict";

  const POLL_MS = 2000;
  const list = document.getElementById("balancers");
  const rebalance = document.getElementById("rebalance");

  async function json(path) {
    const response = await fetch(path, { cache: "no-store" });
    if (!response.ok) {
      throw new Error(`${path}: ${response.status}`);
    }
    return response.json();
  }

  function renderBalancers(body) {
    const balancers = body.balancers || [];
    list.replaceChildren(
      ...balancers.map((b, i) => {
        const li = document.createElement("li");
        li.dataset.balancer = b.id;
        li.dataset.pid = b.pid;
        li.dataset.connections = b.connections;
        li.dataset.draining = b.draining;
        li.dataset.self = i === 0;
        const ports = b.ports || {};
        li.textContent =
          `${b.id} · pid ${b.pid} · ${b.connections} open` +
          (ports.admin ? ` · admin :${ports.admin}` : "") +
          (b.draining ? " · draining" : "");
        li.title = `tcp ${b.tcp}, http ${b.http}, websocket ${b.webSockets}, udp ${b.udpFlows}`;
        return li;
      })
    );
    list.dataset.count = balancers.length;
  }

  function renderRebalance(status) {
    rebalance.dataset.enabled = status.enabled;
    rebalance.dataset.tolerance = status.tolerancePercent;
    const parts = [
      status.enabled
        ? `rebalancing on: tolerance ${status.tolerancePercent}%, up to ${status.movesPerSecond} moves/s cluster-wide`
        : "rebalancing off",
    ];
    const spans = Object.entries(status.services || {}).map(([service, s]) => {
      const span = document.createElement("span");
      span.dataset.rebalanceService = service;
      span.dataset.spread = s.spread;
      span.dataset.moves = s.moves;
      span.className = s.spread > status.tolerancePercent / 100 ? "over" : "";
      span.textContent = ` · ${service}: spread ${(s.spread * 100).toFixed(0)}%, ${s.moves} moved`;
      return span;
    });
    const drains = Object.entries(status.draining || {}).map(([what, left]) => {
      const span = document.createElement("span");
      span.dataset.drain = what;
      span.dataset.left = left;
      span.textContent = ` · draining ${what}: ${left} left`;
      return span;
    });
    rebalance.replaceChildren(document.createTextNode(parts.join("")), ...spans, ...drains);
  }

  async function poll() {
    try {
      const [balancers, status] = await Promise.all([json("/api/balancers"), json("/api/rebalance")]);
      renderBalancers(balancers);
      renderRebalance(status);
    } catch (e) {
      rebalance.textContent = `cluster state unavailable (${e.message})`;
    }
  }

  poll();
  setInterval(poll, POLL_MS);
})();
