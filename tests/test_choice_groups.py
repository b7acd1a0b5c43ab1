"""Which radio group is which choice setting, and which radio which answer
(choice_groups.py): pure decisions over made-up scans. No browser, no server."""

from __future__ import annotations

import pytest

from linkedin_optout.choice_groups import find_choices, find_controls
from linkedin_optout.pages import PageScan, Radio, Switch
from linkedin_optout.row_values import value_on_row
from linkedin_optout.selectors import bundled_selector_files

V = bundled_selector_files()[0]
LANGS = ["en", "nl", "de", "fr"]
EMAIL = ["Anyone on LinkedIn", "1st and 2nd-degree connections", "1st-degree connections"]
EMAIL_ALL = [*EMAIL, "Only visible to me"]
VIEWING_IDS = [
    "discloseAsProfileViewer__DISCLOSE_FULL",
    "discloseAsProfileViewer__DISCLOSE_ANONYMOUS",
    "discloseAsProfileViewer__HIDE",
]


def radios(
    group: str,
    names: list[str],
    *,
    checked: int | None = 0,
    ids: list[str] | None = None,
    group_name: str = "",
    contexts: tuple[str, ...] = (),
    disabled: bool = False,
    waiting: bool = False,
) -> tuple[Radio, ...]:
    return tuple(
        Radio(
            frame=0,
            mark=f"{group}-r{i}",
            group=group,
            group_name=group_name,
            contexts=contexts,
            element_id=(ids or [""] * len(names))[i],
            name=name,
            checked=i == checked,
            disabled=disabled,
            visible=True,
            label_mark="",
            waiting=waiting,
        )
        for i, name in enumerate(names)
    )


def scan(*groups: tuple[Radio, ...], switches: tuple[Switch, ...] = ()) -> PageScan:
    return PageScan(
        url="http://127.0.0.1/x",
        lang="en",
        text="",
        switches=switches,
        radios=tuple(r for g in groups for r in g),
    )


def test_a_group_named_by_its_question_reads_the_checked_answer():
    page = scan(radios("g1", EMAIL_ALL, checked=2, group_name="Who can see your email address"))
    matches = find_choices(V, ["email-visibility"], page, LANGS)
    control, strategy = matches.found["email-visibility"]
    assert (control.state, strategy) == ("connections", "role-name")
    assert control.option("only-me") is not None and control.option("only-me").mark == "g1-r3"
    assert control.marks == ("g1-r0", "g1-r1", "g1-r2", "g1-r3")


def test_the_stable_radio_ids_find_profile_viewing_whatever_the_labels_say():
    labels = ["Naam", "Kenmerken", "Privé"]  # wording the data does not know
    page = scan(radios("g1", labels, checked=0, ids=VIEWING_IDS))
    control, strategy = find_choices(V, ["profile-viewing"], page, LANGS).found["profile-viewing"]
    assert (control.state, strategy) == ("name-and-headline", "id")


def test_without_a_name_the_one_group_of_its_answers_is_found_by_its_options():
    page = scan(
        radios(
            "g1",
            ["Everyone", "2nd-degree connections", "1st-degree connections", "Nobody"],
            checked=3,
        )
    )
    control, strategy = find_choices(V, ["discover-by-email"], page, LANGS).found[
        "discover-by-email"
    ]
    assert (control.state, strategy) == ("nobody", "options")


def test_two_groups_of_the_same_answers_are_never_guessed_between():
    answers = ["Everyone", "2nd-degree connections", "1st-degree connections", "Nobody"]
    page = scan(radios("g1", answers), radios("g2", answers))
    matches = find_choices(V, ["discover-by-email"], page, LANGS)
    assert "discover-by-email" not in matches.found
    assert any(a.result == "ambiguous (2 groups)" for a in matches.attempts)


def test_an_answer_the_data_does_not_know_leaves_the_group_unidentified():
    page = scan(
        radios(
            "g1",
            [*EMAIL_ALL, "Recruiters only"],
            group_name="Who can see your email address",
        )
    )
    matches = find_choices(V, ["email-visibility"], page, LANGS)
    assert "email-visibility" not in matches.found
    assert "Recruiters only" in matches.unidentified["email-visibility"]


def test_nothing_checked_or_busy_is_a_placeholder_not_a_reading():
    for group in (
        radios("g1", EMAIL_ALL, checked=None, group_name="Who can see your email address"),
        radios("g1", EMAIL_ALL, waiting=True, group_name="Who can see your email address"),
    ):
        control, _ = find_choices(V, ["email-visibility"], scan(group), LANGS).found[
            "email-visibility"
        ]
        assert control.waiting
    unchecked = radios("g1", EMAIL_ALL, checked=None, group_name="Who can see your email address")
    control, _ = find_choices(V, ["email-visibility"], scan(unchecked), LANGS).found[
        "email-visibility"
    ]
    assert control.state == "unknown"


@pytest.mark.parametrize(
    ("lang", "names", "question"),
    [
        (
            "nl",
            [
                "Iedereen op LinkedIn",
                "1e- en 2e-graads connecties",
                "1e-graads connecties",
                "Alleen zichtbaar voor mij",
            ],
            "Wie kan uw e-mailadres zien",
        ),
        (
            "de",
            [
                "Alle LinkedIn-Mitglieder",
                "Kontakte 1. und 2. Grades",
                "Kontakte 1. Grades",
                "Nur für mich sichtbar",
            ],
            "Wer kann Ihre E-Mail-Adresse sehen",
        ),
        (
            "fr",
            [
                "Tout le monde sur LinkedIn",
                "Relations de 1er et 2e niveau",
                "Relations de 1er niveau",
                "Visible uniquement par moi",
            ],
            "Qui peut voir votre adresse e-mail",
        ),
    ],
)
def test_the_answers_are_read_in_every_language_of_the_data(lang, names, question):
    page = scan(radios("g1", names, checked=3, group_name=question))
    control, _ = find_choices(V, ["email-visibility"], page, [lang]).found["email-visibility"]
    assert control.state == "only-me"
    assert [o.value for o in control.options] == [
        "everyone",
        "second-degree",
        "connections",
        "only-me",
    ]


def test_a_choice_and_a_switch_on_one_page_are_each_their_own():
    switch = Switch(
        frame=0,
        mark="s1",
        labelledby=("generated-1",),
        name="Allow your connections to download your email address in their data export",
        contexts=(),
        state="on",
        disabled=False,
        visible=True,
    )
    page = scan(
        radios("g1", EMAIL_ALL, checked=0, group_name="Who can see your email address"),
        switches=(switch,),
    )
    both = find_controls(V, ["email-visibility", "email-download"], page, LANGS).found
    assert both["email-visibility"][0].state == "everyone"
    assert both["email-download"][0].mark == "s1"
    only_switch = find_controls(V, ["email-download"], page, LANGS).found
    assert set(only_switch) == {"email-download"}  # the choice is not a candidate
    only_choice = find_controls(V, ["email-visibility"], page, LANGS).found
    assert set(only_choice) == {"email-visibility"}


# --- the hub row's answer: a second reading (row_values.py) --------------------------------


def test_a_rows_answer_is_read_beside_its_title_in_any_language():
    email = V.setting("email-visibility")
    assert email is not None
    row = "Who can see or download your email address Only visible to me"
    assert value_on_row(email, row, LANGS) == "only-me"
    # The longest answer wins over an answer inside it ("1st-degree connections").
    assert value_on_row(email, f"{EMAIL[1]} Who can see your email", LANGS) == "second-degree"
    nl = "Wie uw e-mailadres kan zien of downloaden Alleen zichtbaar voor mij"
    assert value_on_row(email, nl, ["nl"]) == "only-me"


def test_a_row_without_one_answer_gives_no_reading():
    email = V.setting("email-visibility")
    discover = V.setting("discover-by-email")
    download = V.setting("email-download")
    assert email is not None and discover is not None and download is not None
    assert value_on_row(email, "Who can see or download your email address", LANGS) is None
    both = "Profile discovery using email address Everyone Nobody"
    assert value_on_row(discover, both, LANGS) is None  # two answers: none is taken
    assert value_on_row(download, "Who can see or download your email address Off", LANGS) is None
