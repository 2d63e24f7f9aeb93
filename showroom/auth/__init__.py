"""Staff sign-in, fast user switch and role checks."""
