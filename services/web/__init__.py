"""Browser pages: sign-in, sessions and the server-rendered pages built on them (ADR 11)."""
