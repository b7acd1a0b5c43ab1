"""Loose text matching, in isolation: `normalize` (case, accents, punctuation,
spaces) and `text_matches` (a label inside a page's text). No browser, no server."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkedin_optout.text import normalize, text_matches

# --- normalize -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Data for Generative AI Improvement", "data for generative ai improvement"),
        (
            "Données pour l'amélioration de l'IA générative",
            "donnees pour l amelioration de l ia generative",
        ),
        (
            "Données pour l\u2019amélioration de l\u2019IA générative",
            "donnees pour l amelioration de l ia generative",
        ),
        ("  KI-Modellen\u00a0verwenden,  um  ", "ki modellen verwenden um"),
        ("Settings & Privacy", "settings privacy"),
        ("snake_case", "snake case"),
        ("", ""),
    ],
)
def test_normalize_folds_case_accents_punctuation_and_spaces(text, expected):
    assert normalize(text) == expected


@given(st.text())
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once
    assert once == once.strip()
    assert "  " not in once


# --- text_matches ----------------------------------------------------------------------


def test_text_matches_the_whole_label_inside_longer_text():
    page = "Settings Data privacy How LinkedIn uses your data Data for Generative AI Improvement On"
    assert text_matches("Data for Generative AI Improvement", page)
    assert text_matches("data privacy", page)  # case does not matter


def test_text_matches_only_whole_words():
    assert not text_matches("Data privacy", "Data privacyshield settings")
    assert not text_matches("AI", "Maintenance")


def test_text_matches_across_accents_and_apostrophes():
    page = "Donnees pour l\u2019amelioration de l\u2019IA generative : Activé"
    assert text_matches("Données pour l'amélioration de l'IA générative", page)


def test_text_matches_a_long_label_with_one_word_in_five_different():
    # docs/real-site.md: "Daten zur ..." and "Daten für ..." both circulate.
    assert text_matches(
        "Daten zur Verbesserung generativer KI", "Daten für Verbesserung generativer KI"
    )
    assert text_matches(
        "Use my data for training content creation AI models",
        "Use my data for training of content creation AI models",  # one word more
    )


def test_text_matches_needs_the_words_together_not_across_the_page():
    scattered = (
        "Daten und mehr. Zur Startseite. Eine Verbesserung kommt. Generativer Text. KI ist überall."
    )
    assert not text_matches("Daten zur Verbesserung generativer KI", scattered)


def test_text_matches_short_labels_exactly_only():
    # Under five words no word may be missing: "Turn off" is not "Turn on".
    assert not text_matches("Turn off", "Turn on")
    assert not text_matches("Data privacy center", "Data center")


def test_text_matches_a_long_label_missing_two_words_is_no_match():
    assert not text_matches(
        "Use my data for training content creation AI models",
        "Use your data for training of creation AI models",
    )


def test_text_matches_nothing_for_an_empty_label():
    assert not text_matches("", "anything at all")
    assert not text_matches("...", "... and more")


@given(
    st.text(alphabet=st.characters(categories=("L", "N", "Zs", "P")), min_size=1, max_size=60),
    st.text(max_size=40),
    st.text(max_size=40),
)
def test_text_matches_a_label_wherever_it_stands(label, before, after):
    if not normalize(label):
        return
    assert text_matches(label, label)
    assert text_matches(label, f"{before} {label} {after}")
