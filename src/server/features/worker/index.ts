export { WorkerRunner, type WorkerRunnerOptions } from './worker-runner.js';
