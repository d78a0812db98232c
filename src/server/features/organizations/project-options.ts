import type { FastifyRequest } from 'fastify';

/**
 * Project options kept by another feature, which the project API reads and writes under
 * `options` as Sentry does (for example the inbound filters' `filters:releases`). The feature
 * is wired in when the app is built, so this one does not depend on it.
 */
export interface ProjectOptionsStore {
  /** Option keys the store accepts in a project update. */
  readonly keys: readonly string[];
  read(projectId: number): Promise<Record<string, string>>;
  /** Returns a problem per invalid option, or an empty object when all are valid. */
  check(options: Record<string, string>): Record<string, string>;
  /** Stores options that passed `check`. */
  write(projectId: number, options: Record<string, string>): Promise<void>;
}

/**
 * Top-level project fields kept by another feature, which the project API reads and writes as
 * Sentry does (for example `groupingEnhancements` and `fingerprintingRules`).
 */
export interface ProjectFieldsStore {
  /** Field names the store accepts in a project update. */
  readonly keys: readonly string[];
  read(projectId: number): Promise<Record<string, unknown>>;
  /** Returns the problems per field, or an empty object when all given fields are valid. */
  check(fields: Record<string, unknown>): Record<string, string[]>;
  /** Stores fields that passed `check`; `request` names the actor for the audit log. */
  write(
    projectId: number,
    fields: Record<string, unknown>,
    request?: FastifyRequest,
  ): Promise<void>;
}
