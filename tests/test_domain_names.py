import pytest

from credcli.domain import names
from credcli.domain.screening import Match, NameRelation, Tier, judge


@pytest.mark.parametrize(
    ("raw", "last"),
    [
        ("O'Brien", "obrien"),
        ("De la Cruz-Smith, Jr.", "delacruzsmith"),
        ("SMITH JR", "smith"),
        ("Müller III", "muller"),
        ("Do", "do"),  # a surname, not the degree
        ("Nguyen MD", "nguyen"),
    ],
)
def test_last_names_are_normalised(raw: str, last: str) -> None:
    assert names.last_name(raw) == last


def test_only_the_first_given_name_counts() -> None:
    assert names.first_name("Mary Ann") == "mary"
    assert names.first_name("  J. ") == "j"
    assert names.first_name(None) == ""


def test_a_compound_given_name_has_a_second_form() -> None:
    assert names.first_names("Mary-Jane") == ("mary", "maryjane")
    assert names.first_names("MARY JANE") == ("mary", "maryjane")
    assert names.first_names("Jean-Luc Pierre") == ("jean", "jeanluc")
    assert names.first_names("Ann Jr.") == ("ann",)
    assert names.first_names("MARYJANE") == ("maryjane",)
    assert names.first_names(None) == ("",)


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("smith", "smyth", True),  # substitution
        ("smith", "smiths", True),  # insertion
        ("smith", "smth", True),  # deletion
        ("smith", "msith", True),  # neighbours swapped
        ("smith", "smythe", False),
        ("smith", "htims", False),
        ("ana", "ana", True),
    ],
)
def test_within_one_edit(a: str, b: str, near: bool) -> None:
    assert names.within_one_edit(a, b) is near
    assert names.within_one_edit(b, a) is near


def test_near_index_finds_one_typo_under_the_same_anchor() -> None:
    words = ["smith", "jones", "smyth", "diaz", "li", "nguyen", "abcdefgh"]
    index = names.NearIndex(("ana", w) for w in words)
    assert index.near("ana", "smith") == {"smyth"}
    assert index.near("ana", "jnoes") == {"jones"}
    assert index.near("ana", "dias") == {"diaz"}
    assert index.near("ana", "il") == {"li"}
    assert index.near("ana", "ngyuen") == {"nguyen"}
    assert index.near("ana", "abcedfgh") == {"abcdefgh"}  # swap across the middle
    assert index.near("ana", "brown") == set()
    assert index.near("eve", "smith") == set()


@pytest.mark.parametrize("word", ["stone", "li", "okafor", "delacruzsmith", "abc"])
def test_near_index_agrees_with_the_edit_check_for_every_typo(word: str) -> None:
    letters = "abcdefghijklmnopqrstuvwxyz"
    variants = {word[:i] + word[i + 1 :] for i in range(len(word))}
    variants |= {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in letters}
    variants |= {word[:i] + c + word[i + 1 :] for i in range(len(word)) for c in letters}
    variants |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    variants.discard(word)
    index = names.NearIndex(("x", v) for v in variants)
    assert index.near("x", word) == variants


def test_npi_equal_is_strong_whatever_the_names() -> None:
    match = judge(npi_equal=True, names=None, provider_dob="1980-01-01", record_dob="1970-01-01")
    assert match is not None and match.tier is Tier.strong and match.reason == "NPI equal"


@pytest.mark.parametrize(
    ("relation", "ours", "theirs", "tier"),
    [
        (NameRelation.equal, "1980-02-03", "1980-02-03", Tier.strong),
        (NameRelation.equal, None, "1980-02-03", Tier.possible),
        (NameRelation.equal, "1980-02-03", None, Tier.possible),
        (NameRelation.equal, "1980-02-03", "1975-05-05", Tier.ruled_out),
        (NameRelation.near, None, None, Tier.possible),
        (NameRelation.swapped, "1980-02-03", None, Tier.possible),
        (NameRelation.near, "1980-02-03", "1980-02-03", Tier.possible),
        (NameRelation.near, "1980-02-03", "1975-05-05", None),
    ],
)
def test_match_tiers(
    relation: NameRelation, ours: str | None, theirs: str | None, tier: Tier | None
) -> None:
    match = judge(npi_equal=False, names=relation, provider_dob=ours, record_dob=theirs)
    assert (match.tier if match else None) is tier


def test_a_record_under_another_npi_keeps_its_tier_and_says_so() -> None:
    match = judge(
        npi_equal=False,
        names=NameRelation.equal,
        provider_dob=None,
        record_dob="1970-01-01",
        npi_differs=True,
    )
    assert match == Match(
        Tier.possible, "name equal, date of birth missing; the list record carries another NPI"
    )
    differs = judge(
        npi_equal=False,
        names=NameRelation.equal,
        provider_dob="1980-02-03",
        record_dob="1975-05-05",
        npi_differs=True,
    )
    assert differs is not None and differs.tier is Tier.ruled_out
