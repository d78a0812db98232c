import { useState } from 'react';

import type { Breadcrumb, BreadcrumbsEntry } from '../../../shared/api/events';
import { EventText } from '../../components/event-text';
import { levelClassName } from '../../components/level-badge';
import { Panel } from '../../components/panel';
import { formatDateTime, formatTimeOfDay, parseTimestamp } from '../../lib/format';

/** Number of most recent breadcrumbs shown before the user asks for the rest. */
const VISIBLE_BREADCRUMBS = 10;

interface BreadcrumbsSectionProps {
  entry: BreadcrumbsEntry;
}

/**
 * Renders the event's breadcrumbs oldest first. Only the latest ones are shown until the user
 * asks for the earlier ones.
 */
export function BreadcrumbsSection({ entry }: BreadcrumbsSectionProps) {
  const [isShowingAll, setIsShowingAll] = useState(false);
  const breadcrumbs = entry.data.values;
  const hiddenCount = isShowingAll ? 0 : Math.max(0, breadcrumbs.length - VISIBLE_BREADCRUMBS);
  const visible = breadcrumbs.slice(hiddenCount);

  return (
    <Panel title="Breadcrumbs" actions={<span className="panel-count">{breadcrumbs.length}</span>}>
      {hiddenCount === 0 ? null : (
        <button
          type="button"
          className="frames-toggle"
          onClick={() => {
            setIsShowingAll(true);
          }}
        >
          Show {hiddenCount} earlier {hiddenCount === 1 ? 'breadcrumb' : 'breadcrumbs'}
        </button>
      )}
      <table className="data-table breadcrumbs-table">
        <thead>
          <tr>
            <th className="col-time">Time</th>
            <th className="col-category">Category</th>
            <th className="col-level">Level</th>
            <th>Message</th>
          </tr>
        </thead>
        <tbody>
          {visible.map((breadcrumb, index) => (
            <BreadcrumbRow key={hiddenCount + index} breadcrumb={breadcrumb} />
          ))}
        </tbody>
      </table>
    </Panel>
  );
}

function BreadcrumbRow({ breadcrumb }: { breadcrumb: Breadcrumb }) {
  const timestamp = parseTimestamp(breadcrumb.timestamp);
  const level = breadcrumb.level ?? 'info';
  const data =
    breadcrumb.data == null || Object.keys(breadcrumb.data).length === 0 ? null : breadcrumb.data;
  const category = breadcrumb.category ?? breadcrumb.type ?? 'default';

  return (
    <tr>
      <td className="col-time mono">
        {timestamp === null ? (
          '—'
        ) : (
          <time dateTime={timestamp.toISOString()} title={formatDateTime(timestamp)}>
            {formatTimeOfDay(timestamp)}
          </time>
        )}
      </td>
      <td className="col-category">
        <EventText>{category}</EventText>
      </td>
      <td className="col-level">
        <EventText className={`level-text ${levelClassName(level)}`}>{level}</EventText>
      </td>
      <td className="breadcrumb-message">
        {breadcrumb.message == null || breadcrumb.message === '' ? null : (
          <div className="breadcrumb-message-text">
            <EventText>{breadcrumb.message}</EventText>
          </div>
        )}
        {data === null ? null : (
          <code className="breadcrumb-data">
            <EventText>{JSON.stringify(data)}</EventText>
          </code>
        )}
      </td>
    </tr>
  );
}
