import { useQuery } from '@tanstack/react-query';

import { teamsOptions } from '../../lib/query-options';
import { membersOptions } from '../members/members-api';
import type { TargetNames } from './rule-summary';

/**
 * Loads the organization's team slugs and member e-mails by id, so that rule summaries name
 * e-mail targets. Until they load, or when they fail, summaries fall back to the ids.
 */
export function useTargetNames(orgSlug: string): TargetNames {
  const teamsQuery = useQuery(teamsOptions(orgSlug));
  const membersQuery = useQuery(membersOptions(orgSlug));
  return {
    teams: new Map((teamsQuery.data ?? []).map((team) => [team.id, team.slug])),
    members: new Map(
      (membersQuery.data ?? []).flatMap((member) =>
        member.user === null ? [] : [[member.user.id, member.email] as const],
      ),
    ),
  };
}
