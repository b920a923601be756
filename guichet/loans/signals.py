"""Events other apps may react to without the loans app knowing them (notifications listens).

``schedule_replaced`` is sent once the transaction that replaced a contract's schedule has
committed, with ``contract``, ``version`` (the new ``ScheduleVersion``) and ``reason``.
"""

from django.dispatch import Signal

schedule_replaced = Signal()
