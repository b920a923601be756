"""Email and SMS delivery, alert preferences and notices sent to customers.

``send_email`` and ``send_sms`` are re-exported here because every app sends messages.
"""

from .email import absolute_url, send_email
from .sms import send_sms

__all__ = ["absolute_url", "send_email", "send_sms"]
