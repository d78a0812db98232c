/** Runs the real-SDK client scripts in test/clients and reads the event ids they print. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const NODE_CLIENT_DIR = path.join(REPOSITORY_ROOT, 'test/clients/node');
export const PYTHON_CLIENT_DIR = path.join(REPOSITORY_ROOT, 'test/clients/python');

/** Event ids printed by a client script. */
export interface ClientEventIds {
  exception: string;
  message: string;
}

/** Runs a program to completion and returns its stdout; fails with its stderr on a non-zero exit. */
export function runProgram(
  executable: string,
  args: string[],
  options: { timeoutMs: number; cwd?: string; env?: NodeJS.ProcessEnv },
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      executable,
      args,
      { timeout: options.timeoutMs, cwd: options.cwd, env: options.env ?? process.env },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${executable} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
          return;
        }
        resolve(stdout);
      },
    );
  });
}

/** Runs a client script with a DSN and parses the `{"exception","message"}` line it prints. */
export async function runClientScript(
  executable: string,
  script: string,
  dsn: string,
  timeoutMs: number,
): Promise<ClientEventIds> {
  const stdout = await runProgram(executable, [script, dsn], { timeoutMs });
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  const ids = JSON.parse(lastLine) as Partial<ClientEventIds>;
  if (typeof ids.exception !== 'string' || typeof ids.message !== 'string') {
    throw new Error(`${script} printed no event ids: ${stdout}`);
  }
  return { exception: ids.exception, message: ids.message };
}

/** Runs a program that is expected to fail, such as a crashing SDK client, and returns its exit code. */
export function runToExit(
  executable: string,
  args: string[],
  timeoutMs: number,
): Promise<number | null> {
  return new Promise((resolve) => {
    const child = execFile(executable, args, { timeout: timeoutMs }, () => {
      resolve(child.exitCode);
    });
  });
}
