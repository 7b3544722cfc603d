"""``credcli verify load|loads|npi|screen``: the federal lists and what is checked against them."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from credcli.cli import console, output
from credcli.cli.group import sub_app
from credcli.cli.options import AsOfOption, DbOption, Format, FormatOption, XlsxOption
from credcli.cli.verify import HIT_COLUMNS, app
from credcli.domain import dates
from credcli.errors import FieldError

if TYPE_CHECKING:
    from credcli.services.lists import LoadResult

load_app = sub_app("Load the OIG LEIE, the SAM.gov exclusions extract or the NPPES NPI file.")
app.add_typer(load_app, name="load")


class LeieKind(StrEnum):
    full = "full"
    exclusions = "exclusions"
    reinstatements = "reinstatements"


class ScreenList(StrEnum):
    leie = "leie"
    sam = "sam"
    all = "all"


class ListName(StrEnum):
    leie = "leie"
    sam = "sam"
    nppes = "nppes"


FileArg = Annotated[
    Path, typer.Argument(help="The downloaded CSV file.", dir_okay=False, show_default=False)
]
FileDateOption = Annotated[
    str | None,
    typer.Option(
        "--file-date",
        help="Publication date of the file (default: from its name, else its modified date).",
        show_default=False,
    ),
]
AllowShrinkOption = Annotated[
    bool,
    typer.Option(
        "--allow-shrink",
        help="Load a full file even when it holds under half the rows of the stored list.",
    ),
]
LOAD_COLUMNS = [
    ("id", "Load"),
    ("list", "List"),
    ("kind", "Kind"),
    ("file", "File"),
    ("file_date", "File date"),
    ("rows", "Rows"),
    ("added", "Added"),
    ("removed", "Removed"),
    ("list_size", "List size"),
    ("loaded_at", "Loaded"),
    ("loaded_by", "By"),
    ("current", "Current"),
]
NPI_COLUMNS = [
    ("npi", "NPI"),
    ("provider", "Provider"),
    ("check_digit", "Check digit"),
    ("nppes", "NPPES"),
    ("npi_status", "Status"),
    ("nppes_name", "NPPES name"),
    ("name", "Name"),
    ("licenses", "Licenses"),
    ("taxonomy", "Taxonomy"),
    ("result", "Result"),
]

# JSON and CSV carry the findings too (before the result, as the rows hold them)
NPI_FIELDS = [*NPI_COLUMNS[:-1], ("findings", "findings"), NPI_COLUMNS[-1]]


def as_of_date(value: str | None) -> dt.date:
    if value is None:
        return dates.today()
    try:
        return dates.parse_date(value)
    except dates.DateProblem as exc:
        raise FieldError("as-of", value, str(exc)) from None


def _file_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dates.parse_date(value)
    except dates.DateProblem as exc:
        raise FieldError("file-date", value, str(exc)) from None


def _report(result: LoadResult) -> None:
    console.info(
        f"loaded {result.list_name.upper()} {result.kind} file {result.file_name} "
        f"(dated {result.file_date}): {result.row_count} rows read, {result.rows_added} added, "
        f"{result.rows_removed} removed; the list now holds {result.list_size} rows "
        f"(load #{result.load_id})"
    )
    for note in result.notes:
        console.warn(note)


@load_app.command("leie")
def load_leie(
    file: FileArg,
    kind: Annotated[
        LeieKind | None,
        typer.Option(
            "--kind",
            help="full (UPDATED.csv), exclusions (YYMMEXCL.csv) or reinstatements "
            "(YYMMREIN.csv); default from the file name.",
        ),
    ] = None,
    file_date: FileDateOption = None,
    allow_shrink: AllowShrinkOption = False,
    db: DbOption = None,
) -> None:
    """Load the OIG LEIE: UPDATED.csv, or a monthly YYMMEXCL.csv / YYMMREIN.csv supplement.

    UPDATED.csv replaces the list, YYMMEXCL.csv adds its rows and YYMMREIN.csv removes
    the reinstated. All or nothing: a wrong or damaged file changes nothing, and a full
    file under half the size of the stored list (a cut-off download) is refused.

    Example: credcli verify load leie ~/Downloads/UPDATED.csv
    """
    from credcli.services import lists, registry

    with registry.session(db, write=True) as session:
        result = lists.load_leie(
            session,
            file,
            kind=kind.value if kind else None,
            file_date=_file_date(file_date),
            allow_shrink=allow_shrink,
        )
    _report(result)


@load_app.command("sam")
def load_sam(
    file: FileArg,
    file_date: FileDateOption = None,
    allow_shrink: AllowShrinkOption = False,
    db: DbOption = None,
) -> None:
    """Load the SAM.gov exclusions public extract (V2 CSV), replacing the stored copy.

    All or nothing; an extract under half the size of the stored list (a cut-off
    download) is refused.

    Example: credcli verify load sam SAM_Exclusions_Public_Extract_V2_25327.CSV
    """
    from credcli.services import lists, registry

    with registry.session(db, write=True) as session:
        result = lists.load_sam(
            session, file, file_date=_file_date(file_date), allow_shrink=allow_shrink
        )
    _report(result)


@load_app.command("nppes")
def load_nppes(
    file: FileArg,
    every_row: Annotated[
        bool, typer.Option("--all", help="Keep every NPI in the file, not just the registry's.")
    ] = False,
    digest: Annotated[
        bool,
        typer.Option(
            "--sha256",
            help="Also record the file's SHA-256 (reads the whole multi-GB file once more).",
        ),
    ] = False,
    file_date: FileDateOption = None,
    allow_shrink: Annotated[
        bool,
        typer.Option(
            "--allow-shrink",
            help="Load the file even when it holds under half the rows of the NPPES file "
            "loaded before.",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Stream the monthly NPPES npidata file, keeping the registry's NPIs (or --all).

    The stored NPPES copy is replaced in one transaction. All or nothing: a damaged file
    (a row cut short, a date that is not MM/DD/YYYY) changes nothing, and a file under
    half the rows of the one loaded before (a cut-off download, a weekly update file) is
    refused.

    Example: credcli verify load nppes npidata_pfile_20050523-20251109.csv
    """
    from credcli.services import lists, registry

    with registry.session(db, write=True) as session:
        result = lists.load_nppes(
            session,
            file,
            every_row=every_row,
            file_date=_file_date(file_date),
            digest=digest,
            allow_shrink=allow_shrink,
        )
    _report(result)


@app.command("loads")
def loads(
    list_name: Annotated[ListName | None, typer.Option("--list", help="Only this list.")] = None,
    fmt: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """List the files loaded into each list, newest first; 'current' marks the copy in use.

    Example: credcli verify loads --list leie
    """
    from credcli.services import lists, registry

    with registry.session(db) as session:
        rows = lists.history(session, list_name.value if list_name else None)
    output.render(rows, fmt, LOAD_COLUMNS, empty="no lists loaded yet")


@app.command("npi")
def npi(
    npis: Annotated[
        list[str] | None,
        typer.Argument(metavar="[NPI...]", help="NPIs to check (default: every active provider)."),
    ] = None,
    online: Annotated[
        bool,
        typer.Option("--online", help="Ask the NPI Registry API instead of the loaded NPPES."),
    ] = False,
    fmt: FormatOption = Format.table,
    xlsx: XlsxOption = None,
    db: DbOption = None,
) -> None:
    """Check NPIs: check digit, NPPES status, and agreement on name, licenses, taxonomy.

    Against the loaded NPPES copy, or the NPI Registry API with --online. Exit code 1 when
    any NPI needs review (invalid, not found, deactivated, or NPPES disagrees).

    Example: credcli verify npi 1234567893 --online
    """
    from credcli.services import npi_check, registry

    with registry.session(db) as session:
        rows = npi_check.check(session, list(npis or []), online=online)
    columns = NPI_COLUMNS if fmt is Format.table else NPI_FIELDS
    output.render(rows, fmt, columns, empty="no active providers to check")
    if xlsx is not None:
        sheet = [dict(row, findings="; ".join(row["findings"])) for row in rows]
        output.write_xlsx(xlsx, {"NPI check": (sheet, [*NPI_COLUMNS, ("findings", "Findings")])})
        console.info(f"wrote {len(rows)} NPIs to {xlsx}")
    if fmt is Format.table:
        for row in rows:
            for finding in row["findings"]:
                console.warn(f"NPI {row['npi']}: {finding}")
    review = sum(1 for row in rows if row["findings"])
    if review:
        console.info(f"{review} of {len(rows)} NPIs need review")
        raise typer.Exit(1)


def _elsewhere(counts: dict[str, int]) -> str:
    """' (2 on LEIE, not screened in this run)': open hits the run's lists do not explain."""
    shown = [f"{count} on {name.upper()}" for name, count in counts.items() if count]
    return f" ({', '.join(shown)}, not screened in this run)" if shown else ""


@app.command("screen")
def screen(
    which: Annotated[ScreenList, typer.Option("--list", help="leie, sam or all.")] = ScreenList.all,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """Screen active providers and applicants against the loaded LEIE and SAM lists.

    Every run is recorded with the list versions used and its counts. Exit code 1 while
    any hit is open on any list, also one this run did not screen, so a monthly cron job
    can gate on it.

    Matches: strong (NPI equal, or name and date of birth equal); possible (name equal or
    very close with a date of birth missing); same name with a different date of birth is
    recorded as ruled out. Cleared and confirmed hits are not raised again unless the list
    record changes; an open hit whose list record changes is resolved, superseded by the
    new hit on the changed record.

    Example: credcli verify screen --list all --format json > screening.json
    """
    from credcli.services import registry, screening

    day = as_of_date(as_of)
    with registry.session(db, write=True) as session:
        result = screening.screen(session, which=which.value, as_of=day)
    for note in result.notes:
        console.warn(note)
    used = "; ".join(
        f"{name.upper()} " + ", ".join(f"{v['file']} ({v['file_date']})" for v in loads)
        for name, loads in result.versions.items()
    )
    console.info(
        f"screening run #{result.run_id} as of {day}: {result.screened} providers against "
        f"{used}: {result.strong} strong, {result.possible} possible, {result.ruled_out} "
        f"ruled out; {result.new_hits} new hits; {result.open_hits} open hits on all lists"
        + _elsewhere(result.open_elsewhere)
    )
    if fmt is Format.json:
        shown = [{k: h[k] for k in ("hit", "npi", "list", "tier", "record")} for h in result.hits]
        print(output.to_json(shown))
    else:
        shown_table = ("hit", "npi", "provider", "list", "tier", "reason", "listed_name")
        columns = [c for c in HIT_COLUMNS if c[0] in shown_table]
        rows = result.hits
        if fmt is Format.csv:  # every field, the list record as JSON text
            keys = ("hit", "npi", "list", "tier", "reason", "record")
            columns = [(k, k) for k in keys]
            rows = [{k: h[k] for k in keys} for h in result.hits]
        output.render(rows, fmt, columns, empty="no open hits raised by this run")
    if result.open_hits:
        console.info("open hits: see 'credcli verify hits'; dispose with verify clear/confirm")
        raise typer.Exit(1)
