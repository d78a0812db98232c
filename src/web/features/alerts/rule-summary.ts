import {
  ACTION_IDS,
  RULE_CATALOG,
  type RuleCatalogEntry,
  type RuleConfiguration,
  type RuleMatch,
  type RuleNode,
} from '../../../shared/api/alerts';
import { ACTION_INTERVALS } from './rule-draft';
import { fillLabelTemplate, findCatalogEntry } from './rule-template';

/** Names of teams and members by id, for e-mail actions that send to one of them. */
export interface TargetNames {
  teams?: ReadonlyMap<string, string>;
  members?: ReadonlyMap<string, string>;
}

/** The parts of a rule that its summary reads. */
export interface RuleSummaryInput {
  environment: string | null;
  actionMatch: RuleMatch;
  filterMatch: RuleMatch;
  frequency: number;
  conditions: RuleNode[];
  filters: RuleNode[];
  actions: RuleNode[];
}

/** A rule in words, part by part, as the details page lists it. */
export interface RuleSummary {
  when: string;
  conditions: string[];
  /** Null when the rule has no filters. */
  filtersIntro: string | null;
  filters: string[];
  actions: string[];
  interval: string;
  environment: string;
}

export function describeFrequency(minutes: number): string {
  const known = ACTION_INTERVALS.find(([value]) => value === minutes);
  if (known !== undefined) {
    return known[1];
  }
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** Describes one node with its catalog label filled in; an unknown id is shown as it is. */
export function describeNode(
  entries: readonly RuleCatalogEntry[],
  node: RuleNode,
  names: TargetNames = {},
): string {
  const entry = findCatalogEntry(entries, node.id);
  if (entry === undefined) {
    return node.id;
  }

  const text = fillLabelTemplate(entry, node);
  if (node.id !== ACTION_IDS.email) {
    return text;
  }
  return `${text}${describeEmailTarget(node, names)}`;
}

function describeEmailTarget(node: RuleNode, names: TargetNames): string {
  const identifier = stringOf(node.targetIdentifier);
  if (node.targetType === 'Team' && identifier !== '') {
    return ` (#${names.teams?.get(identifier) ?? identifier})`;
  }
  if (node.targetType === 'Member' && identifier !== '') {
    return ` (${names.members?.get(identifier) ?? `user ${identifier}`})`;
  }
  return '';
}

function stringOf(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  return typeof value === 'number' ? String(value) : '';
}

/** Joins descriptions for a table cell: the first ones, then "and N more". */
export function summarizeNodes(
  entries: readonly RuleCatalogEntry[],
  nodes: RuleNode[],
  names: TargetNames = {},
  maxShown = 2,
): string {
  if (nodes.length === 0) {
    return 'None';
  }

  const texts = nodes.slice(0, maxShown).map((node) => describeNode(entries, node, names));
  const rest = nodes.length - maxShown;
  return rest > 0 ? `${texts.join('; ')}; and ${rest} more` : texts.join('; ');
}

const MATCH_WORDS: Record<RuleMatch, string> = { all: 'all', any: 'any', none: 'none' };

/** Describes a rule in words, with each condition, filter and action's label filled in. */
export function summarizeRule(
  rule: RuleSummaryInput,
  names: TargetNames = {},
  catalog: RuleConfiguration = RULE_CATALOG,
): RuleSummary {
  return {
    when: `When ${MATCH_WORDS[rule.actionMatch]} of these conditions are met:`,
    conditions: rule.conditions.map((node) => describeNode(catalog.conditions, node, names)),
    filtersIntro:
      rule.filters.length === 0
        ? null
        : `If ${MATCH_WORDS[rule.filterMatch]} of these filters match:`,
    filters: rule.filters.map((node) => describeNode(catalog.filters, node, names)),
    actions: rule.actions.map((node) => describeNode(catalog.actions, node, names)),
    interval: `Perform the actions at most once every ${describeFrequency(rule.frequency)} for each issue.`,
    environment:
      rule.environment === null || rule.environment === ''
        ? 'Events of every environment'
        : `Events of the ${rule.environment} environment only`,
  };
}

/** Turns reason keys such as `first_seen` into words. */
export function describeReason(reason: string): string {
  return reason.replace(/_/g, ' ');
}
