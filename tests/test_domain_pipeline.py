import datetime as dt

import pytest

from credcli.domain import pipeline
from credcli.domain.pipeline import Flag, ItemDue
from credcli.domain.vocab import Decision, EnrollmentStatus, FileStage

D = dt.date
AS_OF = D(2026, 11, 23)
S = FileStage


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.intake, S.verification),
        (S.verification, S.committee_ready),
        (S.committee_ready, S.committee),
        (S.committee_ready, S.verification),
        (S.committee, S.verification),
    ],
)
def test_allowed_moves(current: FileStage, target: FileStage) -> None:
    assert pipeline.move_problem(current, target) is None


@pytest.mark.parametrize(
    ("current", "target", "problem"),
    [
        (
            S.intake,
            S.committee_ready,
            "a file in stage intake can move only to verification, not to committee-ready",
        ),
        (
            S.verification,
            S.intake,
            "a file in stage verification can move only to committee-ready, not to intake",
        ),
        (
            S.committee,
            S.committee_ready,
            "a file in stage committee can move only to verification, not to committee-ready",
        ),
        (
            S.committee_ready,
            S.intake,
            "a file in stage committee-ready can move only to "
            "committee, verification, not to intake",
        ),
        (S.verification, S.verification, "the file is already in stage verification"),
        (
            S.decided,
            S.verification,
            "the file is decided; a decided file does not change stage (open a new file)",
        ),
        (
            S.committee,
            S.decided,
            "a file is decided by recording the committee's decision "
            "('credcli committee record'), not by a stage move (stage is committee)",
        ),
    ],
)
def test_refused_moves_name_the_stage_and_what_is_allowed(
    current: FileStage, target: FileStage, problem: str
) -> None:
    assert pipeline.move_problem(current, target) == problem


@pytest.mark.parametrize(
    ("approved", "due"),
    [
        (D(2026, 12, 10), D(2029, 12, 10)),
        (D(2024, 2, 29), D(2027, 2, 28)),  # leap day: no 29 February in 2027
        (D(2025, 2, 28), D(2028, 2, 28)),  # not pushed to the leap day
        (D(2026, 1, 31), D(2029, 1, 31)),
        (D(2026, 8, 31), D(2029, 8, 31)),
    ],
)
def test_recredentialing_is_due_36_calendar_months_after_approval(approved, due) -> None:
    assert pipeline.recred_due(approved) == due


def test_notice_is_due_30_days_after_the_decision() -> None:
    assert pipeline.notice_due(D(2026, 12, 10)) == D(2027, 1, 9)
    assert pipeline.notice_due(D(2028, 2, 15)) == D(2028, 3, 16)


def test_late_recredentialing_window_is_30_days() -> None:
    due = D(2026, 11, 1)
    assert pipeline.recred_deadline_passed(due, D(2026, 12, 1)) is False
    assert pipeline.recred_deadline_passed(due, D(2026, 12, 2)) is True


def _flags(**kwargs) -> list[Flag]:
    base = {"as_of": AS_OF, "last_activity_on": AS_OF, "open_items": [], "due_on": None}
    return pipeline.flags(**{**base, **kwargs})


@pytest.mark.parametrize(("idle", "stalled"), [(13, False), (14, True)])
def test_stalled_after_14_idle_days(idle: int, stalled: bool) -> None:
    found = _flags(last_activity_on=AS_OF - dt.timedelta(days=idle))
    assert (Flag.stalled in found) is stalled


def test_stalled_limit_is_configurable() -> None:
    last = AS_OF - dt.timedelta(days=7)
    assert _flags(last_activity_on=last, stalled_days=7) == [Flag.stalled]
    assert _flags(last_activity_on=last, stalled_days=8) == []


def test_item_due_today_is_not_past_due_yesterday_is() -> None:
    assert _flags(open_items=[ItemDue(AS_OF)]) == []
    assert _flags(open_items=[ItemDue(AS_OF - dt.timedelta(days=1))]) == [Flag.past_due]
    assert _flags(open_items=[ItemDue(None)]) == []


@pytest.mark.parametrize(("days_left", "at_risk"), [(31, False), (30, True), (0, True), (-5, True)])
def test_recredentialing_at_risk_within_30_days_or_past(days_left: int, at_risk: bool) -> None:
    assert (Flag.at_risk in _flags(due_on=AS_OF + dt.timedelta(days=days_left))) is at_risk


def test_flags_come_most_urgent_first() -> None:
    found = _flags(
        last_activity_on=D(2026, 10, 1), open_items=[ItemDue(D(2026, 11, 1))], due_on=AS_OF
    )
    assert found == [Flag.at_risk, Flag.past_due, Flag.stalled]


def test_attention_order() -> None:
    def key(flags, due=None, idle=0, age=0, file_id=0):
        return pipeline.attention_key(
            flags, due_on=due, idle_days=idle, age_days=age, file_id=file_id
        )

    files = {
        "plain old": key([], age=90, file_id=1),
        "plain idle": key([], idle=5, file_id=2),
        "stalled": key([Flag.stalled], idle=20, file_id=3),
        "past due": key([Flag.past_due], file_id=4),
        "risk later": key([Flag.at_risk], due=D(2026, 12, 20), file_id=5),
        "risk sooner": key([Flag.at_risk, Flag.stalled], due=D(2026, 12, 1), file_id=6),
    }
    ordered = sorted(files, key=files.__getitem__)
    assert ordered == [
        "risk sooner",
        "risk later",
        "past due",
        "stalled",
        "plain idle",
        "plain old",
    ]


@pytest.mark.parametrize(
    ("stage", "items", "gaps", "action"),
    [
        (S.intake, [], {}, "start verification"),
        (S.intake, [ItemDue(D(2026, 11, 1)), ItemDue(None)], {}, "chase 2 items (1 past due)"),
        (
            S.verification,
            [],
            {"missing": ["license:CA", "npdb"], "stale": []},
            "verify: license:CA, npdb missing",
        ),
        (
            S.verification,
            [ItemDue(None)],
            {"missing": ["npdb"], "stale": ["dea"]},
            "chase 1 item; verify: npdb missing; dea stale",
        ),
        (S.verification, [], {"missing": []}, "mark committee-ready"),
        (S.committee_ready, [], {}, "put on agenda"),
        (S.committee_ready, [], {"stale": ["board"]}, "re-verify: board stale"),
        (S.committee, [], {}, "awaiting committee"),
        (S.committee, [ItemDue(None)], {}, "chase 1 item; awaiting committee"),
    ],
)
def test_next_action(stage, items, gaps, action) -> None:
    assert pipeline.next_action(stage, as_of=AS_OF, open_items=items, gaps=gaps) == action


def test_days_in_each_stage() -> None:
    periods = pipeline.stage_periods(
        (D(2026, 11, 2), "intake"),
        [(D(2026, 11, 5), "verification"), (D(2026, 11, 20), "committee-ready")],
        AS_OF,
    )
    assert [(p.stage, p.start, p.end, p.days) for p in periods] == [
        ("intake", D(2026, 11, 2), D(2026, 11, 5), 3),
        ("verification", D(2026, 11, 5), D(2026, 11, 20), 15),
        ("committee-ready", D(2026, 11, 20), None, 3),
    ]


def test_a_decided_file_stops_counting() -> None:
    periods = pipeline.stage_periods(
        (D(2026, 11, 2), "intake"), [(D(2026, 11, 3), "decided")], AS_OF
    )
    assert [(p.stage, p.days) for p in periods] == [("intake", 1), ("decided", 0)]


def test_decision_rules() -> None:
    never = {"missing": ["npdb"], "unverified": ["dea"], "stale": []}
    assert pipeline.decision_problem(Decision.approved, "incomplete", never) == (
        "its verification checklist is incomplete (npdb missing; dea unverified)"
    )
    assert pipeline.decision_problem(Decision.denied, "incomplete", never) is not None
    assert pipeline.decision_problem(Decision.deferred, "incomplete", never) is None
    stale = {"missing": [], "unverified": [], "stale": ["board"]}
    assert pipeline.decision_problem(Decision.approved, "stale", stale) == (
        "verifications too old for a decision on that date (board); re-verify before approving"
    )
    assert pipeline.decision_problem(Decision.denied, "stale", stale) is None
    assert pipeline.decision_problem(Decision.approved, "complete", {}) is None


def test_payer_status_moves() -> None:
    E = EnrollmentStatus
    assert pipeline.payer_move_problem(E.submitted, E.in_review) is None
    assert pipeline.payer_move_problem(E.approved, E.effective) is None
    assert pipeline.payer_move_problem(E.denied, E.submitted) is None
    assert pipeline.payer_move_problem(E.effective, E.submitted) == (
        "an enrollment that is effective is final; it cannot become submitted"
    )
    assert pipeline.payer_move_problem(E.in_review, E.submitted) == (
        "an enrollment that is in-review can become only approved, denied or effective, "
        "not submitted"
    )
    assert pipeline.payer_recred_due(D(2024, 2, 29)) == D(2027, 2, 28)


@pytest.mark.parametrize(
    ("current", "target", "problem"),
    [
        (
            S.withdrawn,
            S.verification,
            "the file was withdrawn; a withdrawn file does not change stage (open a new file)",
        ),
        (
            S.intake,
            S.withdrawn,
            "a file is withdrawn with 'credcli file withdraw' and a reason, not by a stage move "
            "(stage is intake)",
        ),
    ],
)
def test_withdrawn_is_reached_and_left_by_no_stage_move(
    current: FileStage, target: FileStage, problem: str
) -> None:
    assert pipeline.move_problem(current, target) == problem


@pytest.mark.parametrize(
    ("cycle", "due", "on", "lapsed"),
    [
        ("recredential", D(2026, 10, 1), D(2026, 10, 31), None),  # last day of the window
        ("recredential", D(2026, 10, 1), D(2026, 11, 1), D(2026, 10, 1)),
        ("recredential", None, D(2030, 1, 1), None),  # no due date: nothing to judge
        ("initial", D(2026, 10, 1), D(2026, 11, 1), None),
    ],
)
def test_a_recredentialing_lapses_the_day_after_its_late_window(cycle, due, on, lapsed) -> None:
    assert pipeline.lapsed_due(cycle, due, on) == lapsed


def test_late_window_end_and_the_words_for_a_lapsed_recredentialing() -> None:
    assert pipeline.late_window_end(D(2026, 2, 1)) == D(2026, 3, 3)
    assert pipeline.lapsed_text(D(2026, 2, 1)) == (
        "recredentialing lapsed: due 2026-02-01, late window ended 2026-03-03"
    )


def test_a_withdrawn_file_s_last_stage_has_no_end() -> None:
    periods = pipeline.stage_periods(
        (D(2026, 11, 1), "intake"), [(D(2026, 11, 5), "withdrawn")], AS_OF
    )
    assert [(p.stage, p.end, p.days) for p in periods] == [
        ("intake", D(2026, 11, 5), 4),
        ("withdrawn", None, 0),
    ]


def test_an_excluded_provider_is_named_in_the_same_words_in_the_queue_and_the_committee() -> None:
    words = pipeline.excluded_text("#3 on LEIE")
    assert words == (
        "provider excluded (confirmed hit #3 on LEIE): present the file for denial or withdraw it"
    )
    action = pipeline.next_action(
        S.committee_ready,
        as_of=AS_OF,
        open_items=[ItemDue(None)],
        gaps={},
        excluded_by="#3 on LEIE",
    )
    assert action == words
