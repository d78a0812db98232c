export { IssueRepository } from './issue-repository.js';
export { registerIssueRoutes } from './issue-routes.js';
