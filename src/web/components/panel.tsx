import type { ReactNode } from 'react';

interface PanelProps {
  children: ReactNode;
  title?: ReactNode;
  /** Controls shown at the right of the title, as buttons or a count. */
  actions?: ReactNode;
  className?: string;
}

/** Renders a bordered section with an optional title bar. */
export function Panel({ children, title, actions, className }: PanelProps) {
  return (
    <section className={className === undefined ? 'panel' : `panel ${className}`}>
      {title === undefined && actions === undefined ? null : (
        <header className="panel-header">
          <h2 className="panel-title">{title}</h2>
          {actions}
        </header>
      )}
      <div className="panel-body">{children}</div>
    </section>
  );
}
