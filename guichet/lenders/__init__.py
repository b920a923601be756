"""The lender profile: who this deployment serves and its security policy (data/lenders/<code>.toml)."""
