"""The catalogue's exceptions: a refused tariff file, a product or tariff not found, a request out of range.

Each message is French and names what to fix (the line of the file, the product, the bounds).
"""

from __future__ import annotations

from guichet.errors import GuichetError


class CatalogueError(GuichetError):
    """Base class of the catalogue's errors."""

    code = "catalogue_refused"


class TariffFileError(CatalogueError, ValueError):
    """A tariff file that cannot be loaded; ``line`` is the line of the file when it is known."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        self.detail = message
        super().__init__(f"Ligne {line} : {message}" if line else message)


class NoTariffInForce(CatalogueError, LookupError):
    """No tariff was in force on the date asked (none loaded, or all start later)."""


class UnknownProduct(CatalogueError, LookupError):
    """The product code is not in the tariff in force on the date asked."""


class OutOfRange(CatalogueError, ValueError):
    """The term or the amount asked is outside what the product offers."""


class CurrencyNotServed(CatalogueError, ValueError):
    """An amount in a currency the catalogue cannot convert the tariff into."""
