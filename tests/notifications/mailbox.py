"""A mail backend for tests with a real worker: each message is appended to a JSON-lines file.

The test process reads the file to see what the worker sent. With NOTIF_TEST_BLOCK_FILE set and that
file present, sending blocks (after writing the process id to NOTIF_TEST_BLOCKED_FILE) until the
process is killed: a mail server that hangs in the middle of a send. With NOTIF_TEST_DIE_AFTER_FILE
set and that file present, the process removes the file and kills itself right after a message is
written: a worker lost after the mail server accepted a message, before the portal marked it sent.
With NOTIF_TEST_HANG_FILE set and that file present, sending waits (after writing the process id to
NOTIF_TEST_BLOCKED_FILE) until the test removes the file, then fails as a mail server that dropped the
connection does: the test chooses the moment the send's retry is queued.
"""

from __future__ import annotations

import json
import os
import signal
import smtplib
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        block = os.environ.get("NOTIF_TEST_BLOCK_FILE")
        if block and Path(block).exists():
            Path(os.environ["NOTIF_TEST_BLOCKED_FILE"]).write_text(str(os.getpid()))
            while True:
                time.sleep(0.1)
        hang = os.environ.get("NOTIF_TEST_HANG_FILE")
        if hang and Path(hang).exists():
            Path(os.environ["NOTIF_TEST_BLOCKED_FILE"]).write_text(str(os.getpid()))
            while Path(hang).exists():
                time.sleep(0.1)
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed (the test's mail server)")
        path = Path(os.environ["NOTIF_TEST_MAILBOX"])
        for message in email_messages:
            record: dict[str, Any] = {
                "to": list(message.to),
                "subject": message.subject,
                "body": message.body,
                "html": next((c for c, t in getattr(message, "alternatives", []) if t == "text/html"), ""),
                "language": message.extra_headers.get("Content-Language", ""),
                "message_id": message.extra_headers.get("Message-ID", ""),
                "pid": os.getpid(),
            }
            with path.open("a", encoding="utf-8") as mailbox:
                mailbox.write(json.dumps(record) + "\n")
            die = os.environ.get("NOTIF_TEST_DIE_AFTER_FILE")
            if die and Path(die).exists():
                Path(die).unlink()
                os.kill(os.getpid(), signal.SIGKILL)
        return len(email_messages)


def read_mailbox(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
