import styles from "./pipeline.module.css";

/** A small bar chart of counts per minute (SVG, no library), with the total and the latest minute in words. */
export function MinuteChart({
  title,
  values,
  minutes,
  tone = "ok",
}: {
  title: string;
  values: number[];
  minutes: string[];
  tone?: "ok" | "danger";
}) {
  const width = 240;
  const height = 48;
  const max = Math.max(1, ...values);
  const barWidth = width / Math.max(1, values.length);
  const total = values.reduce((sum, value) => sum + value, 0);
  const latest = values.at(-1) ?? 0;
  return (
    <figure className={styles.chart}>
      <figcaption>
        {title}: <strong>{latest}</strong> this minute, {total} in {values.length} minutes
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={`${title} per minute`}>
        {values.map((value, i) => {
          const barHeight = (value / max) * (height - 2);
          return (
            <rect
              key={minutes[i] ?? i}
              x={i * barWidth + 1}
              y={height - barHeight}
              width={Math.max(1, barWidth - 2)}
              height={barHeight}
              className={tone === "danger" ? styles.barDanger : styles.bar}
            >
              <title>{`${minutes[i]?.slice(11, 16) ?? ""} UTC: ${value}`}</title>
            </rect>
          );
        })}
        <line x1="0" y1={height - 0.5} x2={width} y2={height - 0.5} className={styles.axis} />
      </svg>
    </figure>
  );
}
