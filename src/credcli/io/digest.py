"""The expiry digest as an email (plain text, HTML table, workbook) and provider notices.

A provider notice is written from a ``string.Template``: the one shipped in
``credcli/templates/provider_notice.txt``, replaced by ``provider_notice.txt`` in the user
config folder, or by a file given on the command line. Its first line may be
``Subject: ...``; placeholders: $name $first_name $last_name $npi $as_of $count $items.
"""

from __future__ import annotations

import datetime as dt
import html
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

from credcli.domain import expiry
from credcli.errors import InputError
from credcli.io import config, xlsx

TEMPLATE_NAME = "provider_notice.txt"
PLACEHOLDERS = ("name", "first_name", "last_name", "npi", "as_of", "count", "items")
XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")

Row = Mapping[str, Any]


def _cell(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def subject(rows: Sequence[Row], as_of: dt.date) -> str:
    expired = sum(1 for row in rows if row["band"] == expiry.EXPIRED)
    return (
        f"credcli expire-check {as_of.isoformat()}: {len(rows)} item(s), "
        f"{expired} expired or past due"
    )


def text_body(rows: Sequence[Row], as_of: dt.date, within: int) -> str:
    lines = [
        f"Expiry check as of {as_of.isoformat()}, looking {within} days ahead: "
        f"{len(rows)} item(s).",
    ]
    for band, members in _by_band(rows):
        lines += ["", f"{expiry.BAND_TITLES[band]} ({len(members)})"]
        for row in members:
            lines.append(
                f"  {_cell(row['due'])}  {expiry.days_text(row['days_left']):>13}  "
                f"{row['npi']}  {row['provider']}: {row['item']}"
            )
    lines += ["", "The attached workbook holds the same list."]
    return "\n".join(lines) + "\n"


def html_body(rows: Sequence[Row], as_of: dt.date, within: int) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(title)}</th>" for _, title in expiry.COLUMNS)
    parts = [
        "<html><body>",
        f"<p>Expiry check as of {as_of.isoformat()}, looking {within} days ahead: "
        f"{len(rows)} item(s).</p>",
    ]
    for band, members in _by_band(rows):
        parts.append(f"<h3>{esc(expiry.BAND_TITLES[band])} ({len(members)})</h3>")
        parts.append(f'<table border="1" cellpadding="4" cellspacing="0"><tr>{head}</tr>')
        for row in members:
            cells = "".join(f"<td>{esc(_cell(row[key]))}</td>" for key, _ in expiry.COLUMNS)
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def workbook_bytes(rows: Sequence[Row], sheet: str = "Expiry check") -> bytes:
    """The rows as an .xlsx file's bytes (written privately to a temporary folder first)."""
    headers = [title for _, title in expiry.COLUMNS]
    data = [[_spreadsheet_safe(row[key]) for key, _ in expiry.COLUMNS] for row in rows]
    with tempfile.TemporaryDirectory(prefix="credcli-") as folder:
        path = Path(folder) / "expire-check.xlsx"
        xlsx.write_workbook(path, {sheet: (headers, data)})
        return path.read_bytes()


def _spreadsheet_safe(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)  # a real date cell, not text
        except ValueError:
            return value
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


def _by_band(rows: Sequence[Row]) -> list[tuple[str, list[Row]]]:
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row["band"], []).append(row)
    return [(band, groups[band]) for band in expiry.BANDS if band in groups]


@dataclass(frozen=True)
class NoticeTemplate:
    subject: str
    body: Template
    source: str

    def render(self, values: Mapping[str, str]) -> tuple[str, str]:
        """(subject, body); the subject may use the same placeholders."""
        return Template(self.subject).substitute(values), self.body.substitute(values)


def notice_template(path: Path | None = None) -> NoticeTemplate:
    """The template to use: ``path``, else the user's, else the one shipped with credcli."""
    if path is None:
        user = config.config_dir() / TEMPLATE_NAME
        path = user if user.is_file() else None
    if path is None:
        text = resources.files("credcli").joinpath("templates", TEMPLATE_NAME).read_text("utf-8")
        source = "the built-in notice template"
    else:
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise InputError(f"notice template {path}: cannot read it ({reason})") from None
        source = f"notice template {path}"
    _check(text, source)
    first, _, rest = text.partition("\n")
    if first.lower().startswith("subject:"):
        title, body = first.split(":", 1)[1].strip(), rest.lstrip("\n")
    else:
        title, body = "Credentialing items that need your attention", text
    if "$items" not in body and "${items}" not in body:
        # A notice that does not say what is due tells the provider nothing (an empty file
        # would send blank mail to every provider).
        raise InputError(
            f"{source}: the body never lists the items ($items); a notice must say what is due"
        )
    return NoticeTemplate(title, Template(body), source)


def _check(text: str, source: str) -> None:
    """Refuse unknown placeholders and stray dollar signs anywhere in the file, the subject
    line included; the line and column count from the top of the file."""
    try:
        Template(text).substitute(dict.fromkeys(PLACEHOLDERS, "x"))
    except KeyError as exc:
        known = " ".join(f"${name}" for name in PLACEHOLDERS)
        raise InputError(f"{source}: unknown placeholder ${exc.args[0]} (known: {known})") from None
    except ValueError as exc:
        raise InputError(f"{source}: {exc} (write $$ for a dollar sign)") from None


def notice_items(rows: Sequence[Row]) -> str:
    return "\n".join(
        f"  - {row['item']}: {_cell(row['due'])} ({expiry.days_text(row['days_left'])})"
        for row in rows
    )
