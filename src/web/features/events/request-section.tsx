import type { RequestEntry } from '../../../shared/api/events';
import { EventText } from '../../components/event-text';
import { KeyValueTable } from '../../components/key-value-table';
import { Panel } from '../../components/panel';
import { formatJsonValue } from '../../lib/format';
import { toKeyValueRows } from './key-value-rows';

interface RequestSectionProps {
  entry: RequestEntry;
}

/** The HTTP request the event happened in: method, URL, query, headers, cookies and body. */
export function RequestSection({ entry }: RequestSectionProps) {
  const request = entry.data;
  const body = request.data;

  return (
    <Panel title="Request">
      <div className="request-line">
        {request.method == null ? null : (
          <EventText className="request-method">{request.method}</EventText>
        )}
        {request.url == null ? (
          <span className="request-url mono muted">(no URL)</span>
        ) : (
          <EventText className="request-url mono">{request.url}</EventText>
        )}
      </div>
      <PairsTable title="Query String" pairs={request.query} />
      {body == null || body === '' ? null : (
        <div className="subsection">
          <h3 className="subsection-title">Body</h3>
          <pre className="value-json">
            <EventText>{formatJsonValue(body)}</EventText>
          </pre>
        </div>
      )}
      <PairsTable title="Cookies" pairs={request.cookies} />
      <PairsTable title="Headers" pairs={request.headers} />
      <PairsTable title="Environment" pairs={request.env} />
    </Panel>
  );
}

function PairsTable({ title, pairs }: { title: string; pairs: unknown }) {
  const rows = toKeyValueRows(pairs);
  if (rows.length === 0) {
    return null;
  }

  return (
    <div className="subsection">
      <h3 className="subsection-title">{title}</h3>
      <KeyValueTable rows={rows} />
    </div>
  );
}
