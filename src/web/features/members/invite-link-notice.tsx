import type { Member } from '../../../shared/api/members';
import { CopyButton } from '../../components/copy-button';

/**
 * Shows the link of a new or regenerated invitation. The server stores only a hash of the
 * token, so this is the one time the link can be shown.
 */
export function InviteLinkNotice({ member }: { member: Member }) {
  if (member.inviteLink === undefined) {
    return null;
  }
  return (
    <div className="alert alert-info" role="status" aria-label="Invitation link">
      <p>
        {member.inviteSent === true
          ? `An e-mail with this link went to ${member.email}.`
          : `Send this link to ${member.email}. It works once and expires in 7 days.`}
      </p>
      <code className="invite-link">{member.inviteLink}</code>{' '}
      <CopyButton text={member.inviteLink} label="Copy invitation link" />
    </div>
  );
}
