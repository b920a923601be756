"""State changes of the payments area (the only place they happen); see each module's docstring."""

from .debit_date import change_debit_date, preview_debit_date_change, request_debit_date_code
from .debits import open_day_batch, post_debit_part, run_direct_debits, write_day_file
from .early import (
    EarlyQuote,
    confirm_early_repayment,
    create_instruction,
    post_received_payment,
    quote_early_repayment,
    request_early_repayment_code,
)
from .mandates import change_bank_details, create_mandate, request_bank_details_change
from .notices import send_pre_notifications
from .return_import import import_returns
from .transfers import cancel_transfer, post_received_transfer, schedule_transfer

__all__ = [
    "EarlyQuote",
    "cancel_transfer",
    "change_bank_details",
    "change_debit_date",
    "confirm_early_repayment",
    "create_instruction",
    "create_mandate",
    "import_returns",
    "open_day_batch",
    "post_debit_part",
    "post_received_payment",
    "post_received_transfer",
    "preview_debit_date_change",
    "quote_early_repayment",
    "request_bank_details_change",
    "request_debit_date_code",
    "request_early_repayment_code",
    "run_direct_debits",
    "schedule_transfer",
    "send_pre_notifications",
    "write_day_file",
]
