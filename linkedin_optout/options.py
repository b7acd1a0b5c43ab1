"""What a run is asked to do: the options the CLI hands the walk, as one object."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from linkedin_optout.browser import BrowserChoice
from linkedin_optout.selectors import SelectorFile


@dataclass(frozen=True)
class RunOptions:
    base_url: str
    selector_files: tuple[SelectorFile, ...]
    forced_selector_file: bool = False
    dry_run: bool = False
    keys: tuple[str, ...] = ()  # the settings asked for (cli.check_keys)
    # The value each setting is set to: --set's, else its recommended one (a
    # switch: off). A run never sets a switch on (choices.check_set).
    targets: Mapping[str, str] = field(default_factory=dict)
    timeout_s: float = 30.0
    retries: int = 2
    locale: str | None = None
    browser: BrowserChoice = field(default_factory=BrowserChoice)
    screenshots: Path | None = None
    trace: Path | None = None
    panels: bool = False  # --html: a picture of each setting's panel after the reload
