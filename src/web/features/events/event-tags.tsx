import type { EventTag } from '../../../shared/api/events';
import { EventText } from '../../components/event-text';
import { Panel } from '../../components/panel';
import { ShowAllToggle } from '../../components/show-all-toggle';
import { isolateBidi } from '../../lib/bidi';
import { useListLimit } from '../../lib/use-list-limit';

/** Number of tags shown before the user asks for the rest. */
const VISIBLE_TAGS = 50;

interface EventTagsProps {
  tags: EventTag[];
}

/** Renders the tags of one event as `key: value` chips, the first ones until asked for all. */
export function EventTags({ tags }: EventTagsProps) {
  const list = useListLimit(tags, VISIBLE_TAGS);

  if (tags.length === 0) {
    return null;
  }

  return (
    <Panel title="Tags" actions={<span className="panel-count">{tags.length}</span>}>
      <ul className="chip-list">
        {list.visibleItems.map((tag, index) => (
          <li
            key={`${tag.key}-${index}`}
            className="chip"
            title={`${isolateBidi(tag.key)}: ${isolateBidi(tag.value)}`}
          >
            <EventText className="chip-key">{tag.key}</EventText>
            <EventText className="chip-value">{tag.value}</EventText>
          </li>
        ))}
      </ul>
      <ShowAllToggle list={list} noun="tags" />
    </Panel>
  );
}
