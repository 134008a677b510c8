"""Staff sign-in: a second factor, lockout against guessing, short sessions, a login record."""
