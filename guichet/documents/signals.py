"""Events other apps may react to without the documents app knowing them (notifications listens).

``document_delivered`` is sent once a document that should be announced (``notify=True``) is
committed to a customer's inbox, with ``document``.
"""

from django.dispatch import Signal

document_delivered = Signal()
