import { execFile } from 'node:child_process';

import type { PicketInstance, TestProject } from './picket.js';

/** Exit code and output of one sentry-cli run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a sentry-cli executable in `workDir` against the Picket under test, as the project's
 * user: URL, token, organization and project come from the environment, `HOME` is the work
 * folder (so no `~/.sentryclirc` of the machine applies) and the update check is off.
 */
export function runSentryCliAt(
  executable: string,
  picket: PicketInstance,
  project: TestProject,
  workDir: string,
  args: string[],
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      executable,
      args,
      {
        cwd: workDir,
        timeout: 60_000,
        env: {
          ...process.env,
          HOME: workDir,
          SENTRY_URL: `${picket.url}/`,
          SENTRY_AUTH_TOKEN: project.token,
          SENTRY_ORG: project.orgSlug,
          SENTRY_PROJECT: project.projectSlug,
          SENTRY_DISABLE_UPDATE_CHECK: 'true',
        },
      },
      (error, stdout, stderr) => {
        let code = 0;
        if (error !== null) {
          code = typeof error.code === 'number' ? error.code : 1;
        }
        resolve({ code, stdout, stderr });
      },
    );
  });
}
