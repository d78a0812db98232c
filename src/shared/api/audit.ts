/** Wire types of the organization audit log (`/api/0/organizations/{org}/audit-logs/`). */

/** The user or system that performed an audited action. */
export interface AuditActor {
  /** Null for actions without a user, such as a failed login for an unknown e-mail. */
  id: string | null;
  name: string;
  email: string | null;
  /** Id of the API token used, when the action came through a token. */
  tokenId: string | null;
}

export interface AuditLogRow {
  id: string;
  actor: AuditActor;
  /** Sentry's event name, such as `projectkey.create`. */
  event: string;
  ipAddress: string | null;
  userAgent: string | null;
  /** One-line summary of the action. */
  note: string;
  /** Id of the changed object (a key, token, member or project). */
  targetObject: string | null;
  /** Kind of the changed object, such as `project_key`. */
  targetType: string | null;
  /** Set when the target is a user; Picket records users as targets by id only. */
  targetUser: { id: string } | null;
  data: Record<string, unknown>;
  dateCreated: string;
}

/** Response of the audit log list: one page of rows and every event name that can be filtered. */
export interface AuditLogPage {
  rows: AuditLogRow[];
  options: string[];
}
