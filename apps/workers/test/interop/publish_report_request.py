"""Asks UserStream's reporter for a report recorded in report_logs (status `queued`) with pika.

    python3 publish_report_request.py AMQP_URL REPORT_ID KIND

KIND is `users` or `notifications`; the report is written with no filters.
"""
import sys
import uuid
from datetime import datetime, timezone

from publish_registration import publish


def main():
    amqp_url, report_id, kind = sys.argv[1:4]
    message = {
        "id": str(uuid.uuid4()),
        "type": "report.generate",
        "version": 1,
        "occurredAt": datetime.now(timezone.utc).isoformat(),
        # filters left out: they default to none.
        "payload": {"reportId": report_id, "request": {"kind": kind}, "requestedBy": "python-interop"},
    }
    publish(amqp_url, "report.generate", message)
    print(message["id"])


if __name__ == "__main__":
    main()
