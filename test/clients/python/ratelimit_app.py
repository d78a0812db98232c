"""Send errors with the real sentry_sdk to a server that limits the DSN key to one error.

Written for Debian's python3-sentry-sdk 1.9.10, run with /usr/bin/python3. Steps: an error
(accepted), an error (rejected with 429), then two errors that the SDK must drop itself, then a flush
that sends the client report. The SDK keeps no record of response statuses, so the test reads
what happened from the server.

Usage: /usr/bin/python3 ratelimit_app.py <dsn>   Optional: SENTRY_DEBUG=1 (the SDK's own log).
Prints {"sent": 4} on stdout when done.
"""

import json
import os
import sys

import sentry_sdk

FLUSH_TIMEOUT_SECONDS = 5


def capture(message):
    try:
        raise RuntimeError(message)
    except RuntimeError:
        sentry_sdk.capture_exception()


def main():
    if len(sys.argv) < 2:
        print("Missing DSN: pass it as the first argument.", file=sys.stderr)
        return 2

    sentry_sdk.init(
        dsn=sys.argv[1],
        release="picket-ratelimit@1.0.0",
        debug=os.environ.get("SENTRY_DEBUG") == "1",
    )

    capture("first error (accepted)")
    sentry_sdk.flush(timeout=FLUSH_TIMEOUT_SECONDS)
    capture("second error (rejected with 429)")
    sentry_sdk.flush(timeout=FLUSH_TIMEOUT_SECONDS)
    capture("third error (dropped by the SDK)")
    capture("fourth error (dropped by the SDK)")
    # flush() also sends the pending client report in 1.9.10.
    sentry_sdk.flush(timeout=FLUSH_TIMEOUT_SECONDS)

    print(json.dumps({"sent": 4}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
