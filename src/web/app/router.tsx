import { createBrowserRouter, Navigate } from 'react-router';

import { AccountSecurityPage } from '../features/account-security/account-security-page';
import { AlertListPage } from '../features/alerts/alert-list-page';
import { EditRulePage, NewRulePage } from '../features/alerts/rule-editor-page';
import { RuleDetailsPage } from '../features/alerts/rule-details-page';
import { LoginPage } from '../features/auth/login-page';
import { FiltersPage } from '../features/filters/filters-page';
import { ProjectGeneralPage } from '../features/data-deletion/project-general-page';
import { UserDataPage } from '../features/data-deletion/user-data-page';
import { GroupingSettingsPage } from '../features/grouping/grouping-settings-page';
import {
  OrganizationSecurityPrivacyPage,
  ProjectSecurityPrivacyPage,
} from '../features/data-scrubbing/security-privacy-pages';
import { FeedbackPage } from '../features/feedback/feedback-page';
import { LogsPage } from '../features/logs/logs-page';
import { MonitorDetailsPage } from '../features/crons/monitor-details-page';
import { MonitorListPage } from '../features/crons/monitor-list-page';
import { IssueDetailsPage } from '../features/issue-details/issue-details-page';
import { IssueEventsPage } from '../features/issue-details/issue-events-page';
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
import { SourceMapsPage } from '../features/sourcemaps/source-maps-page';
import { SettingsLayout } from '../features/settings/settings-layout';
import { AcceptInvitePage } from '../features/members/accept-invite-page';
import { MembersPage } from '../features/members/members-page';
import { ManageUsersPage } from '../features/manage/manage-users-page';
import { NotificationSettingsPage } from '../features/notification-settings/notification-settings-page';
import { OrganizationSettingsPage } from '../features/organizations/organization-settings-page';
import { TeamPage } from '../features/teams/team-page';
import { TeamsPage } from '../features/teams/teams-page';
import { AccountTokensPage } from '../features/tokens/account-tokens-page';
import { OrgTokensPage } from '../features/tokens/org-tokens-page';
import { AuditLogPage } from '../features/audit/audit-log-page';
import { OrganizationLayout, PlainLayout } from './layouts';
import { NotFoundPage } from './not-found-page';
import { RequireAuth } from './require-auth';

export function createRouter() {
  return createBrowserRouter([
    { path: '/auth/login/', element: <LoginPage /> },
    { path: '/accept-invite/:memberId/:token/', element: <AcceptInvitePage /> },
    {
      element: <RequireAuth />,
      children: [
        {
          element: <PlainLayout />,
          children: [
            { path: '/', element: <OrganizationIndexPage /> },
            { path: '/organizations/new/', element: <NewOrganizationPage /> },
            { path: '/manage/users/', element: <ManageUsersPage /> },
          ],
        },
        {
          path: '/organizations/:orgSlug/',
          element: <OrganizationLayout />,
          children: [
            { index: true, element: <Navigate to="issues/" replace /> },
            { path: 'issues/', element: <IssueListPage /> },
            { path: 'issues/:issueId/', element: <IssueDetailsPage /> },
            { path: 'issues/:issueId/events/', element: <IssueEventsPage /> },
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
            { path: 'alerts/', element: <Navigate to="rules/" replace /> },
            { path: 'alerts/rules/', element: <AlertListPage /> },
            { path: 'alerts/new/issue/', element: <NewRulePage /> },
            { path: 'alerts/rules/:projectSlug/:ruleId/', element: <RuleDetailsPage /> },
            { path: 'alerts/rules/:projectSlug/:ruleId/edit/', element: <EditRulePage /> },
          ],
        },
        {
          path: '/settings/account/',
          element: <PlainLayout />,
          children: [
            {
              element: <SettingsLayout />,
              children: [
                { index: true, element: <Navigate to="security/" replace /> },
                { path: 'api/auth-tokens/', element: <AccountTokensPage /> },
                { path: 'security/', element: <AccountSecurityPage /> },
                { path: 'notifications/', element: <NotificationSettingsPage /> },
              ],
            },
          ],
        },
        {
          path: '/settings/:orgSlug/',
          element: <OrganizationLayout />,
          children: [
            {
              element: <SettingsLayout />,
              children: [
                { index: true, element: <Navigate to="general/" replace /> },
                { path: 'general/', element: <OrganizationSettingsPage /> },
                { path: 'members/', element: <MembersPage /> },
                { path: 'teams/', element: <TeamsPage /> },
                { path: 'teams/:teamSlug/', element: <TeamPage /> },
                { path: 'auth-tokens/', element: <OrgTokensPage /> },
                { path: 'audit-log/', element: <AuditLogPage /> },
                { path: 'projects/:projectSlug/keys/', element: <ProjectKeysPage /> },
                { path: 'projects/:projectSlug/filters/', element: <FiltersPage /> },
                { path: 'projects/:projectSlug/grouping/', element: <GroupingSettingsPage /> },
                { path: 'projects/:projectSlug/source-maps/', element: <SourceMapsPage /> },
                { path: 'projects/:projectSlug/general/', element: <ProjectGeneralPage /> },
                { path: 'user-data/', element: <UserDataPage /> },
                { path: 'security-and-privacy/', element: <OrganizationSecurityPrivacyPage /> },
                {
                  path: 'projects/:projectSlug/security-and-privacy/',
                  element: <ProjectSecurityPrivacyPage />,
                },
              ],
            },
          ],
        },
      ],
    },
    { path: '*', element: <NotFoundPage /> },
  ]);
}
