"""The e-mail of a delivery (a notification's or a day's digest), written in its recipient's language."""

from __future__ import annotations

from email.headerregistry import Address
from email.utils import make_msgid, parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Delivery, Notification


def sender_address() -> str:
    """DEFAULT_FROM_EMAIL's address under the portal's name in the active language (the reader's)."""
    _configured_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if not address:
        return str(settings.DEFAULT_FROM_EMAIL)
    # Address quotes the name where it must; Django encodes it when the message is sent.
    return str(Address(display_name=_("Contact Country Cooperation Portal"), addr_spec=address))


def delivery_email(delivery: Delivery) -> EmailMultiAlternatives:
    """The delivery's message, rendered in its recipient's language, with its lasting Message-ID."""
    recipient = delivery.recipient
    with translation.override(recipient.preferred_language):
        if delivery.channel == Delivery.Channel.DIGEST:
            context = _digest_context(delivery)
            template = "notifications/email/digest"
        else:
            context = _notification_context(delivery)
            template = "notifications/email/notification"
        context.update(recipient=recipient, site_url=settings.SITE_URL.rstrip("/"))
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
        from_email = sender_address()
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=from_email, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    message.extra_headers["Content-Language"] = recipient.preferred_language
    # Every attempt of a delivery carries its Message-ID: a copy sent again after an interrupted attempt
    # is recognisable as the same message.
    message.extra_headers["Message-ID"] = delivery.message_id or _message_id(delivery.pk)
    return message


def _notification_context(delivery: Delivery) -> dict[str, Any]:
    event = delivery.event
    assert event is not None
    notification = delivery.notification or Notification.objects.select_related("on_behalf_of").get(
        event=event, recipient_id=delivery.recipient_id
    )
    summary = event.summary
    status = summary.get("status", "")
    return {
        "notification": notification,
        "reference": summary.get("reference", ""),
        "title": summary.get(f"title_{translation.get_language()}") or summary.get("title", ""),
        "reason": summary.get("reason", ""),
        "decision_reference": summary.get("decision_reference", ""),
        "meeting": summary.get("meeting", ""),
        "conditions": summary.get("conditions", ""),
        "status": status,
        "status_label": _status_label(summary.get("model", ""), status),
    }


def _status_label(model_label: str, status: str) -> str:
    """The status's display name in the active language, from the model's choices (no query)."""
    from django.apps import apps

    try:
        choices = dict(apps.get_model(model_label)._meta.get_field("status").flatchoices)
    except (LookupError, ValueError, FieldDoesNotExist):
        return status
    return str(choices.get(status, status))


def _digest_context(delivery: Delivery) -> dict[str, Any]:
    notifications = list(delivery.digest_notifications.select_related("on_behalf_of").order_by("created_at"))
    return {"notifications": notifications, "digest_date": delivery.digest_date}


def _message_id(delivery_id: int) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return make_msgid(idstring=f"delivery-{delivery_id}", domain=domain)
