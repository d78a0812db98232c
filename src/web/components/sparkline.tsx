import type { IssueStatsSeries } from '../../shared/api/issues';

interface SparklineProps {
  /** Events per bucket as `[unix seconds, count]`, oldest first. */
  series: IssueStatsSeries;
  /** Accessible name, such as "12 events in the last 24 hours". */
  label: string;
  width?: number;
  height?: number;
}

/** Draws a small bar chart of event counts as inline SVG, one bar per bucket. */
export function Sparkline({ series, label, width = 96, height = 24 }: SparklineProps) {
  const max = Math.max(1, ...series.map(([, count]) => count));
  const barWidth = series.length === 0 ? 0 : width / series.length;

  return (
    <svg
      className="sparkline"
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
    >
      <title>{label}</title>
      <line className="sparkline-baseline" x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} />
      {series.map(([time, count], index) => {
        // A bucket with events keeps at least one pixel, so a single event stays visible.
        const barHeight = count === 0 ? 0 : Math.max(1, (count / max) * (height - 1));
        return (
          <rect
            key={time}
            className="sparkline-bar"
            x={index * barWidth + 0.5}
            y={height - barHeight}
            width={Math.max(1, barWidth - 1)}
            height={barHeight}
          />
        );
      })}
    </svg>
  );
}

/** Sums the counts of a series. */
export function sumSeries(series: IssueStatsSeries): number {
  return series.reduce((total, [, count]) => total + count, 0);
}
