"""Checks several tables share."""

from __future__ import annotations

import polars as pl

# ISO 8601 at the precision a text states: 2025, 2025-11, 2025-11-03, 2025-Q3, 2025-H1, and with no year
# --11 and --11-03.
_MONTH, _DAY = r"(?:0[1-9]|1[0-2])", r"(?:0[1-9]|[12]\d|3[01])"
ISO_DATE = rf"^(?:\d{{4}}(?:-{_MONTH}(?:-{_DAY})?|-Q[1-4]|-H[12])?|--{_MONTH}(?:-{_DAY})?)$"
ISO_PERIOD = r"^(?:P\d+(?:\.\d+)?[YMWDQ]|" + ISO_DATE[1:-1] + r")$"


def calendar_valid(col: pl.Expr) -> pl.Expr:
    """True where a YYYY-MM-DD value is a real calendar day (2025-02-30 is not); other forms pass."""
    full = col.str.len_chars() == 10
    as_date = col.str.to_date("%Y-%m-%d", strict=False)
    return col.is_null() | ~full | as_date.is_not_null()


def money_has_currency_expr() -> pl.Expr:
    """An amount of money must say which currency it is in."""
    return (pl.col("kind") != "money") | pl.col("currency").is_not_null()
