/* Fit a results figure to its box: bar labels wrapped (never cut), text sized for the room. */
(() => {
  "use strict";

  /** Type sizes tried on the projector, largest first, until the chart fits its box. */
  const PRESENT_SIZES = [26, 24, 22, 20, 18, 16, 14, 12];
  /** Share of the chart's width that bar labels may take. */
  const LABEL_SHARE = 0.4;
  /** Average width of a character, as a share of the type size (Noto Sans). */
  const CHAR_WIDTH = 0.55;
  /** Ends of German compound parts (with their joining "s"), where a long word breaks best. */
  const JOINTS = /(ungs|heits|keits|schafts|ions|tums|lings|ts)(?=[a-zäöüß]{3})/g;

  /** Return where to break `word` within `width` characters: after a hyphen, else at the
   * end of a compound part, else at the line's end (0 < result < word.length). */
  const breakAt = (word, width) => {
    const hyphen = word.lastIndexOf("-", width - 1);
    if (hyphen >= width / 3) return hyphen + 1;
    let joint = 0;
    for (const found of word.matchAll(JOINTS)) {
      const end = found.index + found[0].length;
      if (end >= width / 3 && end <= width - 1) joint = end;
    }
    return joint || width - 1;
  };

  /**
   * Break `label` into lines of at most `width` characters, joined by "<br>".
   * Lines break at spaces; a word longer than a line (a German compound) is broken
   * after one of its hyphens, else with a hyphen added. Escaped text (entities such
   * as "&amp;") is never broken inside a word. Non-strings are returned as they are.
   */
  const wrapLabel = (label, width) => {
    if (typeof label !== "string" || label.length <= width) return label;
    const lines = [];
    let open = false; // whether the last line may take the next piece
    const put = (piece, joinable) => {
      const at = lines.length - 1;
      if (open && lines[at].length + 1 + piece.length <= width) lines[at] += " " + piece;
      else lines.push(piece);
      open = joinable;
    };
    label.split(" ").forEach((word) => {
      let rest = word;
      while (rest.length > width && rest.indexOf("&") < 0) {
        const cut = breakAt(rest, width);
        put(rest.slice(0, cut) + (rest[cut - 1] === "-" ? "" : "-"), false);
        rest = rest.slice(cut);
      }
      if (rest) put(rest, true);
    });
    return lines.join("<br>");
  };

  /** Return a deep copy of plain JSON data. */
  const copy = (value) => JSON.parse(JSON.stringify(value));

  /**
   * Return `{data, layout}` of `figure` fitted to `box` (an element with its size).
   * Horizontal bar charts get their category labels wrapped to the room the box
   * leaves them, and enough height for every line. With `fill` (the projector),
   * the chart takes the box's height and the largest type size with which every
   * row still has room; otherwise the figure's own type size, and the height grows.
   */
  const fitted = (figure, box, fill) => {
    const width = box.clientWidth || 600;
    const horizontal = figure.data.some((trace) => trace.orientation === "h");
    const own = (figure.layout.font && figure.layout.font.size) || 14;
    const sizes = fill ? PRESENT_SIZES : [own];
    const room = box.clientHeight || 400;
    let result = null;
    sizes.some((size) => {
      const chars = Math.max(10, Math.floor((width * LABEL_SHARE) / (size * CHAR_WIDTH)));
      const rows = new Set();
      let lines = 1;
      const data = copy(figure.data).map((trace) => {
        if (!horizontal || !Array.isArray(trace.y)) return trace;
        trace.y = trace.y.map((label) => wrapLabel(label, chars));
        trace.y.forEach((label) => {
          rows.add(label);
          lines = Math.max(lines, String(label).split("<br>").length);
        });
        return trace;
      });
      const layout = copy(figure.layout);
      layout.font = Object.assign({}, layout.font, { size });
      const frame = 5 * size + 60; // axis, its title, a legend row and margins
      const needed = rows.size * Math.max(lines * size * 1.3 + size * 0.5, size * 1.9) + frame;
      if (fill) layout.height = room;
      else layout.height = Math.max(layout.height || 0, Math.ceil(needed));
      if (horizontal && rows.size) {
        // a little room between a label and its bar; bars no thicker than three lines
        layout.yaxis = Object.assign({}, layout.yaxis, { ticklabelstandoff: Math.round(size / 3) });
        const pitch = (layout.height - frame) / rows.size;
        layout.bargap = Math.max(layout.bargap || 0.25, Math.min(0.7, 1 - (3 * size) / pitch));
      }
      result = { data, layout };
      return !fill || needed <= room;
    });
    return result;
  };

  window.SurveyCharts = { fitted, wrapLabel };
})();
