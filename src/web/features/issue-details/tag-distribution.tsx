import type { IssueTag } from '../../../shared/api/issues';
import { EventText } from '../../components/event-text';
import { ShowAllToggle } from '../../components/show-all-toggle';
import { isolateBidi } from '../../lib/bidi';
import { formatCount, formatPercent } from '../../lib/format';
import { useListLimit } from '../../lib/use-list-limit';

/** Number of values listed per tag key; the rest are summed as "Other". */
const VALUES_PER_TAG = 5;

/** Number of tag keys shown before the user asks for the rest. */
const VISIBLE_TAG_KEYS = 20;

interface TagDistributionProps {
  tags: IssueTag[];
}

/**
 * Renders the top values of each tag key of the issue as bars with their share of events. Keys
 * are shown as the SDK sent them, as Sentry does, and only the first ones until asked for all.
 */
export function TagDistribution({ tags }: TagDistributionProps) {
  const list = useListLimit(tags, VISIBLE_TAG_KEYS);

  if (tags.length === 0) {
    return <p className="muted">No tags were sent with this issue&apos;s events.</p>;
  }

  return (
    <div className="tag-distribution">
      {list.visibleItems.map((tag) => (
        <TagKeyDistribution key={tag.key} tag={tag} />
      ))}
      <ShowAllToggle list={list} noun="tags" />
    </div>
  );
}

function TagKeyDistribution({ tag }: { tag: IssueTag }) {
  const values = tag.topValues.slice(0, VALUES_PER_TAG);
  const listedCount = values.reduce((sum, value) => sum + value.count, 0);
  const otherCount = Math.max(0, tag.totalValues - listedCount);

  return (
    <section className="tag-key">
      <h3 className="tag-key-name">
        <EventText>{tag.key}</EventText>
      </h3>
      <ul className="tag-values">
        {values.map((value) => (
          <TagValueBar
            key={value.value}
            label={value.name === '' ? value.value : value.name}
            count={value.count}
            total={tag.totalValues}
          />
        ))}
        {otherCount > 0 ? (
          <TagValueBar label="Other" count={otherCount} total={tag.totalValues} isOther />
        ) : null}
      </ul>
    </section>
  );
}

interface TagValueBarProps {
  label: string;
  count: number;
  total: number;
  isOther?: boolean;
}

function TagValueBar({ label, count, total, isOther = false }: TagValueBarProps) {
  const percent = formatPercent(count, total);
  const width = total > 0 ? Math.min(100, (count / total) * 100) : 0;

  return (
    <li
      className={isOther ? 'tag-value tag-value-other' : 'tag-value'}
      title={`${isolateBidi(label)}: ${formatCount(count)} of ${formatCount(total)} events`}
    >
      <span className="tag-value-bar" style={{ width: `${width}%` }} aria-hidden="true" />
      <EventText className="tag-value-label">{label}</EventText>
      <span className="tag-value-percent">{percent}</span>
    </li>
  );
}
