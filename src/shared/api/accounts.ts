/**
 * Wire types of Picket's account endpoints: auth, organizations, teams, projects and client
 * keys. The shapes follow Sentry's `/api/0/` responses, so field names are Sentry's camelCase.
 */

/** Body of every API error response. */
export interface ApiErrorBody {
  detail: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
}

/** Response of `GET /api/0/auth/` and `POST /api/0/auth/login/`. */
export interface AuthResponse {
  user: User;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface Organization {
  id: string;
  slug: string;
  name: string;
  /** ISO 8601 timestamp. */
  dateCreated: string;
}

export interface CreateOrganizationRequest {
  name: string;
  slug?: string;
}

export interface Team {
  id: string;
  slug: string;
  name: string;
  dateCreated: string;
}

export interface CreateTeamRequest {
  name: string;
  slug?: string;
}

export interface Project {
  id: string;
  slug: string;
  name: string;
  platform: string | null;
  dateCreated: string;
  /** ISO 8601 timestamp of the first stored event, or null while the project has none. */
  firstEvent: string | null;
}

export interface CreateProjectRequest {
  name: string;
  slug?: string;
  platform?: string;
}

/**
 * The DSN of a client key in each of the forms Sentry's key endpoint lists. An endpoint that
 * Picket does not serve is null.
 */
export interface ProjectKeyDsn {
  public: string;
  secret: string;
  /** Content Security Policy report endpoint. */
  csp: string | null;
  security: string | null;
  minidump: string | null;
  nel: string | null;
  unreal: string | null;
  crons: string | null;
  otlp_traces: string | null;
  otlp_logs: string | null;
  /** URL of the JavaScript loader script. */
  cdn: string | null;
}

/** A client key of a project, as returned by `GET /api/0/projects/{org}/{project}/keys/`. */
export interface ProjectKey {
  id: string;
  name: string;
  label: string;
  public: string;
  secret: string;
  projectId: string | number;
  isActive: boolean;
  dateCreated: string;
  dsn: ProjectKeyDsn;
}
