"""People and their accounts: identity, login, passwords, one-time codes, sessions, lockout, login risk."""
