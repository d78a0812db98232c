import type { MessageEntry } from '../../../shared/api/events';
import { EventText } from '../../components/event-text';
import { Panel } from '../../components/panel';

interface MessageSectionProps {
  entry: MessageEntry;
}

export function MessageSection({ entry }: MessageSectionProps) {
  return (
    <Panel title="Message">
      <pre className="message-text">
        <EventText>{entry.data.formatted}</EventText>
      </pre>
    </Panel>
  );
}
