"""Send release health sessions with the real sentry_sdk.

Written for Debian's python3-sentry-sdk 1.9.10, run with /usr/bin/python3. That SDK sends
sessions in envelopes and ends them on `end_session` or when the process exits.

Usage: /usr/bin/python3 health.py <dsn> sessions|crash
  sessions  two application sessions of two users: one with a handled error, one clean.
  crash     one session ended by an uncaught exception, which the SDK reports as crashed;
            the process exits with status 1.
Optional: SENTRY_RELEASE, SENTRY_ENVIRONMENT, SENTRY_DEBUG=1 (the SDK's own log).
"""

import os
import sys

import sentry_sdk

FLUSH_TIMEOUT_SECONDS = 10


def load_config():
    return {}["missing"]


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in ("sessions", "crash"):
        print("Usage: health.py <dsn> sessions|crash", file=sys.stderr)
        return 2
    dsn, mode = sys.argv[1], sys.argv[2]

    sentry_sdk.init(
        dsn=dsn,
        release=os.environ.get("SENTRY_RELEASE", "picket-python-health@1.0.0"),
        environment=os.environ.get("SENTRY_ENVIRONMENT", "live-test"),
        debug=os.environ.get("SENTRY_DEBUG") == "1",
    )
    hub = sentry_sdk.Hub.current

    if mode == "crash":
        sentry_sdk.set_user({"id": "python-crash"})
        hub.start_session(session_mode="application")
        load_config()
        return 0

    sentry_sdk.set_user({"id": "python-errored"})
    hub.start_session(session_mode="application")
    try:
        load_config()
    except KeyError:
        sentry_sdk.capture_exception()
    hub.end_session()

    sentry_sdk.set_user({"id": "python-clean"})
    hub.start_session(session_mode="application")
    hub.end_session()

    sentry_sdk.flush(timeout=FLUSH_TIMEOUT_SECONDS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
