"""Customers (the people who hold contracts) and user accounts (customers and staff who sign in)."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("An email is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", User.Role.SUPERVISOR)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Whoever signs in: a customer (linked to a Customer) or a staff member with a role."""

    class Role(models.TextChoices):
        CUSTOMER = "customer", _("Client")
        ADVISOR = "advisor", _("Conseiller")
        SUPERVISOR = "supervisor", _("Superviseur")
        COMPLIANCE = "compliance", _("Conformité")

    email = models.EmailField(_("email"), unique=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CUSTOMER)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    is_suspended = models.BooleanField(
        default=False, help_text="Suspended after a suspicious sign-in until the owner recovers access."
    )
    language = models.CharField(max_length=8, default="fr")
    password_changed_at = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)
    failed_logins = models.PositiveSmallIntegerField(
        default=0, help_text="Consecutive failures since the last success."
    )
    locked_until = models.DateTimeField(null=True, blank=True)
    session_generation = models.PositiveIntegerField(
        default=0, help_text="Bumped by 'log out everywhere': every session signed with an older value ends."
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self) -> str:
        return self.email

    @property
    def is_customer(self) -> bool:
        return self.role == self.Role.CUSTOMER

    def get_session_auth_hash(self) -> str:
        # Django ends any session whose stored hash differs: salting with the generation
        # turns "log out everywhere" into a single integer bump.
        base = super().get_session_auth_hash()
        return f"{base}:{self.session_generation}" if self.session_generation else base


class Customer(models.Model):
    """A person who holds or applies for credit; may exist before any account is activated."""

    class FamilySituation(models.TextChoices):
        SINGLE = "single", _("Célibataire")
        MARRIED = "married", _("Marié(e)")
        PACS = "pacs", _("Pacsé(e)")
        COHABITING = "cohabiting", _("En concubinage")
        DIVORCED = "divorced", _("Divorcé(e)")
        WIDOWED = "widowed", _("Veuf / veuve")

    class ProfessionalSituation(models.TextChoices):
        EMPLOYEE = "employee", _("Salarié(e)")
        CIVIL_SERVANT = "civil_servant", _("Fonctionnaire")
        SELF_EMPLOYED = "self_employed", _("Indépendant(e)")
        RETIRED = "retired", _("Retraité(e)")
        STUDENT = "student", _("Étudiant(e)")
        UNEMPLOYED = "unemployed", _("Sans emploi")
        OTHER = "other", _("Autre")

    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="customer"
    )
    reference = models.CharField(_("numéro client"), max_length=20, unique=True)
    title = models.CharField(max_length=8, blank=True)
    first_name = models.CharField(_("prénom"), max_length=80)
    last_name = models.CharField(_("nom"), max_length=80)
    birth_date = models.DateField(_("date de naissance"))
    email = models.EmailField(_("email"))
    phone = models.CharField(
        _("téléphone mobile"), max_length=20, blank=True, help_text="E.164, e.g. +33612345678"
    )
    address_line1 = models.CharField(_("adresse"), max_length=120, blank=True)
    address_line2 = models.CharField(max_length=120, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("ville"), max_length=80, blank=True)
    country = models.CharField(_("pays"), max_length=2, default="FR")
    family_situation = models.CharField(max_length=16, choices=FamilySituation.choices, blank=True)
    professional_situation = models.CharField(
        max_length=16, choices=ProfessionalSituation.choices, blank=True
    )
    language = models.CharField(max_length=8, default="fr")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["last_name", "first_name"]), models.Index(fields=["email"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


# Security records (passwords, codes, links, sign-in attempts, audit trail) live in security_models.py
# so this module stays readable; importing them here registers them with the app.
from guichet.customers.security_models import (  # noqa: E402
    AccessLink,
    KnownDevice,
    LoginAttempt,
    OneTimeCode,
    PasswordHistory,
    SecurityEvent,
)

__all__ = [
    "AccessLink",
    "Customer",
    "KnownDevice",
    "LoginAttempt",
    "OneTimeCode",
    "PasswordHistory",
    "SecurityEvent",
    "User",
]
