/** A small log-log line chart of p99 latency against knowledge-base size, as standalone SVG. */
export function renderChart(
  rows: readonly { engine: string; entries: number; p99Ms: number }[],
  engines: readonly string[],
  sizes: readonly number[],
): string {
  const width = 640;
  const height = 400;
  const margin = { left: 90, right: 110, top: 40, bottom: 50 };
  const colors = ["#1b7f3b", "#c0392b", "#2c6fbb", "#8e44ad"];
  const values = rows.map((row) => row.p99Ms).filter((value) => value > 0);
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const xMin = Math.min(...sizes);
  const xMax = Math.max(...sizes);
  const x = (size: number) => margin.left + ((Math.log10(size) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * (width - margin.left - margin.right);
  const y = (ms: number) => height - margin.bottom - ((Math.log10(ms) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * (height - margin.top - margin.bottom);

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="100%" height="100%" fill="white"/>`);
  parts.push(`<text x="${width / 2 - 40}" y="22" text-anchor="middle" font-size="14">p99 latency per message vs. knowledge-base size (log-log)</text>`);
  for (let decade = yMin; decade <= yMax; decade *= 10) {
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(decade)}" y2="${y(decade)}" stroke="#ddd"/>`);
    parts.push(`<text x="${margin.left - 8}" y="${y(decade) + 4}" text-anchor="end">${decade >= 1 ? decade.toLocaleString("en-US") : decade.toPrecision(1)} ms</text>`);
  }
  for (const size of sizes) {
    parts.push(`<line x1="${x(size)}" x2="${x(size)}" y1="${margin.top}" y2="${height - margin.bottom}" stroke="#eee"/>`);
    parts.push(`<text x="${x(size)}" y="${height - margin.bottom + 18}" text-anchor="middle">${size.toLocaleString("en-US")}</text>`);
  }
  parts.push(`<text x="${(margin.left + width - margin.right) / 2}" y="${height - 12}" text-anchor="middle">entries</text>`);
  engines.forEach((engine, index) => {
    const points = sizes
      .map((size) => rows.find((row) => row.engine === engine && row.entries === size))
      .filter((row): row is { engine: string; entries: number; p99Ms: number } => row !== undefined && row.p99Ms > 0);
    const color = colors[index % colors.length]!;
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2.5" points="${points.map((row) => `${x(row.entries).toFixed(1)},${y(row.p99Ms).toFixed(1)}`).join(" ")}"/>`);
    for (const row of points) parts.push(`<circle cx="${x(row.entries).toFixed(1)}" cy="${y(row.p99Ms).toFixed(1)}" r="3.5" fill="${color}"/>`);
    const last = points.at(-1);
    if (last) parts.push(`<text x="${x(last.entries) + 8}" y="${y(last.p99Ms) + 4}" fill="${color}">${engine}</text>`);
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
