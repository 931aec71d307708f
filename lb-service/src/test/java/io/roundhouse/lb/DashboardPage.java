package io.roundhouse.lb;

import java.util.List;
import org.openqa.selenium.chrome.ChromeDriver;

/** What the dashboard browser tests read off the page with one script each. */
final class DashboardPage {

  private DashboardPage() {}

  /**
   * Whether each chart's y axes are wider than their widest tick label, measured in the page's own
   * font (uPlot draws labels on a canvas, so the DOM cannot show a clipped one).
   */
  static boolean yAxisLabelsFit(ChromeDriver driver) {
    return Boolean.TRUE.equals(
        driver.executeScript(
            "const c = document.createElement('canvas').getContext('2d');"
                + " c.font = '11px system-ui, sans-serif';"
                + " const charts = [...document.querySelectorAll('.uplot')];"
                + " return charts.length > 0 && charts.every(u => {"
                + " const axes = u.querySelectorAll('.u-axis');"
                + " const fits = (labels, axis) => !!axis && (labels || '').split('|')"
                + ".every(l => c.measureText(l).width + 4 <= axis.offsetWidth);"
                + " return fits(u.dataset.yLabels, axes[1]) && fits(u.dataset.shareLabels, axes[2]); });"));
  }

  /** Every chart's y-axis labels (its data-y-labels), by node id. */
  @SuppressWarnings("unchecked")
  static List<List<String>> yLabels(ChromeDriver driver) {
    return (List<List<String>>)
        driver.executeScript(
            "return [...document.querySelectorAll('[data-node-id]')].map(e => {"
                + " const u = e.querySelector('.uplot');"
                + " return [e.dataset.nodeId, u ? (u.dataset.yLabels || '') : '']; });");
  }

  /**
   * What keeps the panels from being read, one line each: a panel of no size, two panels that
   * overlap, or a part of a panel (its id, counts, chart, loops, fds) of no size or outside it.
   * Empty when every panel stands apart and whole.
   */
  @SuppressWarnings("unchecked")
  static List<String> layoutProblems(ChromeDriver driver) {
    return (List<String>)
        driver.executeScript(
            "const out = []; const panels = [...document.querySelectorAll('[data-node-id]')];"
                + " const boxes = panels.map(p => p.getBoundingClientRect());"
                + " panels.forEach((p, i) => { const b = boxes[i]; const id = p.dataset.nodeId;"
                + " if (!(b.width > 0 && b.height > 0)) out.push(id + ' has no size');"
                + " for (let j = i + 1; j < panels.length; j++) { const o = boxes[j];"
                + " if (b.left < o.right - 0.5 && o.left < b.right - 0.5"
                + " && b.top < o.bottom - 0.5 && o.top < b.bottom - 0.5)"
                + " out.push(id + ' overlaps ' + panels[j].dataset.nodeId); }"
                + " for (const part of ['.id', '.figures', '.ends', '.chart', '.loops', '.fds']) {"
                + " const e = p.querySelector(part); const r = e && e.getBoundingClientRect();"
                + " if (!r || !(r.width > 0 && r.height > 0)) { out.push(id + ' ' + part + ' not shown'); continue; }"
                + " if (r.left < b.left - 0.5 || r.right > b.right + 0.5 || r.top < b.top - 0.5"
                + " || r.bottom > b.bottom + 0.5) out.push(id + ' ' + part + ' sticks out of its panel'); }"
                + " for (const e of p.querySelectorAll('.ends, .l-counts, .e-fds'))"
                + " if (e.scrollWidth > e.clientWidth + 1) out.push(id + ' ' + e.className + ' clipped'); });"
                + " return out;");
  }
}
