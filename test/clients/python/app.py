"""Send one exception and one message with the real sentry_sdk, then print their event ids.

Written for Debian's python3-sentry-sdk 1.9.10, run with /usr/bin/python3. That SDK sends errors
and messages to the legacy store endpoint (/api/<project>/store/), gzip-compressed.

Usage: /usr/bin/python3 app.py <dsn>   (or set SENTRY_DSN)
Optional: SENTRY_RELEASE, SENTRY_ENVIRONMENT, SENTRY_DEBUG=1 (the SDK's own log).
Prints {"exception": "<id>", "message": "<id>"} on stdout.
"""

import json
import os
import sys

import sentry_sdk

FLUSH_TIMEOUT_SECONDS = 10


def load_invoice(invoice_id):
    return price_invoice({"id": invoice_id, "lines": []})


def price_invoice(invoice):
    return average_line(invoice["lines"])


def average_line(lines):
    # Raises ZeroDivisionError for an invoice without lines.
    return sum(lines) / len(lines)


def main():
    dsn = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SENTRY_DSN")
    if not dsn:
        print("Missing DSN: pass it as the first argument or set SENTRY_DSN.", file=sys.stderr)
        return 2

    sentry_sdk.init(
        dsn=dsn,
        release=os.environ.get("SENTRY_RELEASE", "picket-python-client@1.0.0"),
        environment=os.environ.get("SENTRY_ENVIRONMENT", "live-test"),
        debug=os.environ.get("SENTRY_DEBUG") == "1",
    )

    exception_event_id = None
    try:
        load_invoice("inv-7")
    except ZeroDivisionError:
        exception_event_id = sentry_sdk.capture_exception()

    with sentry_sdk.push_scope() as scope:
        scope.set_tag("feature", "billing")
        scope.set_tag("tier", "gold")
        scope.set_user({"id": "7", "email": "ada@example.com", "username": "ada"})
        sentry_sdk.add_breadcrumb(category="ui.click", message="clicked pay", level="info")
        message_event_id = sentry_sdk.capture_message("Invoice total took too long", level="warning")

    # flush() returns nothing in 1.9.10, so a lost event shows up only in the server's data.
    sentry_sdk.flush(timeout=FLUSH_TIMEOUT_SECONDS)

    if exception_event_id is None or message_event_id is None:
        print("The SDK dropped an event before sending it (no event id returned).", file=sys.stderr)
        return 1

    print(json.dumps({"exception": exception_event_id, "message": message_event_id}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
