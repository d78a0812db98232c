import type { EventContext } from '../../../shared/api/events';
import { EventText } from '../../components/event-text';
import { KeyValueTable } from '../../components/key-value-table';
import { Panel } from '../../components/panel';
import { toContextRows } from './context-rows';

/** Display names of the contexts Sentry's SDKs send; others are shown by their key. */
const CONTEXT_TITLES: Record<string, string> = {
  os: 'Operating System',
  client_os: 'Client Operating System',
  runtime: 'Runtime',
  browser: 'Browser',
  device: 'Device',
  app: 'App',
  gpu: 'GPU',
  culture: 'Culture',
  cloud_resource: 'Cloud Resource',
  trace: 'Trace',
  response: 'Response',
  state: 'State',
};

/** The order contexts appear in; the rest follow alphabetically. */
const CONTEXT_ORDER = ['os', 'runtime', 'browser', 'device', 'app'];

interface ContextsSectionProps {
  contexts: Record<string, EventContext>;
}

/** Renders each context of the event (os, runtime, browser, device and others) as a table. */
export function ContextsSection({ contexts }: ContextsSectionProps) {
  // Contexts come from SDKs, so a malformed one (a string, say) is skipped instead of rendered,
  // and so is one without fields, which would show only its heading.
  const cards = Object.entries(contexts as Record<string, unknown>)
    .filter((entry): entry is [string, EventContext] => isContext(entry[1]))
    .sort(([left], [right]) => compareContextKeys(left, right))
    .map(([key, context]) => ({ key, rows: toContextRows(key, context) }))
    .filter((card) => card.rows.length > 0);

  if (cards.length === 0) {
    return null;
  }

  return (
    <Panel title="Contexts">
      <div className="contexts-grid">
        {cards.map(({ key, rows }) => (
          <div key={key} className="context-card">
            <h3 className="subsection-title">
              <EventText>{CONTEXT_TITLES[key] ?? key}</EventText>
            </h3>
            <KeyValueTable rows={rows} />
          </div>
        ))}
      </div>
    </Panel>
  );
}

function isContext(value: unknown): value is EventContext {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compareContextKeys(left: string, right: string): number {
  const leftRank = rankContext(left);
  const rightRank = rankContext(right);
  return leftRank === rightRank ? left.localeCompare(right) : leftRank - rightRank;
}

function rankContext(key: string): number {
  const rank = CONTEXT_ORDER.indexOf(key);
  return rank === -1 ? CONTEXT_ORDER.length : rank;
}
