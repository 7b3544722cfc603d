"""How a committee agenda and a meeting's minutes are written: Markdown, tables, flat rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from credcli.cli import output


class DocFormat(StrEnum):
    md = "md"
    table = "table"
    json = "json"
    csv = "csv"


AGENDA_COLUMNS = [  # also the CSV's fields, in order: agenda_rows makes every key
    ("section", "Section"),
    ("file", "File"),
    ("npi", "NPI"),
    ("provider", "Provider"),
    ("cycle", "Cycle"),
    ("stage", "Stage"),
    ("received_on", "Received"),
    ("recred_due_on", "Recred due"),
    ("assignee", "Assignee"),
    ("reasons", "Reasons"),
    ("stale_by_meeting", "Stale by meeting"),
]
CLEAN_COLUMNS = [
    ("file", "File"),
    ("provider", "Provider"),
    ("npi", "NPI"),
    ("cycle", "Cycle"),
    ("received_on", "Received"),
    ("recred_due_on", "Recred due"),
]
REVIEW_COLUMNS = [
    ("file", "File"),
    ("provider", "Provider"),
    ("npi", "NPI"),
    ("cycle", "Cycle"),
    ("reasons", "Reasons"),
    ("stale", "Stale by meeting"),
]
MINUTES_COLUMNS = [
    ("file", "File"),
    ("provider", "Provider"),
    ("npi", "NPI"),
    ("cycle", "Cycle"),
    ("decision", "Decision"),
    ("note", "Note"),
    ("notice_due_on", "Notice due"),
    ("next_recred_due", "Next recred due"),
    ("recorded_by", "Recorded by"),
]


def agenda_rows(agenda: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One flat row per file (CSV, Excel): reasons joined with '; '."""
    rows = []
    for section in ("clean", "review"):
        for row in agenda[section]:
            flat = {"section": section, **row}
            flat["reasons"] = "; ".join(row["reasons"])
            flat["stale_by_meeting"] = ", ".join(row["stale_by_meeting"])
            rows.append(flat)
    return rows


def agenda_markdown(agenda: Mapping[str, Any]) -> str:
    clean, review = agenda["clean"], agenda["review"]
    lines = [
        f"# Credentialing committee agenda: {agenda['meeting_on']}",
        "",
        f"Prepared {agenda['as_of']}: {_count(len(clean), 'clean file')}, "
        f"{_count(len(review), 'file')} for committee review.",
        "",
        "## Clean files",
        "",
        "Every element verified and current on the meeting date, no adverse finding.",
        "",
    ]
    if clean:
        lines += _md_table(clean, CLEAN_COLUMNS)
    else:
        lines.append("None.")
    lines += ["", "## Files for committee review", ""]
    if not review:
        lines.append("None.")
    for row in review:
        lines += [
            f"### File {row['file']}: {_md(row['provider'])} (NPI {row['npi']}), {row['cycle']}",
            "",
        ]
        lines += [f"- {_md(reason)}" for reason in row["reasons"]]
        if row["stale_by_meeting"]:
            lines.append(
                f"- flag: current today, stale by the meeting date: "
                f"{', '.join(row['stale_by_meeting'])} (re-verify before the meeting)"
            )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def minutes_markdown(minutes: Mapping[str, Any]) -> str:
    counts = minutes["counts"]
    lines = [f"# Credentialing committee minutes: {minutes['meeting_on']}", ""]
    if minutes["chair"]:
        lines += [f"Chair: {_md(minutes['chair'])}", ""]
    lines += [
        "Decisions: " + ", ".join(f"{n} {name}" for name, n in counts.items()) + ".",
        "",
    ]
    lines += _md_table(minutes["decisions"], MINUTES_COLUMNS)
    return "\n".join(lines) + "\n"


def print_agenda_tables(agenda: Mapping[str, Any]) -> None:
    day = agenda["meeting_on"]
    if agenda["clean"]:
        output.print_table(agenda["clean"], CLEAN_COLUMNS, title=f"Clean files for {day}")
    review = [
        {**r, "reasons": "\n".join(r["reasons"]), "stale": ", ".join(r["stale_by_meeting"])}
        for r in agenda["review"]
    ]
    if review:
        title = f"Files for committee review on {day}"
        output.print_table(review, REVIEW_COLUMNS, title=title)


def _md_table(rows: Sequence[Mapping[str, Any]], columns: output.Columns) -> list[str]:
    lines = [
        "| " + " | ".join(header for _, header in columns) + " |",
        "|" + "---|" * len(columns),
    ]
    for row in rows:
        cells = [_md(output.cell_text(row.get(key))) for key, _ in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
