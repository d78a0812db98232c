import type { IssueStatsSeries } from '../../../shared/api/issues';
import { Panel } from '../../components/panel';
import { formatCount } from '../../lib/format';

interface IssueEventChartsProps {
  stats: { '24h'?: IssueStatsSeries; '30d'?: IssueStatsSeries } | undefined;
}

/** Bar charts of the issue's events: 24 hourly bars and 30 daily bars, each with a summary. */
export function IssueEventCharts({ stats }: IssueEventChartsProps) {
  return (
    <Panel title="Events" className="issue-charts">
      <EventBars title="Last 24 hours" unit="hour" series={stats?.['24h'] ?? []} />
      <EventBars title="Last 30 days" unit="day" series={stats?.['30d'] ?? []} />
    </Panel>
  );
}

function EventBars({
  title,
  unit,
  series,
}: {
  title: string;
  unit: 'hour' | 'day';
  series: IssueStatsSeries;
}) {
  const total = series.reduce((sum, [, count]) => sum + count, 0);
  const peak = series.reduce((max, [, count]) => Math.max(max, count), 0);
  const label = (seconds: number) => {
    const date = new Date(seconds * 1000);
    return unit === 'hour'
      ? date.toLocaleString(undefined, { hour: 'numeric', day: 'numeric', month: 'short' })
      : date.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
  };
  const noun = total === 1 ? 'event' : 'events';
  const summary = `${title}: ${formatCount(total)} ${noun}, at most ${formatCount(peak)} in one ${unit}.`;

  return (
    <figure className="event-bars">
      <figcaption>{summary}</figcaption>
      <div className="event-bars-plot" aria-hidden="true">
        {series.map(([seconds, count]) => (
          <div
            key={seconds}
            className="event-bar"
            title={`${label(seconds)}: ${count}`}
            style={{ height: `${peak === 0 ? 0 : Math.max(2, (count / peak) * 100)}%` }}
          />
        ))}
      </div>
    </figure>
  );
}
