/** Registrations per day as a bar chart: plain SVG drawn on the server, with the numbers as a table too. */
export function RegistrationsChart({ days }: { days: { day: string; count: number }[] }) {
  const width = 720;
  const height = 200;
  const top = 16;
  const bottom = 28;
  const left = 36;
  const max = Math.max(1, ...days.map((d) => d.count));
  const slot = (width - left) / Math.max(1, days.length);
  const barWidth = Math.max(2, slot * 0.7);
  const scale = (count: number) => ((height - top - bottom) * count) / max;
  const total = days.reduce((sum, d) => sum + d.count, 0);
  const first = days[0]?.day ?? "";
  const last = days.at(-1)?.day ?? "";
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby="registrations-chart-title"
        data-testid="registrations-chart"
      >
        <title id="registrations-chart-title">{`Registrations per day from ${first} to ${last}: ${total} in all, at most ${max} a day`}</title>
        <line x1={left} x2={width} y1={height - bottom} y2={height - bottom} className="chart-axis" />
        <text x={left - 6} y={top + 4} textAnchor="end" className="chart-label">
          {max}
        </text>
        <text x={left - 6} y={height - bottom} textAnchor="end" className="chart-label">
          0
        </text>
        {days.map((d, i) => {
          const barHeight = scale(d.count);
          return (
            <rect
              key={d.day}
              x={left + i * slot + (slot - barWidth) / 2}
              y={height - bottom - barHeight}
              width={barWidth}
              height={barHeight}
              className="chart-bar"
            >
              <title>{`${d.day}: ${d.count}`}</title>
            </rect>
          );
        })}
        <text x={left} y={height - 8} className="chart-label">
          {first}
        </text>
        <text x={width} y={height - 8} textAnchor="end" className="chart-label">
          {last}
        </text>
      </svg>
      <details>
        <summary>Registrations per day as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Day (UTC)</th>
              <th scope="col">Registrations</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <td>{d.day}</td>
                <td>{d.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
