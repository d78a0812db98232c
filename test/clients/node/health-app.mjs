// Sends release health and cron check-ins to a Sentry-compatible server with the real
// @sentry/node SDK.
//
// Usage: node health-app.mjs <dsn> <mode>
//   sessions  the process session (with one handled error), one explicit session, and
//             check-ins: captureCheckIn with a crontab config, withMonitor with an interval
//             config, and a withMonitor callback that throws (an error check-in). Prints
//             {"checkInId":"<id>"} on success.
//   crash     throws an uncaught exception: the SDK marks the process session as crashed,
//             sends it and exits with code 1.
// Optional: SENTRY_RELEASE, SENTRY_ENVIRONMENT, SENTRY_USER, SENTRY_DEBUG=1.
import * as Sentry from '@sentry/node';

const dsn = process.argv[2];
const mode = process.argv[3];
if (!dsn || !['sessions', 'crash'].includes(mode)) {
  console.error('Usage: node health-app.mjs <dsn> sessions|crash');
  process.exit(2);
}

const FLUSH_TIMEOUT_MS = 10_000;

Sentry.init({
  dsn,
  release: process.env.SENTRY_RELEASE ?? 'picket-node-health@1.0.0',
  environment: process.env.SENTRY_ENVIRONMENT ?? 'live-test',
  debug: process.env.SENTRY_DEBUG === '1',
});
Sentry.setUser({ id: process.env.SENTRY_USER ?? `node-${mode}` });

function loadConfig() {
  return JSON.parse('{not json');
}

if (mode === 'crash') {
  setTimeout(() => loadConfig(), 10);
} else {
  try {
    loadConfig();
  } catch (error) {
    Sentry.captureException(error);
  }

  Sentry.startSession();
  Sentry.captureSession();
  Sentry.endSession();

  const checkInId = Sentry.captureCheckIn(
    { monitorSlug: 'node-nightly', status: 'in_progress' },
    {
      schedule: { type: 'crontab', value: '30 2 * * 1-5' },
      checkinMargin: 5,
      maxRuntime: 60,
      timezone: 'America/New_York',
      failureIssueThreshold: 2,
      recoveryThreshold: 3,
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  Sentry.captureCheckIn({ checkInId, monitorSlug: 'node-nightly', status: 'ok', duration: 0.05 });

  await Sentry.withMonitor(
    'node-hourly',
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
    },
    { schedule: { type: 'interval', value: 1, unit: 'hour' } },
  );

  try {
    await Sentry.withMonitor(
      'node-failing',
      async () => {
        throw new Error('job failed');
      },
      { schedule: { type: 'interval', value: 10, unit: 'minute' } },
    );
  } catch {
    // The error check-in is what the test reads.
  }

  const flushed = await Sentry.flush(FLUSH_TIMEOUT_MS);
  if (!flushed) {
    console.error(`Sentry.flush did not finish within ${FLUSH_TIMEOUT_MS} ms`);
    process.exit(1);
  }
  // Closing ends the process session with status exited and sends it.
  await Sentry.close(FLUSH_TIMEOUT_MS);
  console.log(JSON.stringify({ checkInId }));
}
