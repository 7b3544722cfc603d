"""Commands: parse, call one service, render. No SQL and no business rules here."""
