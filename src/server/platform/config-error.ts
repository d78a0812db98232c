/**
 * An invalid configuration, listing every problem. It has a module of its own so that threads
 * that only create folders (the spool writer) do not load the zod schema of `config.ts`.
 */
export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
