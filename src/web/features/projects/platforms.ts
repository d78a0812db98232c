export interface PlatformOption {
  /** Sentry's platform id, stored on the project. */
  id: string;
  label: string;
}

export const PLATFORMS: PlatformOption[] = [
  { id: 'javascript', label: 'Browser JavaScript' },
  { id: 'node', label: 'Node.js' },
  { id: 'python', label: 'Python' },
  { id: 'ruby', label: 'Ruby' },
  { id: 'other', label: 'Other' },
];

export function platformLabel(platform: string | null): string {
  return PLATFORMS.find((option) => option.id === platform)?.label ?? platform ?? 'Other';
}
