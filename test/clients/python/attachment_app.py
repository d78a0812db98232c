"""Send an exception with an attachment from the scope, then print its event id.

Written for Debian's python3-sentry-sdk 1.9.10, run with /usr/bin/python3. An event with an
attachment goes out as an envelope (errors alone use the store endpoint in this version).

Usage: /usr/bin/python3 attachment_app.py <dsn>   (or set SENTRY_DSN)
Prints {"exception": "<id>"} on stdout. The attachment bytes are attachment_bytes(4096).
"""

import json
import os
import sys

import sentry_sdk

FLUSH_TIMEOUT_SECONDS = 10


def attachment_bytes(length):
    # Starts with every byte value, so that any text handling would change the content.
    return bytes(index if index < 256 else (index * 31) % 251 for index in range(length))


def main():
    dsn = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SENTRY_DSN")
    if not dsn:
        print("Missing DSN: pass it as the first argument or set SENTRY_DSN.", file=sys.stderr)
        return 2

    sentry_sdk.init(dsn=dsn, release="picket-python-client@1.0.0", environment="live-test")

    with sentry_sdk.push_scope() as scope:
        scope.add_attachment(
            bytes=attachment_bytes(4096),
            filename="report.bin",
            content_type="application/octet-stream",
        )
        try:
            {}["missing"]
        except KeyError:
            event_id = sentry_sdk.capture_exception()

    sentry_sdk.flush(timeout=FLUSH_TIMEOUT_SECONDS)

    if event_id is None:
        print("The SDK dropped the event before sending it (no event id returned).", file=sys.stderr)
        return 1

    print(json.dumps({"exception": event_id}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
