"""A model trained through the page, for the tests that need one: the support tickets' topics."""

import io

from tests.conftest import csrf_token


def labeled_tickets(examples: list[tuple[str, str]]) -> str:
    """A training CSV (`ticket`, `topic`) holding each (text, topic) 12 times, numbered."""
    rows = (f'"{text} #{n}",{topic}\n' for n in range(12) for text, topic in examples)
    return "ticket,topic\n" + "".join(rows)


SUPPORT_TICKETS = labeled_tickets(
    [
        ("My invoice shows the wrong amount", "billing"),
        ("I was charged twice this month", "billing"),
        ("The app crashes when I open settings", "bug"),
        ("Error 500 after pressing save", "bug"),
        ("How do I export my data?", "question"),
        ("Where can I change my email address?", "question"),
    ]
)


def train(
    auth, content: str | bytes = SUPPORT_TICKETS, filename: str = "tickets.csv", **fields: str
):
    data = content.encode() if isinstance(content, str) else content
    form = {
        "name": "Tickets",
        "text_column": "ticket",
        "label_column": "topic",
        **fields,
        "csrf_token": csrf_token(auth.client, "/models/new"),
        "file": (io.BytesIO(data), filename),
    }
    return auth.client.post("/models/new", data=form, content_type="multipart/form-data")
