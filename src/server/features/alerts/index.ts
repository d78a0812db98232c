export { RuleRepository, type RuleRecord } from './rule-repository.js';
export { registerRuleRoutes } from './rule-routes.js';
