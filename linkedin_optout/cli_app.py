"""The command line's own behaviour, whichever command runs: help on `-h`, no
arguments, and every refused command line said in the tool's one style.

typer (its bundled click) words a refused command line its own way ("Error:
Invalid value for '--timeout': Input should be a valid number, unable to parse
string as a number"), with a usage block first. Here it becomes what the tool's
own errors look like: one `error:` line in plain words, with "did you mean" where
a name was mistyped, and one line of advice; exit 2. No arguments, or a command
group with none (`selectors`), prints the help and exits 0.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypedDict

import typer
from typer.core import TyperCommand, TyperGroup

from linkedin_optout.choices import Choices
from linkedin_optout.choices import Command as CheckName
from linkedin_optout.cli_options import CHECK_OPTIONS
from linkedin_optout.text import did_you_mean

# Validation wording (pydantic's, through typer) -> plain words.
PLAIN = (
    (r"Input should be a valid integer.*", "not a whole number"),
    (r"Input should be a valid number.*", "not a number"),
    (r"Input should be greater than or equal to (\S+)", r"must be \1 or more"),
    (r"Input should be less than or equal to (\S+)", r"must be \1 or less"),
    (r"Input should be greater than (\S+)", r"must be more than \1"),
    (r"Input should be less than (\S+)", r"must be less than \1"),
    (r"Input should be (.*)", r"must be \1"),
    (r"^Value error, ", ""),
)
CHOICE = re.compile(r"'(?P<value>[^']*)' is not one of (?P<choices>.*?)\.?$")


def plain(text: str) -> str:
    for pattern, words in PLAIN:
        text = re.sub(pattern, words, text)
    return text.strip().rstrip(".")


def describe(exc: typer.TyperException) -> str:
    """A refused command line, in plain words (no period at the end)."""
    kind = type(exc).__name__
    param = getattr(exc, "param", None)
    name = param.opts[0] if param is not None and getattr(param, "opts", None) else None
    if kind == "NoSuchOption":
        option = str(getattr(exc, "option_name", ""))
        known = [*(getattr(exc, "possibilities", None) or ()), *_options(exc)]
        return f"no such option: {option}" + did_you_mean(option, known).replace("'", "")
    if kind == "MissingParameter":
        if param is not None and getattr(param, "param_type_name", "") == "argument":
            return f"{str(param.name).upper()} is missing"
        return f"{name} needs a value" if name else plain(exc.message)
    if kind == "BadParameter" and name:
        message = plain(exc.message)
        if choice := CHOICE.search(message):
            value = choice["value"]
            choices = re.findall(r"'([^']*)'", choice["choices"])
            return f"{name} {value}: not one of {', '.join(choices)}" + did_you_mean(value, choices)
        return f"{name}: {message}"
    message = exc.format_message()
    if match := re.match(r"No such command '([^']*)'\.", message):
        group = getattr(getattr(exc, "ctx", None), "command", None)
        known = list(getattr(group, "commands", {}) or ())
        return f"no such command: {match[1]}" + did_you_mean(match[1], known)
    if match := re.match(r"Option '([^']*)' requires an argument", message):
        return f"{match[1]} needs a value"
    if match := re.match(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)", message):
        return f"unexpected argument: {match[1]} (this command takes options only)"
    return plain(message)


def _options(exc: typer.TyperException) -> list[str]:
    ctx = getattr(exc, "ctx", None)
    if ctx is None:
        return []
    return [o for p in ctx.command.params for o in getattr(p, "opts", ())]


def show(exc: typer.TyperException) -> None:
    text = describe(exc)
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "linkedin-optout"
    # One style with the tool's own errors (console.Console.error): `error:`, advice.
    print(f"error: {text}.", file=sys.stderr)
    print(f"  See '{where} --help'.", file=sys.stderr)


def _plain_flag(option: Any) -> Any:
    """-h/--help takes no value: no "<bool>" beside it in the help."""
    if option is not None:
        option.metavar = ""
    return option


class Command(TyperCommand):
    def get_help_option(self, ctx: Any) -> Any:
        return _plain_flag(super().get_help_option(ctx))


class App(TyperGroup):
    """The top-level group: runs a command and turns what typer would print for
    a refused command line into the tool's own style."""

    def get_help_option(self, ctx: Any) -> Any:
        return _plain_flag(super().get_help_option(ctx))

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            result = super().main(
                args=args,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except typer.TyperException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # no arguments: the help
                if exc.message:  # plain help; rich help printed itself when it was made
                    print(exc.message)
                code = 0
            else:
                show(exc)
                code = exc.exit_code
        except typer.Abort:
            print("error: aborted.", file=sys.stderr)
            code = 1
        else:
            code = result if isinstance(result, int) else 0
        if not standalone_mode:
            return code
        sys.exit(code)


# --- the help: one short line per command, and examples -------------------------------

SHORT = {
    "run": "Switch settings off, then prove it after a reload.",
    "status": "Read each setting's state; change nothing.",
    "checkup": "Read every setting, grouped, with its recommended value.",
    "login": "Sign in once in a browser of the tool's own; every run uses it.",
    "logout": "Delete the saved session (the browser profile, the state file).",
    "doctor": "Check Python, Playwright, the browser, session and selectors.",
    "history": "A timeline per setting: seen on, switched off, back on.",
    "selectors": "List, check and probe the selector files.",
    "probe": "Which selector file, language and strategy matched each setting.",
    "list": "The selector files, their languages and settings.",
    "check": "Validate a selector file.",
}
# Each epilog ends with a line that is not indented: typer removes the indentation
# every line after the first shares, and the examples keep theirs this way.
EPILOG = {
    "": """Examples:
  linkedin-optout login      sign in once; the session is saved
  linkedin-optout status     what is on, what is off
  linkedin-optout run        switch it off, then prove it after a reload
Every command takes -h for its own help.""",
    "run": """Examples:
  linkedin-optout run                     the AI settings: off, proved after a reload
  linkedin-optout run --all               every setting the tool knows
  linkedin-optout run --headed --step     watch, and press Enter before each click
Exit codes: 0 all off or not offered, 1 one is on (--dry-run), 2 bad input, \
3 not signed in, 4 page not recognized, 5 a change failed, 6 no browser, \
7 the site cannot be reached, 130 Ctrl-C.""",
    "status": """Examples:
  linkedin-optout status                       the AI settings: on or off
  linkedin-optout status --all --json          every setting, as one JSON object
  linkedin-optout status -q --notify URL       for cron: the result, and word when one is on
Exit codes: 0 all off or not offered, 1 one is on, 3 not signed in, 4 page not recognized, \
7 the site cannot be reached.""",
    "checkup": """Examples:
  linkedin-optout checkup                      the table by group, and the objection form
  linkedin-optout checkup --json > mine.json   the same, to keep
Exit codes: 0 every setting offered is at its recommended value, 1 one is not; \
3, 4 and 7 as for status.""",
    "login": """Examples:
  linkedin-optout login                        sign in in a window the tool opens
  linkedin-optout login --import-cookies cookies.txt --user-agent "Mozilla/5.0 (...)"
                                               a cookie export, with its browser's User-Agent
Your password never passes through the tool.""",
    "logout": """Examples:
  linkedin-optout logout
  linkedin-optout logout --state ~/elsewhere/state.json
It deletes the session login saved, or the one named, nothing else.""",
    "doctor": """Examples:
  linkedin-optout doctor
  linkedin-optout doctor --online     also check, read only, that the session is signed in
Exit code 0 when every check passes, 1 otherwise.""",
    "history": """Examples:
  linkedin-optout history
  linkedin-optout history --setting generative-ai-training --since 2026-11-01
  linkedin-optout history --json
Times are in UTC.""",
    "selectors": """Examples:
  linkedin-optout selectors list
  linkedin-optout selectors check my-selectors.toml
  linkedin-optout selectors probe --selectors my-selectors.toml
Start with 'probe' when LinkedIn changes its pages.""",
    "probe": """Examples:
  linkedin-optout selectors probe
  linkedin-optout selectors probe --selectors my-selectors.toml --locale de
Exit code 0 when every page was recognized, even if a setting is on.""",
    "list": """Example:
  linkedin-optout selectors list
The newest selector file comes first.""",
    "check": """Example:
  linkedin-optout selectors check selectors/2025-09.toml
Errors are dotted paths with the reason, and exit code 2.""",
}


class HelpTexts(TypedDict):
    short_help: str
    epilog: str
    cls: type[TyperCommand]


def texts(name: str) -> HelpTexts:
    """`short_help`, `epilog` and class for a command, as typer takes them."""
    return {"short_help": SHORT[name], "epilog": EPILOG[name], "cls": Command}


# --- the options of run, status, checkup and selectors probe, written once -----------


def check_command(name: CheckName) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a command the options of `cli_options.CHECK_OPTIONS` that `name` takes,
    then its own; its body gets the first as one `Choices`:

        @check_command("run")
        def run(choices: Choices, dry_run: DryRun = False) -> None: ...

    typer reads the options from the signature made here.
    """
    defaults = {f.name: f.default for f in dataclasses.fields(Choices)}
    taken = [o for o in CHECK_OPTIONS if name in o.commands]
    # A repeatable option is a list or None in typer, a tuple in Choices.
    repeatable = {o.name for o in taken if defaults[o.name] == ()}
    shared = [
        inspect.Parameter(
            o.name,
            inspect.Parameter.KEYWORD_ONLY,
            default=None if o.name in repeatable else defaults[o.name],
            annotation=o.alias,
        )
        for o in taken
    ]

    def give(body: Callable[..., None]) -> Callable[..., None]:
        own = list(inspect.signature(body, eval_str=True).parameters.values())[1:]
        params = [*shared, *(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own)]

        @functools.wraps(body)
        def command(**values: Any) -> None:
            picked = {o.name: values.pop(o.name) for o in taken}
            for key in repeatable:
                picked[key] = tuple(picked[key] or ())
            body(Choices(command=name, **picked), **values)

        command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in params}
        return command

    return give
