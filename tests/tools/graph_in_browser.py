#!/usr/bin/env python3
"""`merit graph --format svg` opened in a real browser (Debian's chromium, headless).

For each program given, the SVG is put inline in a page whose script measures, in the browser:
  - that the font the SVG names (Noto Sans CJK SC) is there for the Chinese names;
  - that every node of `merit graph --format json` is drawn (packages as clusters);
  - that every label fits inside its box (across; down, its baseline does): Graphviz sizes the
    boxes with its own font metrics, so a browser rendering the text with another font would
    spill it over the edges.
A control page, the first SVG with one label's text made eight times larger, must report that
label as spilling: the measurement is the browser's, not a string check.

Usage: graph_in_browser.py MERIT PROGRAM...   (exit 77, which ctest counts as skipped, when
chromium or Graphviz's dot is not installed)
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77

CHECK_SCRIPT = r"""
<pre id="out"></pre>
<script>
const out = [];
out.push('font ' + document.fonts.check('18px "Noto Sans CJK SC"', '严选会员'));
const titles = [];
const spills = [];
function check(group, shapeSelector) {
  const title = group.querySelector('title').textContent;
  titles.push(title);
  const shape = group.querySelector(shapeSelector);
  if (!shape) return;
  const box = shape.getBBox();
  for (const t of group.querySelectorAll('text')) {
    const tb = t.getBBox();
    if (tb.width <= 0) spills.push(title + ': empty label ' + JSON.stringify(t.textContent));
    // Across, the text's box; down, its baseline (a text box is a whole line of the font, taller
    // than the glyphs, and a cluster's label sits at the very top of the cluster).
    const baseline = t.y.baseVal[0].value;
    if (tb.x < box.x - 1 || tb.x + tb.width > box.x + box.width + 1 ||
        baseline < box.y || baseline > box.y + box.height) {
      spills.push(title + ': ' + JSON.stringify(t.textContent) + ' spans x ' + tb.x.toFixed(1) +
                  '..' + (tb.x + tb.width).toFixed(1) + ' in a box x ' + box.x.toFixed(1) + '..' +
                  (box.x + box.width).toFixed(1));
    }
  }
}
for (const g of document.querySelectorAll('g.node')) check(g, 'polygon, ellipse, path');
for (const g of document.querySelectorAll('g.cluster')) check(g, 'path, polygon');
out.push('titles ' + JSON.stringify(titles));
out.push('spills ' + JSON.stringify(spills));
document.getElementById('out').textContent = out.join('\n');
</script>
"""


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def measure(chromium, svg, workdir, name):
    page = os.path.join(workdir, name + ".html")
    with open(page, "w", encoding="utf-8") as f:
        f.write('<!doctype html><html><head><meta charset="utf-8"></head><body>\n')
        f.write(svg[svg.index("<svg"):])
        f.write(CHECK_SCRIPT)
        f.write("</body></html>\n")
    r = run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--user-data-dir=" + os.path.join(workdir, "profile"), "--dump-dom",
             "file://" + page])
    m = re.search(r'<pre id="out">(.*?)</pre>', r.stdout, re.S)
    if r.returncode != 0 or not m:
        sys.exit(f"{name}: chromium gave no measurement (exit {r.returncode}): {r.stderr[-2000:]}")
    lines = dict(line.split(" ", 1) for line in m.group(1).splitlines())
    return lines["font"] == "true", json.loads(lines["titles"]), json.loads(lines["spills"])


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    merit, programs = sys.argv[1], sys.argv[2:]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium or not shutil.which("dot"):
        print("skipped: chromium or Graphviz's dot is not installed")
        return SKIP
    failures = []
    first_svg = None
    with tempfile.TemporaryDirectory(prefix="merit-graph-browser-") as workdir:
        for program in programs:
            # rulesets/mall/program.merit is "mall"; bench/programs/yanxuan.merit "yanxuan"
            stem = os.path.splitext(os.path.basename(program))[0]
            name = os.path.basename(os.path.dirname(program)) if stem == "program" else stem
            svg = run([merit, "graph", program, "--format", "svg"])
            graph = run([merit, "graph", program, "--format", "json"])
            if svg.returncode != 0 or graph.returncode != 0:
                failures.append(f"{name}: merit graph failed: {svg.stderr or graph.stderr}")
                continue
            first_svg = first_svg or svg.stdout
            font, titles, spills = measure(chromium, svg.stdout, workdir, name)
            if not font:
                failures.append(f"{name}: the browser has no Noto Sans CJK SC (fonts-noto-cjk)")
            drawn = set(titles)
            for node in json.loads(graph.stdout)["nodes"]:
                if node["id"] not in drawn and "cluster_" + node["id"] not in drawn:
                    failures.append(f"{name}: node {node['id']} is not drawn")
            for s in spills:
                failures.append(f"{name}: label spills out of its box: {s}")
            print(f"{name}: {len(titles)} nodes and clusters measured, {len(spills)} labels spill")

        # The control: one node label eight times larger must be caught spilling.
        if first_svg is None:
            failures.append("control: no program drew an SVG to enlarge a label of")
        else:
            control = re.sub(r'(<g id="node\d+" class="node">.*?<text [^>]*?font-size=")([\d.]+)',
                             lambda m: m.group(1) + str(float(m.group(2)) * 8), first_svg,
                             count=1, flags=re.S)
            if control == first_svg:
                failures.append("control: found no node label to enlarge")
            else:
                _, _, spills = measure(chromium, control, workdir, "control")
                if len(spills) != 1:
                    failures.append(f"control: one enlarged label should spill, {len(spills)} "
                                    f"did: {spills}")
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
