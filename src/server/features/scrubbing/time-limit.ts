import vm from 'node:vm';

/**
 * Runs `task` and stops it after `timeoutMs` milliseconds of synchronous work, even inside a
 * single regular-expression match, which no check between matches can interrupt. Node's `vm`
 * timeout ends whatever JavaScript runs on the thread, host functions included. The context
 * contains nothing but the task, and the script's only code is a fixed call.
 * @throws TimeLimitError when the time runs out; the task's own errors pass through.
 */
export function runWithTimeLimit<T>(task: () => T, timeoutMs: number): T {
  holder.task = task;
  try {
    return CALL.runInContext(context, { timeout: timeoutMs }) as T;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      throw new TimeLimitError(timeoutMs);
    }
    throw error;
  } finally {
    holder.task = undefined;
  }
}

export class TimeLimitError extends Error {
  override name = 'TimeLimitError';

  constructor(timeoutMs: number) {
    super(`The task ran for more than ${timeoutMs} ms`);
  }
}

const holder: { task: (() => unknown) | undefined } = { task: undefined };
const context = vm.createContext(holder);
const CALL = new vm.Script('task()');
