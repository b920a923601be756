"""The lender's business day: ordered steps, each split into chunks that workers claim (issue 14)."""
