import { createBrowserRouter, Navigate } from 'react-router';

import { LoginPage } from '../features/auth/login-page';
import { FiltersPage } from '../features/filters/filters-page';
import { FeedbackPage } from '../features/feedback/feedback-page';
import { LogsPage } from '../features/logs/logs-page';
import { MonitorDetailsPage } from '../features/crons/monitor-details-page';
import { MonitorListPage } from '../features/crons/monitor-list-page';
import { IssueDetailsPage } from '../features/issue-details/issue-details-page';
import { IssueListPage } from '../features/issues/issue-list-page';
import { NewOrganizationPage } from '../features/organizations/new-organization-page';
import { OrganizationIndexPage } from '../features/organizations/organization-index-page';
import { PerformancePage } from '../features/performance/performance-page';
import { TracePage } from '../features/performance/trace-page';
import { NewProjectPage } from '../features/projects/new-project-page';
import { ProjectKeysPage } from '../features/projects/project-keys-page';
import { StatsPage } from '../features/stats/stats-page';
import { ReleaseDetailsPage } from '../features/releases/release-details-page';
import { ReleaseListPage } from '../features/releases/release-list-page';
import { OrganizationLayout, PlainLayout } from './layouts';
import { NotFoundPage } from './not-found-page';
import { RequireAuth } from './require-auth';

export function createRouter() {
  return createBrowserRouter([
    { path: '/auth/login/', element: <LoginPage /> },
    {
      element: <RequireAuth />,
      children: [
        {
          element: <PlainLayout />,
          children: [
            { path: '/', element: <OrganizationIndexPage /> },
            { path: '/organizations/new/', element: <NewOrganizationPage /> },
          ],
        },
        {
          path: '/organizations/:orgSlug/',
          element: <OrganizationLayout />,
          children: [
            { index: true, element: <Navigate to="issues/" replace /> },
            { path: 'issues/', element: <IssueListPage /> },
            { path: 'issues/:issueId/', element: <IssueDetailsPage /> },
            { path: 'feedback/', element: <FeedbackPage /> },
            { path: 'logs/', element: <LogsPage /> },
            { path: 'performance/', element: <PerformancePage /> },
            { path: 'traces/:traceId/', element: <TracePage /> },
            { path: 'projects/new/', element: <NewProjectPage /> },
            { path: 'stats/', element: <StatsPage /> },
            { path: 'releases/', element: <ReleaseListPage /> },
            { path: 'releases/:version/', element: <ReleaseDetailsPage /> },
            { path: 'crons/', element: <MonitorListPage /> },
            { path: 'crons/:monitorSlug/', element: <MonitorDetailsPage /> },
          ],
        },
        {
          path: '/settings/:orgSlug/',
          element: <OrganizationLayout />,
          children: [
            { path: 'projects/:projectSlug/keys/', element: <ProjectKeysPage /> },
            { path: 'projects/:projectSlug/filters/', element: <FiltersPage /> },
          ],
        },
      ],
    },
    { path: '*', element: <NotFoundPage /> },
  ]);
}
