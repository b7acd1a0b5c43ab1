"""An independent imitation of LinkedIn's Visibility settings, built only from
the site facts (docs/real-site.md), not from fixtures/: a small cookie-gated site whose
setting pages are drawn by script after load, save through a background request
carrying the csrf-token header (the JSESSIONID rule), and show after a reload
what the server kept.

Where the facts are silent the DOM is our own choice, and `Config` varies it:
native radios with <label for>, [role=radio] divs in a [role=radiogroup]
(with or without aria-checked="false" on the unchosen ones), inputs hidden under
a styled wrapper that takes the click; placeholders drawn before the member's
value; saves that fail and revert, or succeed with no toast; <code> data that
disagrees with the rendered control; answers the tool does not know; settings a
region does not offer ("page not found").
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

# --- the settings, as the server keeps them ---------------------------------------------

EN, NL, DE, FR = "en", "nl", "de", "fr"


@dataclass(frozen=True)
class Option:
    value: str  # the server's value
    tool: str  # the tool's name for it (selectors/site.toml)
    labels: dict[str, str]
    element_id: str = ""


@dataclass(frozen=True)
class Control:
    key: str  # the server's key
    tool: str  # the tool's key
    question: dict[str, str]
    options: tuple[Option, ...] = ()  # a choice; none: a switch
    default: Any = None  # what a placeholder shows before the member's value

    @property
    def is_choice(self) -> bool:
        return bool(self.options)


def _degrees(prefix: str, everyone: dict[str, str]) -> tuple[Option, ...]:
    return (
        Option("EVERYONE", "everyone", everyone),
        Option(
            "SECOND_DEGREE",
            "second-degree",
            {
                EN: "2nd-degree connections",
                NL: "2e-graads connecties",
                DE: "Kontakte 2. Grades",
                FR: "Relations de 2e niveau",
            },
        ),
        Option(
            "FIRST_DEGREE",
            "connections",
            {
                EN: "1st-degree connections",
                NL: "1e-graads connecties",
                DE: "Kontakte 1. Grades",
                FR: "Relations de 1er niveau",
            },
        ),
        Option("NOBODY", "nobody", {EN: "Nobody", NL: "Niemand", DE: "Niemand", FR: "Personne"}),
    )


PROFILE_VIEWING = Control(
    "profileViewing",
    "profile-viewing",
    {
        EN: "Choose whether you're visible or viewing in private mode",
        NL: "Kies of u zichtbaar bent of in de privémodus bekijkt",
        DE: "Wählen Sie, ob Sie sichtbar sind oder im privaten Modus ansehen",
        FR: "Choisissez si vous êtes visible ou en mode privé",
    },
    (
        Option(
            "DISCLOSE_FULL",
            "name-and-headline",
            {
                EN: "Your name and headline",
                NL: "Uw naam en kopregel",
                DE: "Ihr Name und Ihre Überschrift",
                FR: "Vos nom et titre",
            },
            "discloseAsProfileViewer__DISCLOSE_FULL",
        ),
        Option(
            "DISCLOSE_ANONYMOUS",
            "private-characteristics",
            {
                EN: "Private profile characteristics",
                NL: "Privé-profielkenmerken",
                DE: "Private Profilmerkmale",
                FR: "Caractéristiques de profil privé",
            },
            "discloseAsProfileViewer__DISCLOSE_ANONYMOUS",
        ),
        Option(
            "HIDE",
            "private",
            {EN: "Private mode", NL: "Privémodus", DE: "Privater Modus", FR: "Mode privé"},
            "discloseAsProfileViewer__HIDE",
        ),
    ),
    "DISCLOSE_FULL",
)
EMAIL_VISIBILITY = Control(
    "emailVisibility",
    "email-visibility",
    {
        EN: "Who can see your email address?",
        NL: "Wie kan uw e-mailadres zien?",
        DE: "Wer kann Ihre E-Mail-Adresse sehen?",
        FR: "Qui peut voir votre adresse e-mail ?",
    },
    (
        Option(
            "ONLY_ME",
            "only-me",
            {
                EN: "Only visible to me",
                NL: "Alleen zichtbaar voor mij",
                DE: "Nur für mich sichtbar",
                FR: "Visible uniquement par moi",
            },
        ),
        Option(
            "FIRST_DEGREE",
            "connections",
            {
                EN: "1st-degree connections",
                NL: "1e-graads connecties",
                DE: "Kontakte 1. Grades",
                FR: "Relations de 1er niveau",
            },
        ),
        Option(
            "SECOND_DEGREE",
            "second-degree",
            {
                EN: "1st and 2nd-degree connections",
                NL: "1e- en 2e-graads connecties",
                DE: "Kontakte 1. und 2. Grades",
                FR: "Relations de 1er et 2e niveau",
            },
        ),
        Option(
            "EVERYONE",
            "everyone",
            {
                EN: "Anyone on LinkedIn",
                NL: "Iedereen op LinkedIn",
                DE: "Alle LinkedIn-Mitglieder",
                FR: "Tout le monde sur LinkedIn",
            },
        ),
    ),
    "EVERYONE",
)
EMAIL_DOWNLOAD = Control(
    "allowEmailExport",
    "email-download",
    {
        EN: "Allow your connections to download your email address in their data export",
        NL: "Uw connecties toestaan uw e-mailadres te downloaden in hun gegevensexport",
        DE: "Ihren Kontakten erlauben, Ihre E-Mail-Adresse in ihrem Datenexport herunterzuladen",
        FR: (
            "Autoriser vos relations à télécharger votre adresse e-mail dans leur export de données"
        ),
    },
    default=True,
)
CONNECTIONS = Control(
    "allowConnectionsBrowse",
    "connections-visibility",
    {
        EN: "Allow your connections to see your connections list",
        NL: "Uw connecties toestaan uw lijst met connecties te zien",
        DE: "Ihren Kontakten erlauben, Ihre Kontaktliste zu sehen",
        FR: "Autoriser vos relations à voir votre liste de relations",
    },
    default=True,
)
EVERYONE_DISCOVER = {EN: "Everyone", NL: "Iedereen", DE: "Alle", FR: "Tout le monde"}
DISCOVER_EMAIL = Control(
    "discoverByEmail",
    "discover-by-email",
    {
        EN: "Who can discover your profile if they have your email address?",
        NL: "Wie kan uw profiel vinden als ze uw e-mailadres hebben?",
        DE: "Wer kann Ihr Profil finden, wenn er Ihre E-Mail-Adresse hat?",
        FR: "Qui peut découvrir votre profil s'il a votre adresse e-mail ?",
    },
    _degrees("email", EVERYONE_DISCOVER),
    "EVERYONE",
)
DISCOVER_PHONE = Control(
    "discoverByPhone",
    "discover-by-phone",
    {
        EN: "Who can discover your profile if they have your phone number?",
        NL: "Wie kan uw profiel vinden als ze uw telefoonnummer hebben?",
        DE: "Wer kann Ihr Profil finden, wenn er Ihre Telefonnummer hat?",
        FR: "Qui peut découvrir votre profil s'il a votre numéro de téléphone ?",
    },
    _degrees("phone", EVERYONE_DISCOVER),
    "EVERYONE",
)
OFF_LINKEDIN = Control(
    "profileVisibleOffLinkedIn",
    "discovery-off-linkedin",
    {
        EN: "Allow your profile to be discovered and shown off LinkedIn",
        NL: "Toestaan dat uw profiel buiten LinkedIn wordt gevonden en getoond",
        DE: "Erlauben, dass Ihr Profil außerhalb von LinkedIn gefunden und angezeigt wird",
        FR: "Autoriser la découverte et l'affichage de votre profil en dehors de LinkedIn",
    },
    default=True,
)
PAGE_ADMINS = Control(
    "allowPageAdminExport",
    "page-admins-export",
    {
        EN: "Allow Page owners to export your data",
        NL: "Paginabeheerders toestaan uw gegevens te exporteren",
        DE: "Seiteninhabern erlauben, Ihre Daten zu exportieren",
        FR: "Autoriser les propriétaires de pages à exporter vos données",
    },
    default=True,
)
SHARE_UPDATES = Control(
    "notifyNetwork",
    "share-profile-updates",
    {
        EN: "Share key profile updates with your network",
        NL: "Belangrijke profielupdates delen met uw netwerk",
        DE: "Wichtige Profilaktualisierungen mit Ihrem Netzwerk teilen",
        FR: "Partager les principales mises à jour du profil avec votre réseau",
    },
    default=True,
)
CONTROLS = (
    PROFILE_VIEWING,
    EMAIL_VISIBILITY,
    EMAIL_DOWNLOAD,
    CONNECTIONS,
    DISCOVER_EMAIL,
    DISCOVER_PHONE,
    OFF_LINKEDIN,
    PAGE_ADMINS,
    SHARE_UPDATES,
)
BY_TOOL = {c.tool: c for c in CONTROLS}
BY_KEY = {c.key: c for c in CONTROLS}


@dataclass(frozen=True)
class SettingPage:
    path: str
    heading: dict[str, str]
    controls: tuple[Control, ...]


def _same(text: str) -> dict[str, str]:
    return {EN: text, NL: text, DE: text, FR: text}


VIS = "/mypreferences/d/settings/"
PAGES = (
    SettingPage(
        "/mypreferences/d/profile-viewing-options",
        {
            EN: "Profile viewing options",
            NL: "Opties voor het bekijken van profielen",
            DE: "Optionen zum Anzeigen von Profilen",
            FR: "Options d'affichage du profil",
        },
        (PROFILE_VIEWING,),
    ),
    SettingPage(
        VIS + "email-address-visibility",
        {
            EN: "Who can see or download your email address",
            NL: "Wie uw e-mailadres kan zien of downloaden",
            DE: "Wer Ihre E-Mail-Adresse sehen oder herunterladen kann",
            FR: "Qui peut voir ou télécharger votre adresse e-mail",
        },
        (EMAIL_VISIBILITY, EMAIL_DOWNLOAD),
    ),
    SettingPage(
        VIS + "connections-visibility",
        {
            EN: "Who can see your connections",
            NL: "Wie kan uw connecties zien",
            DE: "Wer kann Ihre Kontakte sehen",
            FR: "Qui peut voir vos relations",
        },
        (CONNECTIONS,),
    ),
    SettingPage(
        VIS + "discover-me-by-email-address",
        {
            EN: "Profile discovery using email address",
            NL: "Profiel vinden met e-mailadres",
            DE: "Profil über E-Mail-Adresse finden",
            FR: "Découverte du profil à l'aide de l'adresse e-mail",
        },
        (DISCOVER_EMAIL,),
    ),
    SettingPage(
        VIS + "discover-me-by-phone-number",
        {
            EN: "Profile discovery using phone number",
            NL: "Profiel vinden met telefoonnummer",
            DE: "Profil über Telefonnummer finden",
            FR: "Découverte du profil à l'aide du numéro de téléphone",
        },
        (DISCOVER_PHONE,),
    ),
    SettingPage(
        VIS + "profile-visibility-for-partners",
        {
            EN: "Profile discovery and visibility off LinkedIn",
            NL: "Profiel vinden en zichtbaarheid buiten LinkedIn",
            DE: "Profil finden und Sichtbarkeit außerhalb von LinkedIn",
            FR: "Découverte et visibilité du profil en dehors de LinkedIn",
        },
        (OFF_LINKEDIN,),
    ),
    SettingPage(
        VIS + "data-export-by-page-admins",
        {
            EN: "Page owners exporting your data",
            NL: "Paginabeheerders die uw gegevens exporteren",
            DE: "Export Ihrer Daten durch Seiteninhaber",
            FR: "Exportation de vos données par les propriétaires de pages",
        },
        (PAGE_ADMINS,),
    ),
    SettingPage(
        VIS + "notify-network-for-updates",
        {
            EN: "Share profile updates with your network",
            NL: "Profielupdates delen met uw netwerk",
            DE: "Profilaktualisierungen mit Ihrem Netzwerk teilen",
            FR: "Partager les mises à jour du profil avec votre réseau",
        },
        (SHARE_UPDATES,),
    ),
)
PAGE_OF = {c.key: p for p in PAGES for c in p.controls}

# The member's values as LinkedIn's defaults have them: everything open.
DEFAULTS: dict[str, Any] = {c.key: c.default for c in CONTROLS}

LANDING = "/mypreferences/d/categories/account"
PRIVACY_HUB = "/mypreferences/d/categories/privacy"
VIS_HUB = "/mypreferences/d/categories/profile-visibility"
NOT_FOUND = "/mypreferences/page-not-found"
API = "/voyager/api/mypreferences/settings"

UI: dict[str, dict[str, str]] = {
    "settings": {EN: "Settings", NL: "Instellingen", DE: "Einstellungen", FR: "Préférences"},
    "account": {
        EN: "Account preferences",
        NL: "Accountvoorkeuren",
        DE: "Kontoeinstellungen",
        FR: "Préférences du compte",
    },
    "privacy": {
        EN: "Data privacy",
        NL: "Gegevensprivacy",
        DE: "Datenschutz",
        FR: "Confidentialité des données",
    },
    "visibility": {EN: "Visibility", NL: "Zichtbaarheid", DE: "Sichtbarkeit", FR: "Visibilité"},
    "uses": {
        EN: "How LinkedIn uses your data",
        NL: "Hoe LinkedIn uw gegevens gebruikt",
        DE: "So verwendet LinkedIn Ihre Daten",
        FR: "Comment LinkedIn utilise vos données",
    },
    "section1": {
        EN: "Visibility of your profile & network",
        NL: "Zichtbaarheid van uw profiel en netwerk",
        DE: "Sichtbarkeit Ihres Profils und Netzwerks",
        FR: "Visibilité de votre profil et de votre réseau",
    },
    "section2": {
        EN: "Visibility of your LinkedIn activity",
        NL: "Zichtbaarheid van uw LinkedIn-activiteit",
        DE: "Sichtbarkeit Ihrer LinkedIn-Aktivitäten",
        FR: "Visibilité de votre activité LinkedIn",
    },
    "public": {
        EN: "Edit your public profile",
        NL: "Uw openbare profiel bewerken",
        DE: "Öffentliches Profil bearbeiten",
        FR: "Modifier votre profil public",
    },
    "on": {EN: "On", NL: "Aan", DE: "Ein", FR: "Activé"},
    "off": {EN: "Off", NL: "Uit", DE: "Aus", FR: "Désactivé"},
    "saved": {
        EN: "Your setting has been saved",
        NL: "Uw instelling is opgeslagen",
        DE: "Ihre Einstellung wurde gespeichert",
        FR: "Votre préférence a été enregistrée",
    },
    "failed": {
        EN: "Something went wrong. Please try again.",
        NL: "Er is iets misgegaan. Probeer het opnieuw.",
        DE: "Es ist ein Fehler aufgetreten. Bitte versuchen Sie es erneut.",
        FR: "Un problème est survenu. Veuillez réessayer.",
    },
    "notfound": {
        EN: "Page not found",
        NL: "Pagina niet gevonden",
        DE: "Seite nicht gefunden",
        FR: "Page introuvable",
    },
    "back": {EN: "Back", NL: "Terug", DE: "Zurück", FR: "Retour"},
}

# --- what varies -------------------------------------------------------------------------


@dataclass
class Config:
    lang: str = EN
    # How a choice is drawn: "native" (<input type=radio> + <label for>), "aria"
    # ([role=radio] divs with aria-checked true/false in a labelled [role=radiogroup]),
    # "aria-sparse" (only the chosen one says aria-checked="true"), "wrapped"
    # (the input hidden under a styled wrapper that takes the click; switches too).
    radio_style: str = "native"
    # A placeholder drawn before the member's values: "" (none: the page draws once
    # they came), "disabled-default" (the defaults, disabled), "busy-none" (nothing
    # chosen, in an aria-busy container), "silent-default" (the defaults, enabled,
    # no sign at all, the values asked for only after `pause_ms`).
    placeholder: str = ""
    pause_ms: int = 0  # before the page asks for the member's values
    value_delay_s: float = 0.0  # the server's delay in answering that request
    save_fail: set[str] = field(default_factory=set)  # server keys whose save answers 500
    toast: bool = True  # a confirmation after a save
    # <code> data: "agree" (what the server holds), "disagree" (another value).
    code: str = "agree"
    extra_options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    renamed: dict[tuple[str, str], str] = field(default_factory=dict)  # (key, value) -> label
    absent: set[str] = field(default_factory=set)  # server keys this region lacks
    hub_values: bool = True  # rows on the Visibility hub show the current value
    moved: dict[str, str] = field(default_factory=dict)  # a page's new path (the old: gone)
    forget: set[str] = field(default_factory=set)  # saves answered 200 and not kept


# --- the server ------------------------------------------------------------------------------


@dataclass
class Logged:
    method: str
    path: str
    headers: dict[str, str]
    body: Any = None


class ImitationSite:
    def __init__(self) -> None:
        self.config = Config()
        self.values: dict[str, Any] = dict(DEFAULTS)
        self.sessions: set[str] = set()
        self.requests: list[Logged] = []
        self.saves: list[tuple[str, Any]] = []  # (key, value) of every save that was kept
        self.refused: list[str] = []  # why a request was refused (csrf, session)
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                site.handle(self, "GET")

            def do_POST(self) -> None:
                site.handle(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self, **config: Any) -> None:
        with self.lock:
            self.config = Config(**config)
            self.values = dict(DEFAULTS)
            self.requests.clear()
            self.saves.clear()
            self.refused.clear()

    def new_session(self) -> str:
        value = "AQED" + secrets.token_hex(16)
        self.sessions.add(value)
        return value

    # What the tests read: the member's values in the tool's words.
    def tool_value(self, tool_key: str) -> str:
        control = BY_TOOL[tool_key]
        value = self.values[control.key]
        if control.is_choice:
            return next(o.tool for o in control.options if o.value == value)
        return "on" if value else "off"

    def set_tool_value(self, tool_key: str, tool_value: str) -> None:
        control = BY_TOOL[tool_key]
        if control.is_choice:
            self.values[control.key] = next(
                o.value for o in control.options if o.tool == tool_value
            )
        else:
            self.values[control.key] = tool_value == "on"

    def posts(self) -> list[Logged]:
        return [r for r in self.requests if r.method != "GET"]

    # --- requests ---------------------------------------------------------------------

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(h.path)
        path = parts.path.rstrip("/") or "/"
        cookies = _cookies(h.headers.get("Cookie", ""))
        body = None
        if method == "POST":
            length = int(h.headers.get("Content-Length") or 0)
            raw = h.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"null")
            except ValueError:
                body = raw.decode(errors="replace")
        with self.lock:
            self.requests.append(Logged(method, path, dict(h.headers.items()), body))
        if "HeadlessChrome" in h.headers.get("User-Agent", ""):
            self.refused.append(f"HeadlessChrome User-Agent on {path}")
        set_cookies = []
        if "JSESSIONID" not in cookies:
            token = f"ajax:{secrets.randbelow(10**19):019d}"
            cookies["JSESSIONID"] = f'"{token}"'
            set_cookies.append(f'JSESSIONID="{token}"; Path=/')
        if path in ("/login", "/favicon.ico"):
            _send(h, 200 if path == "/login" else 404, _login_page(), set_cookies)
            return
        if cookies.get("li_at") not in self.sessions:
            self.refused.append(f"no session on {path}")
            if path.startswith("/voyager/"):
                _send(h, 401, "{}", set_cookies, "application/json")
            else:
                _redirect(h, "/login?session_redirect=" + path, set_cookies)
            return
        if path == API:
            self.api(h, method, parts.query, body, cookies, set_cookies)
            return
        if method != "GET":
            _send(h, 405, "", set_cookies)
            return
        page = self.page(path)
        if page is None:
            if path == NOT_FOUND:
                _send(h, 200, self.not_found_page(), set_cookies)
            elif path.startswith("/mypreferences/"):
                _redirect(h, NOT_FOUND, set_cookies)
            else:
                _send(h, 404, self.not_found_page(), set_cookies)
            return
        _send(h, 200, page, set_cookies)

    def api(
        self,
        h: BaseHTTPRequestHandler,
        method: str,
        query: str,
        body: Any,
        cookies: dict[str, str],
        set_cookies: list[str],
    ) -> None:
        config = self.config
        if method == "GET":
            keys = parse_qs(query).get("keys", [""])[0].split(",")
            if config.value_delay_s:
                time.sleep(config.value_delay_s)
            with self.lock:
                values = {k: self.values[k] for k in keys if k in self.values}
            _send(h, 200, json.dumps(values), set_cookies, "application/json")
            return
        token = cookies.get("JSESSIONID", "").strip('"')
        if h.headers.get("csrf-token") != token:
            self.refused.append("csrf-token missing or wrong on a save")
            _send(h, 403, '{"status":403}', set_cookies, "application/json")
            return
        if not isinstance(body, dict) or body.get("key") not in BY_KEY:
            _send(h, 400, '{"status":400}', set_cookies, "application/json")
            return
        key, value = body["key"], body.get("value")
        control = BY_KEY[key]
        valid = (
            value in {o.value for o in control.options}
            if control.is_choice
            else isinstance(value, bool)
        )
        if not valid:
            _send(h, 400, '{"status":400}', set_cookies, "application/json")
            return
        if key in config.save_fail:
            _send(h, 500, '{"status":500}', set_cookies, "application/json")
            return
        with self.lock:
            if key not in config.forget:
                self.values[key] = value
                self.saves.append((key, value))
        _send(h, 200, json.dumps({key: value}), set_cookies, "application/json")

    # --- pages -----------------------------------------------------------------------------

    def page(self, path: str) -> str | None:
        lang = self.config.lang
        if path == LANDING:
            return _shell(lang, UI["account"][lang], "<h1>" + _t("account", lang) + "</h1>", "")
        if path == PRIVACY_HUB:
            # Recognizable by its section only: this region offers none of the
            # data-use settings (their pages say "page not found"), so that a run
            # of every group reaches the Visibility pages and reads them.
            content = (
                f"<h1>{_t('privacy', lang)}</h1><section><h2>{_t('uses', lang)}</h2>"
                "<p>" + "Manage how your data is used across LinkedIn. " * 3 + "</p></section>"
            )
            return _shell(lang, UI["privacy"][lang], content, "")
        if path == VIS_HUB:
            return _shell(lang, UI["visibility"][lang], "", self.hub_script())
        moved = {new: old for old, new in self.config.moved.items()}
        if path in self.config.moved:
            return None
        for page in PAGES:
            if page.path == moved.get(path, path):
                if any(c.key in self.config.absent for c in page.controls):
                    return None
                return _shell(
                    lang, page.heading[lang], self.code_blocks(page), self.page_script(page)
                )
        return None

    def not_found_page(self) -> str:
        lang = self.config.lang
        return _shell(lang, UI["notfound"][lang], f"<h1>{_t('notfound', lang)}</h1>", "")

    def options_of(self, control: Control) -> list[dict[str, str]]:
        lang = self.config.lang
        out = [
            {
                "value": o.value,
                "label": self.config.renamed.get((control.key, o.value), o.labels[lang]),
                "id": o.element_id,
            }
            for o in control.options
        ]
        for value, label in self.config.extra_options.get(control.key, []):
            out.append({"value": value, "label": label, "id": ""})
        return out

    def code_blocks(self, page: SettingPage) -> str:
        """The settings as JSON in <code> blocks, as LinkedIn embeds them."""
        blocks = []
        for control in page.controls:
            value = self.values[control.key]
            if self.config.code == "disagree":
                if control.is_choice:
                    values = [o.value for o in control.options]
                    value = values[-1] if value == values[0] else values[0]
                else:
                    value = not value
            data = {
                "key": control.key,
                "settingDisplayType": "RADIO" if control.is_choice else "TOGGLE",
                "settingDisplayValues": [
                    {
                        "value": o["value"],
                        "displayText": o["label"],
                        "selected": o["value"] == value,
                    }
                    for o in self.options_of(control)
                ]
                if control.is_choice
                else [{"value": value, "selected": True}],
            }
            blocks.append(
                f'<code style="display:none" id="bpr-guid-{control.key}">'
                f"{html.escape(json.dumps(data))}</code>"
            )
        return "".join(blocks)

    def page_script(self, page: SettingPage) -> str:
        lang = self.config.lang
        spec = {
            "lang": lang,
            "heading": page.heading[lang],
            "style": self.config.radio_style,
            "placeholder": self.config.placeholder,
            "pauseMs": self.config.pause_ms,
            "toast": self.config.toast,
            "words": {k: v[lang] for k, v in UI.items()},
            "controls": [
                {
                    "key": c.key,
                    "question": c.question[lang],
                    "choice": c.is_choice,
                    "options": self.options_of(c),
                    "default": c.default,
                }
                for c in page.controls
            ],
        }
        return f"<script>const SPEC = {json.dumps(spec)};\n{PAGE_JS}</script>"

    def hub_script(self) -> str:
        lang = self.config.lang
        rows = []
        for section, pages in (("section1", PAGES[:6]), ("section2", PAGES[6:])):
            items = []
            for page in pages:
                if any(c.key in self.config.absent for c in page.controls):
                    continue
                first = page.controls[0]
                items.append(
                    {
                        "href": self.config.moved.get(page.path, page.path),
                        "title": page.heading[lang],
                        "key": first.key if self.config.hub_values else "",
                        "options": self.options_of(first) if first.is_choice else [],
                    }
                )
            if section == "section1":
                items.append({"href": "/public-profile/settings", "title": _t("public", lang)})
            rows.append({"title": _t(section, lang), "rows": items})
        spec = {
            "sections": rows,
            "heading": _t("visibility", lang),
            "words": {"on": _t("on", lang), "off": _t("off", lang)},
        }
        return f"<script>const HUB = {json.dumps(spec)};\n{HUB_JS}</script>"


def _t(key: str, lang: str) -> str:
    return html.escape(UI[key][lang])


def _cookies(header: str) -> dict[str, str]:
    out = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            out[name] = value
    return out


def _send(
    h: BaseHTTPRequestHandler,
    status: int,
    body: str,
    set_cookies: list[str],
    content_type: str = "text/html; charset=utf-8",
) -> None:
    data = body.encode()
    h.send_response(status)
    h.send_header("Content-Type", content_type)
    h.send_header("Content-Length", str(len(data)))
    h.send_header("Cache-Control", "no-store")
    for cookie in set_cookies:
        h.send_header("Set-Cookie", cookie)
    h.end_headers()
    h.wfile.write(data)


def _redirect(h: BaseHTTPRequestHandler, to: str, set_cookies: list[str]) -> None:
    h.send_response(302)
    h.send_header("Location", to)
    h.send_header("Content-Length", "0")
    for cookie in set_cookies:
        h.send_header("Set-Cookie", cookie)
    h.end_headers()


def _login_page() -> str:
    return (
        "<!doctype html><html lang='en'><body><h1>Sign in</h1><form>"
        "<input id='username' name='session_key'><input id='password' type='password'>"
        "<button>Sign in</button></form></body></html>"
    )


def _shell(lang: str, title: str, content: str, script: str) -> str:
    """Every settings page: the global navigation, the settings menu on the left
    (naming every hub, Data privacy included), and the page's own content."""
    nav = (
        "<header role='banner'><nav aria-label='Primary'><a href='/feed/'>Home</a>"
        "<a href='/mynetwork/'>My Network</a><a href='/in/me/'><img alt='Me'> Me</a></nav></header>"
    )
    menu = (
        "<nav aria-label='Settings'><ul>"
        f"<li><a href='{LANDING}'>{_t('account', lang)}</a></li>"
        f"<li><a href='{VIS_HUB}'>{_t('visibility', lang)}</a></li>"
        f"<li><a href='{PRIVACY_HUB}'>{_t('privacy', lang)}</a></li>"
        "</ul></nav>"
    )
    return (
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>"
        f"{html.escape(title)} | LinkedIn</title><style>{CSS}</style></head><body>{nav}"
        f"<div class='layout'>{menu}<main id='app'>{content}</main></div>"
        f"<div id='toasts' aria-live='polite'></div>{script}</body></html>"
    )


CSS = """
body { font-family: sans-serif; margin: 0; }
.layout { display: flex; gap: 24px; padding: 16px; }
.choice-row { position: relative; display: flex; align-items: center; gap: 8px;
  padding: 6px; cursor: pointer; }
.choice-row input { position: absolute; left: 6px; opacity: 0; pointer-events: none; }
.dot { width: 16px; height: 16px; border-radius: 50%; border: 2px solid #666;
  display: inline-block; }
.choice-row.on .dot { background: #0a66c2; }
.toggle-wrap { position: relative; display: inline-block; width: 40px; height: 20px;
  cursor: pointer; }
.toggle-wrap input { position: absolute; inset: 0; opacity: 0; pointer-events: none; margin: 0; }
.track { display: block; width: 40px; height: 20px; border-radius: 10px; background: #999; }
.toggle-wrap.on .track { background: #0a66c2; }
[role=radio] { padding: 6px; cursor: pointer; }
"""

HERE = Path(__file__).parent
PAGE_JS = (HERE / "imitation_visibility_page.js").read_text()
HUB_JS = (HERE / "imitation_visibility_hub.js").read_text()
