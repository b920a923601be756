"""Errors of the signing services; ``str(error)`` is a message the customer or the advisor can act on."""

from __future__ import annotations

from django.utils.translation import gettext as _

from guichet.errors import GuichetError


class SigningError(GuichetError):
    """Base class of every refusal of the signing services."""

    code = "signing_refused"


class NotAllowed(SigningError):
    """The person acting has no right to do this (wrong role, not their file)."""


class InvalidApplication(SigningError):
    """The application's data or state does not allow the operation."""


class NoMobilePhone(SigningError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Le client n'a pas de numéro de mobile enregistré : mettez à jour ses coordonnées avant de "
                "demander une signature électronique."
            )
        )


class SignatureNotPending(SigningError):
    def __init__(self) -> None:
        super().__init__(_("Ce document n'est plus à signer (déjà signé, remplacé ou annulé)."))


class JourneyIncomplete(SigningError):
    """A step of the journey (display, reading to the end, consent) is missing on the server's side."""


class DocumentChanged(SigningError):
    def __init__(self) -> None:
        super().__init__(
            _("Le document a changé depuis son affichage : il ne peut pas être signé. Rechargez la page.")
        )


class WithdrawalClosed(SigningError):
    def __init__(self, deadline: object) -> None:
        super().__init__(
            _("Le délai de rétractation a pris fin le %(deadline)s : la rétractation n'est plus possible.")
            % {"deadline": deadline}
        )


class FundsNotReleasable(SigningError):
    def __init__(self, release_on: object) -> None:
        super().__init__(
            _(
                "Les fonds ne peuvent pas être versés avant le %(on)s : aucun paiement n'est permis pendant "
                "sept jours après l'acceptation du contrat (article L312-25 du Code de la consommation)."
            )
            % {"on": release_on}
        )
