"""Errors raised by the customers services; each message is one a customer can read and act on."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.errors import GuichetError
from guichet.lenders.profile import get_profile


class CustomerSecurityError(GuichetError):
    """Base class: ``str(error)`` is the message to show."""

    code = "security_refused"


class PasswordPolicyError(CustomerSecurityError):
    """The password breaks one or more rules of the lender's policy; ``unmet`` lists each rule."""

    code = "password_refused"

    def __init__(self, unmet: list[str]) -> None:
        self.unmet = unmet
        super().__init__(
            _("Le mot de passe ne respecte pas les règles : %(rules)s.") % {"rules": ", ".join(unmet)}
        )


class PasswordReuseError(PasswordPolicyError):
    code = "password_reused"

    def __init__(self, history: int) -> None:
        rule = _("différent de vos %(n)d derniers mots de passe") % {"n": history}
        super().__init__([rule])


class CodeError(CustomerSecurityError):
    """A one-time code was refused."""

    code = "code_refused"


class CodeInvalid(CodeError):
    def __init__(self, remaining: int | None = None) -> None:
        self.remaining = remaining
        msg = _("Code incorrect.")
        if remaining is not None:
            left = ngettext("Il vous reste %(n)d essai.", "Il vous reste %(n)d essais.", remaining)
            msg += " " + left % {"n": remaining}
        super().__init__(msg)


class CodeExpired(CodeError):
    def __init__(self) -> None:
        super().__init__(_("Ce code a expiré. Demandez un nouveau code."))


class CodeExhausted(CodeError):
    def __init__(self) -> None:
        super().__init__(_("Trop d'essais erronés : ce code n'est plus valable. Demandez un nouveau code."))


class CodeUsed(CodeError):
    def __init__(self) -> None:
        super().__init__(_("Ce code a déjà été utilisé. Demandez un nouveau code."))


class CodeCooldown(CodeError):
    """A new code asked for too soon: a wait, not a wrong code (pages show it as information)."""

    code = "code_cooldown"

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(
            _("Un code vient d'être envoyé. Vous pourrez en demander un nouveau dans %(s)d secondes.")
            % {"s": seconds}
        )


class NoPhoneNumber(CodeError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Aucun numéro de téléphone mobile n'est enregistré : "
                "contactez votre conseiller pour le mettre à jour."
            )
        )


class LinkError(CustomerSecurityError):
    """An activation or reset link was refused."""

    code = "link_refused"


class LinkInvalid(LinkError):
    def __init__(self) -> None:
        super().__init__(_("Ce lien n'est pas valide."))


class LinkExpired(LinkError):
    def __init__(self) -> None:
        super().__init__(_("Ce lien a expiré. Faites une nouvelle demande."))


class LinkUsed(LinkError):
    def __init__(self) -> None:
        super().__init__(_("Ce lien a déjà été utilisé. Faites une nouvelle demande."))


class LoginRefused(CustomerSecurityError):
    """Sign-in refused; the message never tells whether the account exists or is locked."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("Email ou mot de passe incorrect."))


class RateLimited(LoginRefused):
    def __init__(self) -> None:
        super().__init__(_("Trop de tentatives depuis votre connexion. Réessayez dans quelques minutes."))


class AccountSuspended(LoginRefused):
    """Raised only after the right password: whoever reads it already holds the password, so saying
    "suspended, and here is how to lift it" tells an intruder nothing new and spares the owner a
    fruitless "Email ou mot de passe incorrect" (issue 11, item 3)."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Votre espace client est suspendu par précaution après une connexion inhabituelle. "
                "Pour le rétablir, cliquez sur « Mot de passe oublié ? » : vous recevrez un lien par "
                "email puis un code par SMS. Besoin d'aide ? Appelez le %(phone)s."
            )
            % {"phone": get_profile().support.phone}
        )
