"""The pure page functions: selector file detection, the page's language, and which
switch is which setting. No browser, no server."""

from __future__ import annotations

from dataclasses import replace

import pytest

from linkedin_optout.pages import (
    PageScan,
    Switch,
    detect_selector_file,
    find_switches,
    page_language,
)
from linkedin_optout.selectors import SelectorFile, bundled_selector_files

GEN_AI = "allowDataForGenerativeAI"
RESEARCH = "allowAnonymizedDataResearch"
TRAINING = "generative-ai-training"
CREATION = "ai-creation-tools"
LABEL_2024_EN = "Use my data for training content creation AI models"
LABEL_2025_EN = "Use your data to train and develop AI models"
CREATION_EN = "AI creation tools for your profile and messages"
ALL_LANGS = ["en", "nl", "de", "fr"]


def bundled_file(name: str) -> SelectorFile:
    return next(v for v in bundled_selector_files() if v.version == name)


V2024 = bundled_file("2024-09")
V2025 = bundled_file("2025-09")
NEWEST_FIRST = bundled_selector_files()


def switch(
    mark: str,
    *,
    labelledby: tuple[str, ...] = (),
    name: str = "",
    contexts: tuple[str, ...] = (),
    state: str = "on",
) -> Switch:
    return Switch(
        frame=0,
        mark=mark,
        labelledby=labelledby,
        name=name,
        contexts=contexts,
        state=state,  # type: ignore[arg-type]
        disabled=False,
        visible=True,
    )


def scan(*switches: Switch, text: str = "", hits: frozenset[str] = frozenset()) -> PageScan:
    return PageScan(
        url="http://127.0.0.1/x", lang="en", text=text, switches=switches, marker_hits=hits
    )


def found(matches) -> dict[str, tuple[str, str]]:
    return {key: (sw.mark, strategy) for key, (sw, strategy) in matches.found.items()}


def tried(matches, key: str) -> dict[str, str]:
    return {a.strategy: a.result for a in matches.attempts if a.setting == key}


# --- page_language -----------------------------------------------------------------------


def test_page_language_puts_the_html_lang_first():
    assert page_language("de-DE", ALL_LANGS, None) == ["de", "en", "nl", "fr"]
    assert page_language("FR", ALL_LANGS, None) == ["fr", "en", "nl", "de"]


def test_page_language_unknown_or_missing_lang_keeps_the_known_order():
    assert page_language("", ALL_LANGS, None) == ALL_LANGS
    assert page_language("ja", ALL_LANGS, None) == ALL_LANGS


def test_a_forced_locale_is_the_only_language():
    assert page_language("nl", ALL_LANGS, "fr") == ["fr"]


# --- detect_selector_file ---------------------------------------------------------------------


def test_detect_selector_file_by_the_2024_09_fingerprint_css():
    page = scan(hits=frozenset({"[aria-labelledby~='allowDataForGenerativeAI']"}))
    assert detect_selector_file(NEWEST_FIRST, page) is V2024


@pytest.mark.parametrize(
    "text",
    ["Generative AI and other models", "KI-Erstellungstools für Ihr Profil und Ihre Nachrichten"],
)
def test_detect_selector_file_by_the_2025_09_fingerprint_text(text):
    page = scan(text=f"Data privacy {text} Yes")
    assert detect_selector_file(NEWEST_FIRST, page) is V2025


def test_detect_selector_file_prefers_the_newest_when_both_fingerprints_are_there():
    # The 2025-09 page still has the 2024-09 switch id.
    page = scan(
        text="Generative AI and other models Use your data to train and develop AI models",
        hits=frozenset({"[aria-labelledby~='allowDataForGenerativeAI']"}),
    )
    assert detect_selector_file(NEWEST_FIRST, page) is V2025
    # ...and the order of the selector files given decides, not a hard-coded one.
    assert detect_selector_file((V2024, V2025), page) is V2024


def test_detect_selector_file_falls_back_to_the_data_privacy_markers():
    # An EU page of 2024: no AI row, no AI fingerprint, but Data privacy is there.
    page = scan(text="Data privacy How LinkedIn uses your data Search history")
    assert detect_selector_file(NEWEST_FIRST, page) is V2024


def test_detect_selector_file_of_an_unknown_page_is_none():
    page = scan(text="Privacy center AI & you Let LinkedIn improve AI with my content")
    assert detect_selector_file(NEWEST_FIRST, page) is None


def test_detect_selector_file_in_another_language():
    page = scan(text="Gegevensprivacy Gegevens voor verbetering van generatieve AI Aan")
    assert detect_selector_file(NEWEST_FIRST, page) is V2024


# --- find_switches -----------------------------------------------------------------------


def test_labelledby_is_tried_first_and_wins():
    by_id = switch("a", labelledby=(GEN_AI,), name="Something unrelated")
    by_name = switch("b", name=LABEL_2024_EN)
    matches = find_switches(V2024, [TRAINING], scan(by_name, by_id), ["en"])
    assert found(matches) == {TRAINING: ("a", "labelledby")}
    assert tried(matches, TRAINING) == {"labelledby": "matched"}  # no weaker one tried


def test_role_name_when_there_is_no_stable_id():
    sw = switch("a", name=LABEL_2024_EN)
    matches = find_switches(V2024, [TRAINING], scan(sw), ["en"])
    assert found(matches) == {TRAINING: ("a", "role-name")}
    assert tried(matches, TRAINING) == {"labelledby": "no match", "role-name": "matched"}


def test_label_near_when_the_switch_has_no_name():
    sw = switch("a", contexts=("", f"{LABEL_2024_EN} On"))
    matches = find_switches(V2024, [TRAINING], scan(sw), ["en"])
    assert found(matches) == {TRAINING: ("a", "label-near")}
    assert tried(matches, TRAINING) == {
        "labelledby": "no match",
        "role-name": "no match",
        "label-near": "matched",
    }


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        (
            "nl",
            "Mijn gegevens gebruiken voor training van AI-modellen waarmee content wordt gemaakt",
        ),
        ("de", "Ihre Daten zum Schulen von KI-Modellen verwenden, um Inhalte zu erstellen"),
        ("fr", "Utiliser mes données pour entraîner des modèles d'IA de création de contenu"),
    ],
)
def test_labels_match_in_the_given_language_and_not_in_another(lang, label):
    sw = switch("a", name=label)
    matches = find_switches(V2024, [TRAINING], scan(sw), [lang])
    assert found(matches) == {TRAINING: ("a", "role-name")}
    other = "en" if lang != "en" else "nl"
    assert found(find_switches(V2024, [TRAINING], scan(sw), [other])) == {}


def test_only_strategies_the_setting_lists_are_tried():
    # ai-creation-tools (2025-09) has no stable id: labelledby is not among its strategies.
    # (A switch labelled by another setting's id is that setting's: never a candidate.)
    sw = switch("a", labelledby=("someUnknownId",), name=CREATION_EN)
    matches = find_switches(V2025, [CREATION], scan(sw), ["en"])
    assert "labelledby" not in tried(matches, CREATION)
    assert found(matches) == {CREATION: ("a", "role-name")}


def test_a_switch_that_is_another_settings_by_id_is_never_a_candidate():
    sw = switch("a", labelledby=(GEN_AI,), name=CREATION_EN)
    assert found(find_switches(V2025, [CREATION], scan(sw), ["en"])) == {}


def test_the_id_strategy_matches_a_switch_by_its_own_id():
    setting = V2024.settings[0].model_copy(update={"strategies": ["id"], "ids": ["ownId"]})
    selector_file = V2024.model_copy(update={"settings": [setting]})
    sw = replace(switch("a"), element_id="ownId")
    other = replace(switch("b"), element_id="somethingElse")
    assert found(find_switches(selector_file, [setting.key], scan(sw, other), ["en"])) == {
        setting.key: ("a", "id")
    }


def test_two_switches_for_one_id_is_ambiguous_and_nothing_is_matched():
    one = switch("a", labelledby=(GEN_AI,))
    two = switch("b", labelledby=(GEN_AI,))
    matches = find_switches(V2024, [TRAINING], scan(one, two), ["en"])
    assert found(matches) == {}
    assert tried(matches, TRAINING) == {
        "labelledby": "ambiguous (2 switches)",
        "role-name": "no match",
        "label-near": "no match",
    }


def test_two_switches_with_the_same_name_is_ambiguous():
    one = switch("a", name=LABEL_2024_EN)
    two = switch("b", name=LABEL_2024_EN, state="off")
    matches = find_switches(V2024, [TRAINING], scan(one, two), ["en"])
    assert found(matches) == {}
    assert tried(matches, TRAINING)["role-name"] == "ambiguous (2 switches)"


def test_an_ambiguous_strategy_falls_through_to_a_weaker_one_that_is_certain():
    one = switch("a", labelledby=(GEN_AI,), name="First")
    two = switch("b", labelledby=(GEN_AI,), name=LABEL_2024_EN)
    matches = find_switches(V2024, [TRAINING], scan(one, two), ["en"])
    assert found(matches) == {TRAINING: ("b", "role-name")}
    assert tried(matches, TRAINING)["labelledby"] == "ambiguous (2 switches)"


# Every other setting's stable switch id: (key, labelledby or own id).
OTHER_IDS = [
    (s.key, ("labelledby", i)) for s in V2024.settings if s.key != TRAINING for i in s.labelledby
] + [(s.key, ("id", i)) for s in V2024.settings if s.key != TRAINING for i in s.ids]


def test_every_data_use_setting_has_a_stable_id():
    data_use = [s for s in V2024.settings if s.group not in V2024.personal_groups]
    assert len(OTHER_IDS) == len(data_use) - 1


@pytest.mark.parametrize(("key", "stable"), OTHER_IDS, ids=[k for k, _ in OTHER_IDS])
def test_another_settings_switch_is_skipped_by_every_strategy(key, stable):
    # Another setting's switch whose name and surroundings say "generative AI" all the same.
    kind, stable_id = stable
    other = switch("p", name=LABEL_2024_EN, contexts=(LABEL_2024_EN,))
    if kind == "labelledby":
        other = replace(other, labelledby=(stable_id,))
    else:
        other = replace(other, element_id=stable_id)
    matches = find_switches(V2024, [TRAINING], scan(other), ["en"])
    assert found(matches) == {}
    assert set(tried(matches, TRAINING).values()) == {"no match"}
    # Asked for, the same switch is that setting's by its stable id.
    assert found(find_switches(V2024, [key], scan(other), ["en"])) == {key: ("p", kind)}


def test_a_never_touch_id_is_skipped_though_no_setting_describes_it():
    never = V2024.model_copy(update={"never_touch": ["someStableId"]})
    protected = switch("p", labelledby=("someStableId",), name=LABEL_2024_EN)
    matches = find_switches(never, [TRAINING], scan(protected), ["en"])
    assert found(matches) == {}


def test_another_settings_switch_does_not_make_the_real_one_ambiguous():
    protected = switch("p", labelledby=(RESEARCH,), name=LABEL_2024_EN)
    real = switch("a", name=LABEL_2024_EN)
    matches = find_switches(V2024, [TRAINING], scan(protected, real), ["en"])
    assert found(matches) == {TRAINING: ("a", "role-name")}


def test_a_switch_is_claimed_once():
    # Switch "a" is the training switch by its id, but its name reads like AI creation
    # tools; the strongest strategy claims it for training, so creation tools is not it.
    a = switch("a", labelledby=(GEN_AI,), name=CREATION_EN)
    matches = find_switches(V2025, [TRAINING, CREATION], scan(a), ["en"])
    assert found(matches) == {TRAINING: ("a", "labelledby")}
    assert CREATION not in matches.found


def test_a_claimed_switch_no_longer_counts_toward_ambiguity():
    # Without the claim, role-name would see two switches named "AI creation tools".
    a = switch("a", labelledby=(GEN_AI,), name=CREATION_EN)
    b = switch("b", name=CREATION_EN)
    matches = find_switches(V2025, [TRAINING, CREATION], scan(a, b), ["en"])
    assert found(matches) == {TRAINING: ("a", "labelledby"), CREATION: ("b", "role-name")}


def test_strategies_run_strongest_first_across_all_settings():
    # "b" is AI creation tools by its name, but its surroundings mention training.
    # Were training's weaker label-near tried before creation tools' role-name, it
    # would see two switches near a training label ("a" and "b") and find neither.
    a = switch("a", contexts=(f"{LABEL_2025_EN} Yes",))
    b = switch("b", name=CREATION_EN, contexts=(LABEL_2025_EN,))
    matches = find_switches(V2025, [TRAINING, CREATION], scan(a, b), ["en"])
    assert found(matches) == {TRAINING: ("a", "label-near"), CREATION: ("b", "role-name")}


def test_attempts_are_in_strategy_order_across_settings():
    a = switch("a", contexts=(f"{LABEL_2025_EN} Yes",))
    b = switch("b", contexts=(f"{CREATION_EN} Yes",))
    matches = find_switches(V2025, [TRAINING, CREATION], scan(a, b), ["en"])
    assert found(matches) == {TRAINING: ("a", "label-near"), CREATION: ("b", "label-near")}
    assert [(x.setting, x.strategy) for x in matches.attempts] == [
        (TRAINING, "labelledby"),
        (TRAINING, "role-name"),
        (CREATION, "role-name"),
        (TRAINING, "label-near"),
        (CREATION, "label-near"),
    ]


def test_label_near_ignores_text_that_names_two_settings():
    # The section heading around both switches names both settings: it is nobody's label.
    section = f"Generative AI and other models {LABEL_2025_EN} {CREATION_EN}"
    a = switch("a", contexts=(section,))
    matches = find_switches(V2025, [TRAINING, CREATION], scan(a), ["en"])
    assert found(matches) == {}


def test_label_near_prefers_the_nearest_text():
    # Each switch's own row names its setting; the wider section names both.
    section = f"Generative AI and other models {LABEL_2025_EN} Yes {CREATION_EN} Yes"
    a = switch("a", contexts=(f"{LABEL_2025_EN} Yes", section))
    b = switch("b", contexts=(f"{CREATION_EN} Yes", section))
    matches = find_switches(V2025, [TRAINING, CREATION], scan(a, b), ["en"])
    assert found(matches) == {TRAINING: ("a", "label-near"), CREATION: ("b", "label-near")}


def test_only_the_keys_asked_for_are_matched():
    a = switch("a", labelledby=(GEN_AI,))
    b = switch("b", name=CREATION_EN)
    matches = find_switches(V2025, [CREATION], scan(a, b), ["en"])
    assert found(matches) == {CREATION: ("b", "role-name")}
    assert {x.setting for x in matches.attempts} == {CREATION}


def test_no_switches_on_the_page_is_no_match_for_each_strategy():
    matches = find_switches(V2024, [TRAINING], scan(), ["en"])
    assert found(matches) == {}
    assert tried(matches, TRAINING) == {
        "labelledby": "no match",
        "role-name": "no match",
        "label-near": "no match",
    }
