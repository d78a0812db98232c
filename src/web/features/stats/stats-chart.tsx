import { niceMaximum, type OutcomeSeries } from './stats-series';

interface StatsChartProps {
  intervals: string[];
  series: OutcomeSeries[];
  /** Accessible name of the chart. */
  label: string;
}

const WIDTH = 960;
const HEIGHT = 240;
const PLOT = { left: 48, right: 8, top: 8, bottom: 28 };
const GRID_LINES = 4;
const X_LABELS = 6;

/** Draws one stacked bar per interval, one segment per outcome, as an SVG. */
export function StatsChart({ intervals, series, label }: StatsChartProps) {
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const totals = intervals.map((_, index) =>
    series.reduce((sum, entry) => sum + (entry.values[index] ?? 0), 0),
  );
  const maximum = niceMaximum(Math.max(0, ...totals));
  const slot = plotWidth / Math.max(1, intervals.length);
  const barWidth = Math.max(1, slot * 0.8);
  const scale = (value: number) => (value / maximum) * plotHeight;
  const labelEvery = Math.max(1, Math.ceil(intervals.length / X_LABELS));

  return (
    <svg className="stats-chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
      {Array.from({ length: GRID_LINES + 1 }, (_, line) => {
        const value = (maximum / GRID_LINES) * line;
        const y = PLOT.top + plotHeight - scale(value);
        return (
          <g key={line} className="stats-grid">
            <line x1={PLOT.left} x2={WIDTH - PLOT.right} y1={y} y2={y} />
            <text x={PLOT.left - 6} y={y + 4} textAnchor="end">
              {formatCount(value)}
            </text>
          </g>
        );
      })}

      {intervals.map((interval, index) => {
        const x = PLOT.left + index * slot + (slot - barWidth) / 2;
        let base = PLOT.top + plotHeight;
        const parts = series.map((entry) => `${entry.label} ${entry.values[index] ?? 0}`);

        return (
          <g key={interval} className="stats-bar">
            <title>{`${formatTime(interval)}: ${parts.join(', ')}`}</title>
            {series.map((entry) => {
              const height = scale(entry.values[index] ?? 0);
              base -= height;
              return height <= 0 ? null : (
                <rect
                  key={entry.outcome}
                  className={`stats-segment stats-${entry.outcome}`}
                  x={x}
                  y={base}
                  width={barWidth}
                  height={height}
                />
              );
            })}
            {index % labelEvery === 0 ? (
              <text
                className="stats-x-label"
                x={x + barWidth / 2}
                y={HEIGHT - 8}
                textAnchor="middle"
              >
                {formatTime(interval)}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

function formatCount(value: number): string {
  return value >= 1000 ? `${Math.round(value / 100) / 10}k` : String(Math.round(value));
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return date.toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}
