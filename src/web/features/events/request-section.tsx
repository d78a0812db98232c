import type { RequestEntry } from '../../../shared/api/events';
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
        {request.method == null ? null : <span className="request-method">{request.method}</span>}
        <span className="request-url mono">{request.url ?? '(no URL)'}</span>
      </div>
      <PairsTable title="Query String" pairs={request.query} />
      {body == null || body === '' ? null : (
        <div className="subsection">
          <h3 className="subsection-title">Body</h3>
          <pre className="value-json">{formatJsonValue(body)}</pre>
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
