import { EventText } from './event-text';

const KNOWN_LEVELS = new Set(['fatal', 'error', 'warning', 'info', 'debug', 'sample']);

/** Returns the CSS class for an event level. Unknown levels share the `other` colour. */
export function levelClassName(level: string): string {
  return KNOWN_LEVELS.has(level) ? `level-${level}` : 'level-other';
}

interface LevelBadgeProps {
  level: string;
}

/** Renders the level of an issue or event as a coloured label, as "error" or "warning". */
export function LevelBadge({ level }: LevelBadgeProps) {
  return <EventText className={`level-badge ${levelClassName(level)}`}>{level}</EventText>;
}
