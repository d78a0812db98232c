export {
  computeGrouping,
  type ComputeGroupingOptions,
  type GroupingComponent,
  type GroupingResult,
  type GroupingVariant,
} from './compute-grouping.js';
export { matchFingerprintRules } from './fingerprint-matcher.js';
export type { RuleError } from './fingerprint-rules.js';
export {
  compileGroupingRules,
  type CompiledGroupingRules,
  EMPTY_RULES,
  type GroupingRulesText,
  MAX_RULES_CHARS,
  readGroupingRules,
  validateGroupingRules,
  writeGroupingRules,
} from './project-rules.js';
export { loadGroupingRules } from './rules-cache.js';
export { createGroupingFieldsStore } from './grouping-fields-store.js';
export { registerGroupingRoutes } from './grouping-info-routes.js';
