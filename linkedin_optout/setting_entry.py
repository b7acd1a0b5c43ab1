"""One setting's entry in the selector data: the pydantic model every selector
file's settings share (a switch, or a choice with its options), and the small types
the selector files are written in. `selectors.py` puts the entries into files.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
Strategy = Literal["labelledby", "id", "role-name", "label-near", "options"]
Control = Literal["switch", "choice"]
Lang = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
Path_ = Annotated[str, StringConstraints(pattern=r"^/\S*$")]
Text = Annotated[str, StringConstraints(min_length=2)]
Localized = dict[Lang, list[Text]]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Row(Strict):
    """The link that leads to a setting's page, on the page `on` (None: Data privacy)."""

    href: Path_ | None = None  # none: the setting's own page (its `url`)
    # The page whose row leads to the setting; none: Data privacy (urls.hub).
    on: Path_ | None = None
    text: Localized = {}


ElementId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][\w:-]*$")]
# How most switches are found: by their stable id's label link, then by name.
USUAL_STRATEGIES: tuple[Strategy, ...] = ("labelledby", "role-name", "label-near")
# How a choice's group of options is found: an option's stable id, the group's
# name, the question near it, and last a group whose every option is one of the
# setting's (pages.find_choices).
CHOICE_STRATEGIES: tuple[Strategy, ...] = ("id", "role-name", "label-near", "options")
SWITCH_VALUES = ("on", "off")


class Option(Strict):
    """One answer of a choice (a radio), as the page labels it."""

    value: Key  # the name scripts use (`--set email-visibility=connections`)
    labels: Localized
    ids: list[ElementId] = []  # the radio's own id, where one is known


class Setting(Strict):
    """One setting: a switch (on/off) or a choice (one of its `options`)."""

    key: Key
    group: Key
    title: Text
    url: Path_ | None = None
    row: Row = Row()
    control: Control = "switch"
    strategies: list[Strategy] = Field(default=list(USUAL_STRATEGIES), min_length=1)
    labelledby: list[ElementId] = []  # the switch's aria-labelledby names one of these
    ids: list[ElementId] = []  # the switch carries one of these ids itself
    # A switch's label; a choice's question (the text that names its group of options).
    labels: Localized
    # A choice's answers, from the most open to the most private.
    options: list[Option] = []
    # Languages whose wording a public source confirms (docs/real-site.md); the
    # others are our own, matched loosely.
    confirmed: list[Lang] = []
    # Default: "off" for a switch, the most private option for a choice.
    recommended: Key = "off"

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        """What an entry need not write: a row's link is the setting's page; a
        choice is found by its own strategies and recommends its most private option."""
        if not isinstance(data, dict):
            return data
        if isinstance(url := data.get("url"), str):
            row = data.get("row", {})
            if isinstance(row, Row) and row.href is None:
                data = {**data, "row": row.model_copy(update={"href": url})}
            elif isinstance(row, dict) and row.get("href") is None:
                data = {**data, "row": {**row, "href": url}}
        if data.get("control") == "choice":
            data = {"strategies": list(CHOICE_STRATEGIES), **data}
            options = data.get("options")
            if "recommended" not in data and isinstance(options, list) and options:
                last = options[-1]
                value = last.value if isinstance(last, Option) else dict(last).get("value")
                data = {**data, "recommended": value}
        return data

    @model_validator(mode="after")
    def _values_fit_the_control(self) -> Setting:
        if self.control == "switch":
            if self.options:
                raise ValueError('a switch has no options (use control = "choice")')
        else:
            if len(self.options) < 2:
                raise ValueError("a choice needs at least two options")
            if len(set(self.values)) != len(self.values):
                raise ValueError("a choice's option values must differ")
        if self.recommended not in self.values:
            raise ValueError(
                f"recommended {self.recommended!r} is not one of {', '.join(self.values)}"
            )
        return self

    @property
    def values(self) -> tuple[str, ...]:
        """What a reading of it can say (besides absent and unknown)."""
        if self.control == "switch":
            return SWITCH_VALUES
        return tuple(option.value for option in self.options)

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def privacy(self, value: str) -> int:
        """How private a value is: higher is more private; -1 for a value it has
        not (absent, unknown). A switch is most private at its recommended value."""
        if value not in self.values:
            return -1
        if self.control == "switch":
            return 1 if value == self.recommended else 0
        return self.values.index(value)

    def words(self, value: str, lang: str = "en") -> str:
        """A value as a person reads it: a choice's option label; a switch's on/off."""
        option = self.option(value)
        if option is None:
            return value
        texts = option.labels.get(lang) or option.labels.get("en") or [value]
        return texts[0]
