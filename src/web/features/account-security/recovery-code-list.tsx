interface RecoveryCodeListProps {
  codes: readonly string[];
  onDone: () => void;
}

/** Shows new recovery codes once, with a reminder that they cannot be shown again. */
export function RecoveryCodeList({ codes, onDone }: RecoveryCodeListProps) {
  return (
    <div
      className="alert alert-info recovery-codes-box"
      role="region"
      aria-label="New recovery codes"
    >
      <p>
        Save these recovery codes somewhere safe. Each works once, in place of a code, and they are
        not shown again.
      </p>
      <ul className="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <button type="button" className="button" onClick={onDone}>
        I saved the codes
      </button>
    </div>
  );
}
