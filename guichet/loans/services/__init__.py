"""Every state change of contracts and the ledger: the only module views, API and batches call to write."""

from .bulk import EntrySpec, insert_rows, post_entries
from .contracts import (
    close_contract,
    new_contract_number,
    open_contract,
    post_drawdown,
    replace_schedule,
    store_schedule,
    withdraw_contract,
)
from .ledger import contract_account, lender_account, post_entry, reverse_entry
from .products import draw_revolving, open_lease, open_revolving, post_revolving_statement
from .servicing import (
    ServicingReport,
    apply_suspense,
    charge_fee,
    make_due_through,
    post_installment_due,
    post_payment,
    run_daily_servicing,
)

__all__ = [
    "EntrySpec",
    "ServicingReport",
    "apply_suspense",
    "charge_fee",
    "close_contract",
    "contract_account",
    "draw_revolving",
    "insert_rows",
    "lender_account",
    "make_due_through",
    "new_contract_number",
    "open_contract",
    "open_lease",
    "open_revolving",
    "post_drawdown",
    "post_entries",
    "post_entry",
    "post_installment_due",
    "post_payment",
    "post_revolving_statement",
    "replace_schedule",
    "reverse_entry",
    "run_daily_servicing",
    "store_schedule",
    "withdraw_contract",
]
