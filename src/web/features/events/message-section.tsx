import type { MessageEntry } from '../../../shared/api/events';
import { Panel } from '../../components/panel';

interface MessageSectionProps {
  entry: MessageEntry;
}

export function MessageSection({ entry }: MessageSectionProps) {
  return (
    <Panel title="Message">
      <pre className="message-text">{entry.data.formatted}</pre>
    </Panel>
  );
}
