export { WorkerRunner, type WorkerRunnerOptions } from './worker-runner.js';
export type { WorkerReport } from './batch-stats.js';
export { recordCategory } from './record-processors.js';
