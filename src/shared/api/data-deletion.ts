/** Body of `POST /api/0/organizations/{org}/user-data/delete/`. */
export interface UserDataDeleteRequest {
  /** The `user.id` that SDKs send; matched as text. */
  userId?: string;
  /** The `user.email` that SDKs send; matched without regard to case. */
  email?: string;
  /** Project ids or slugs to limit the deletion to; all projects of the organization when absent. */
  projects?: string[];
}

/** Rows deleted for one user, returned by the user-data delete request. */
export interface UserDataDeleteResult {
  projects: number;
  events: number;
  transactions: number;
  spans: number;
  attachments: number;
  feedback: number;
  sessionUsers: number;
  issuesUpdated: number;
  issuesDeleted: number;
}
