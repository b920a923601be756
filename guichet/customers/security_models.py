"""Security records of an account: password history, one-time codes, signed links, sign-in attempts,
known devices and the audit trail of security events. Nothing secret is stored in clear.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PasswordHistory(models.Model):
    """One password hash a user has had; the last N refuse reuse (profile ``password_history``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class OneTimeCode(models.Model):
    """A code sent by SMS or email; only its HMAC is kept, bound to a purpose and an operation digest."""

    class Channel(models.TextChoices):
        SMS = "sms", "SMS"
        EMAIL = "email", _("email")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="codes"
    )
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.CASCADE, related_name="codes"
    )
    purpose = models.CharField(max_length=40)
    bound_to = models.CharField(max_length=64, help_text="SHA-256 of what the code authorises.")
    code_hash = models.CharField(max_length=64)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    sent_to = models.CharField(max_length=120, blank=True, help_text="Masked destination, for display.")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="Superseded by a newer code.")

    class Meta:
        indexes = [
            models.Index(fields=["user", "purpose", "created_at"]),
            models.Index(fields=["customer", "purpose", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} code ({self.channel}) {self.created_at:%Y-%m-%d %H:%M}"


class AccessLink(models.Model):
    """A single-use emailed link (activation, password reset); the token is kept as a SHA-256 digest."""

    class Kind(models.TextChoices):
        ACTIVATION = "activation", _("activation")
        RESET = "reset", _("réinitialisation")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} link {self.created_at:%Y-%m-%d %H:%M}"


class LoginAttempt(models.Model):
    """Each attempt at a rate-limited door (sign-in, registration, reset): per-IP limits across processes."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("connexion")
        REGISTER = "register", _("inscription")
        RESET = "reset", _("mot de passe oublié")
        RECOVERY = "recovery", _("email perdu")

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LOGIN)
    ip = models.GenericIPAddressField(null=True, blank=True)
    email_digest = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the email typed.")
    succeeded = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["ip", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} from {self.ip} {self.created_at:%Y-%m-%d %H:%M}"


class KnownDevice(models.Model):
    """A browser that has signed in to this account (identified by a signed, long-lived cookie)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="devices")
    device_digest = models.CharField(max_length=64)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "device_digest"], name="customers_device_unique")
        ]

    def __str__(self) -> str:
        return f"device of {self.user_id}"


class SecurityEvent(models.Model):
    """The audit trail the customer sees as "activité récente" and the back office reviews."""

    class Kind(models.TextChoices):
        LOGIN_OK = "login_ok", _("Connexion réussie")
        LOGIN_FAILED = "login_failed", _("Échec de connexion")
        LOCKOUT = "lockout", _("Compte bloqué temporairement")
        STEP_UP = "step_up", _("Vérification supplémentaire demandée")
        SUSPENDED = "suspended", _("Compte suspendu par précaution")
        UNSUSPENDED = "unsuspended", _("Accès rétabli")
        LOGOUT = "logout", _("Déconnexion")
        LOGOUT_ALL = "logout_all", _("Déconnexion de tous les appareils")
        PASSWORD_SET = "password_set", _("Mot de passe défini")
        PASSWORD_CHANGED = "password_changed", _("Mot de passe modifié")
        PASSWORD_RESET_REQUESTED = "reset_requested", _("Réinitialisation demandée")
        PASSWORD_RESET = "password_reset", _("Mot de passe réinitialisé")
        CODE_SENT = "code_sent", _("Code envoyé")
        CODE_FAILED = "code_failed", _("Code erroné")
        CODE_VERIFIED = "code_verified", _("Code vérifié")
        EMAIL_CHANGED = "email_changed", _("Email modifié")
        PHONE_CHANGED = "phone_changed", _("Téléphone modifié")
        ACCOUNT_ACTIVATED = "activated", _("Espace client activé")
        PROFILE_UPDATED = "profile_updated", _("Profil modifié")
        BANK_DETAILS_CHANGED = "bank_details_changed", _("Coordonnées bancaires modifiées")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="security_events",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    ip = models.GenericIPAddressField(null=True, blank=True)
    network = models.CharField(
        max_length=50, blank=True, help_text="/24 (IPv4) or /48 (IPv6) of the address."
    )
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
