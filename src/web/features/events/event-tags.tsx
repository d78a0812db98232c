import type { EventTag } from '../../../shared/api/events';
import { Panel } from '../../components/panel';

interface EventTagsProps {
  tags: EventTag[];
}

/** Renders the tags of one event as `key: value` chips. */
export function EventTags({ tags }: EventTagsProps) {
  if (tags.length === 0) {
    return null;
  }

  return (
    <Panel title="Tags" actions={<span className="panel-count">{tags.length}</span>}>
      <ul className="chip-list">
        {tags.map((tag, index) => (
          <li key={`${tag.key}-${index}`} className="chip" title={`${tag.key}: ${tag.value}`}>
            <span className="chip-key">{tag.key}</span>
            <span className="chip-value">{tag.value}</span>
          </li>
        ))}
      </ul>
    </Panel>
  );
}
