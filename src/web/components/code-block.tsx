import { CopyButton } from './copy-button';

interface CodeBlockProps {
  code: string;
  /** Label above the code, as "Install" or a file name. */
  title?: string;
  copyLabel?: string;
}

/** Preformatted code with a copy button. */
export function CodeBlock({ code, title, copyLabel }: CodeBlockProps) {
  return (
    <div className="code-block">
      <div className="code-block-header">
        <span className="code-block-title">{title}</span>
        <CopyButton
          text={code}
          label={copyLabel ?? (title === undefined ? 'Copy' : `Copy ${title}`)}
        />
      </div>
      <pre>
        <code>{code}</code>
      </pre>
    </div>
  );
}
