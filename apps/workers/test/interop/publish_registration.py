"""Publishes one registration to UserStream's `user.registration` queue with pika.

    python3 publish_registration.py AMQP_URL FIRST_NAME LAST_NAME EMAIL

Prints the message id, which is also the registration id: ask its progress at
GET /api/v1/registrations/{id}.
"""
import json
import sys
import uuid
from datetime import datetime, timezone

import pika


def publish(amqp_url, queue, message):
    """Publishes one persistent JSON message and waits for the broker's confirm."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        # Raises pika.exceptions.NackError or UnroutableError (no such queue) unless the broker confirms.
        channel.confirm_delivery()
        channel.basic_publish(
            exchange="",
            routing_key=queue,
            body=json.dumps(message).encode("utf-8"),
            properties=pika.BasicProperties(
                message_id=message["id"],
                type=message["type"],
                content_type="application/json",
                delivery_mode=2,  # persistent
            ),
            mandatory=True,
        )
    finally:
        connection.close()


def main():
    amqp_url, first_name, last_name, email = sys.argv[1:5]
    message = {
        "id": str(uuid.uuid4()),
        "type": "user.registration",
        "version": 1,
        # RFC 3339 with any offset; isoformat() writes +00:00.
        "occurredAt": datetime.now(timezone.utc).isoformat(),
        # registrationId left out: it defaults to the message id.
        "payload": {"firstName": first_name, "lastName": last_name, "email": email},
    }
    publish(amqp_url, "user.registration", message)
    print(message["id"])


if __name__ == "__main__":
    main()
