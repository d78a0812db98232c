export { processSpanRecords, processTransactionRecords } from './performance-processors.js';
export {
  createTransactionEventLookup,
  registerPerformanceRoutes,
  type TransactionEventLookup,
} from './performance-routes.js';
