"""The staff audit trail: who did what, allowed or refused, recorded by the service that changed state.

It sits below the domain apps (they import it) and imports none of them, so a service can write its
audit record in its own transaction, as Zulip's ``do_*`` actions write ``RealmAuditLog``.
"""
