"""Staff sign-in, fast user switch, role checks, PINs and keeping staff."""
