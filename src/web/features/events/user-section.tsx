import type { EventUser } from '../../../shared/api/events';
import { KeyValueTable, type KeyValueRow } from '../../components/key-value-table';
import { Panel } from '../../components/panel';

const USER_FIELDS: { field: keyof EventUser; label: string }[] = [
  { field: 'id', label: 'ID' },
  { field: 'email', label: 'Email' },
  { field: 'username', label: 'Username' },
  { field: 'ip_address', label: 'IP Address' },
  { field: 'name', label: 'Name' },
];

interface UserSectionProps {
  user: EventUser;
}

/** Renders the user the event happened to, with any extra user data the SDK sent. */
export function UserSection({ user }: UserSectionProps) {
  const rows: KeyValueRow[] = [];
  for (const { field, label } of USER_FIELDS) {
    const value = user[field];
    if (value != null && value !== '') {
      rows.push({ key: label, value });
    }
  }

  for (const [key, value] of Object.entries(user.data ?? {})) {
    rows.push({ key, value });
  }

  if (rows.length === 0) {
    return null;
  }

  return (
    <Panel title="User">
      <KeyValueTable rows={rows} />
    </Panel>
  );
}
