"""Send one transaction with child spans and an error inside it with the real sentry_sdk.

Written for Debian's python3-sentry-sdk 1.9.10, run with /usr/bin/python3. That SDK sends the
transaction as a `transaction` envelope item, gzip-compressed, with RFC 3339 timestamps.

Usage: /usr/bin/python3 tracing.py <dsn>   (or set SENTRY_DSN)
Optional: SENTRY_RELEASE, SENTRY_ENVIRONMENT, SENTRY_DEBUG=1 (the SDK's own log).
Prints {"traceId": "<32 hex>", "rootSpanId": "<16 hex>", "errorEventId": "<32 hex>"} on stdout.
"""

import json
import os
import sys
import time

import sentry_sdk

FLUSH_TIMEOUT_SECONDS = 10


def main():
    dsn = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SENTRY_DSN")
    if not dsn:
        print("Missing DSN: pass it as the first argument or set SENTRY_DSN.", file=sys.stderr)
        return 2

    sentry_sdk.init(
        dsn=dsn,
        release=os.environ.get("SENTRY_RELEASE", "picket-python-client@1.0.0"),
        environment=os.environ.get("SENTRY_ENVIRONMENT", "live-test"),
        traces_sample_rate=1.0,
        debug=os.environ.get("SENTRY_DEBUG") == "1",
    )

    with sentry_sdk.start_transaction(name="process-order", op="task") as transaction:
        with transaction.start_child(op="db.query", description="SELECT * FROM orders"):
            time.sleep(0.02)
        with transaction.start_child(op="template.render", description="render receipt") as render:
            with render.start_child(op="file.read", description="load template"):
                time.sleep(0.005)
        try:
            1 / 0
        except ZeroDivisionError:
            error_event_id = sentry_sdk.capture_exception()
        trace_id = transaction.trace_id
        root_span_id = transaction.span_id

    # flush() returns nothing in 1.9.10, so a lost transaction shows up only in the server's data.
    sentry_sdk.flush(timeout=FLUSH_TIMEOUT_SECONDS)

    if error_event_id is None:
        print("The SDK dropped the error before sending it (no event id returned).", file=sys.stderr)
        return 1

    print(
        json.dumps({"traceId": trace_id, "rootSpanId": root_span_id, "errorEventId": error_event_id}),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
