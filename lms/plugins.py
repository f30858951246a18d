"""The plugin contract and the registry that holds what plugins contribute.

A plugin is a package exposing one :class:`Plugin` object, declared in its distribution's
``[project.entry-points."lms.plugins"]`` table. The ``LMS_PLUGINS`` setting is the allow-list:
only the plugins named there are loaded, in dependency order. First-party plugins (``courses``,
``quizzes``) load exactly like third-party ones.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any

import click
from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "lms.plugins"


class PluginError(RuntimeError):
    """A plugin could not be loaded; the message names it."""


@dataclass
class NavItem:
    """One entry of the main navigation."""

    #: Label shown in the menu (already translated, or a lazy string).
    label: Any
    #: Endpoint name for ``url_for``.
    endpoint: str
    #: Sort key; lower comes first.
    order: int = 50


@dataclass
class RunLink:
    """A link shown on a session's page (learner's overview or trainer's page)."""

    #: Label shown (already translated, or a lazy string).
    label: Any
    #: Target URL (already built).
    url: str
    #: Sort key; lower comes first.
    order: int = 50


@dataclass
class DashboardPanel:
    """A panel of the administrator's dashboard (« Tableau de bord »), rendered by the host."""

    #: Template drawing the panel (a ``<section>``); it reads ``panel.context``.
    template: str
    #: What the template needs (figures already aggregated: no query from the template).
    context: dict = field(default_factory=dict)
    #: Sort key; lower comes first.
    order: int = 50


@dataclass
class ActivityKind:
    """A kind of activity that a module can hold (lesson, memo, live session, quiz...)."""

    #: Stable identifier stored in ``Activity.kind``.
    name: str
    #: Human label (lazy string).
    label: Any
    #: File suffixes of a course folder handled by this kind (``.gift``...); ``.md`` files use
    #: the ``kind`` field of their front matter instead.
    suffixes: tuple[str, ...] = ()
    #: ``loader(path, text) -> dict`` turning an activity file into ``{"key", "title", "settings",
    #: "body"}``; raises ``courses.content.errors.ContentError`` with file and line on bad input.
    loader: Callable[..., dict] | None = None
    #: ``dumper(activity) -> (filename, text)`` writing an activity back to its file.
    dumper: Callable[..., tuple[str, str]] | None = None
    #: ``on_import(activity)``: called by the importer after the activity row is written
    #: (flushed), so the plugin can sync its own tables (instruments, questions) from
    #: ``activity.settings``.
    on_import: Callable[..., None] | None = None
    #: Endpoint of a page of the plugin's own showing the activity to a learner; receives
    #: ``run_id`` and ``activity_id`` (quizzes). Leave it empty to be shown inside the standard
    #: activity page (outline, breadcrumb, previous/next) through ``render``.
    endpoint: str | None = None
    #: ``render(activity, enrolment, done) -> str``: the HTML (already escaped or sanitised, safe
    #: to insert) of the activity's body on the standard activity page. Without it, the page shows
    #: the activity's rendered Markdown body.
    render: Callable[..., Any] | None = None
    #: ``submit(activity, enrolment, form) -> str | None``: called when the learner posts the
    #: activity's form (``courses.activity_done``, CSRF checked); save what the learner did, then
    #: return None when the activity is now completed or a message (translated) saying what is
    #: missing. The host records the completion and sends ``activity_completed``.
    submit: Callable[..., Any] | None = None
    #: Whether the learner marks the activity done with the standard « Marquer comme terminé »
    #: button (lessons, memo sheets, live sessions).
    learner_marks_done: bool = False
    #: Whether opening the page marks the activity as completed (lessons do not: the learner
    #: marks them done; quizzes complete on submission).
    complete_on_view: bool = False
    #: Icon name used in outlines.
    icon: str = "doc"

    def check(self) -> None:
        """Refuse a kind that could not be shown, completed or written back (PluginError)."""
        if self.suffixes and (self.loader is None or self.dumper is None):
            raise PluginError(
                f"activity kind {self.name!r} reads {', '.join(self.suffixes)} files: "
                "it needs both a loader and a dumper (export must re-import)"
            )
        if self.endpoint and (self.render or self.submit):
            raise PluginError(
                f"activity kind {self.name!r}: give either an endpoint (own page) "
                "or render/submit (standard page), not both"
            )


@dataclass
class QuestionType:
    """A question type that instruments can use; its settings live in JSON (no migration)."""

    #: Stable identifier stored in ``Question.type``.
    name: str
    #: Human label (lazy string).
    label: Any
    #: Whether answers are scored.
    graded: bool = True
    #: Extra callables (render, grade, validate...) defined by the quizzes plugin.
    handlers: dict[str, Callable] = field(default_factory=dict)
    #: Whether its template reads nothing but the variables it is given and the question's
    #: ``type``, ``position``, ``required``, ``settings`` and ``stem_html`` (no request, user,
    #: clock or database): the quizzes plugin may then keep the HTML of a question for the
    #: same inputs and language instead of rendering it again (see
    #: :func:`quizzes.qtypes.render_question`). Off unless the type says so.
    pure_render: bool = False


@dataclass
class Plugin:
    """What a plugin declares. Every attribute but ``name`` is optional."""

    #: Unique name; also the blueprint name and the template folder (``templates/<name>/``).
    name: str
    #: Names of plugins that must be loaded before this one.
    requires: tuple[str, ...] = ()
    #: The plugin's blueprint, registered on the app.
    blueprint: Blueprint | None = None
    #: Dotted name of the module defining the plugin's models (imported at start-up so that
    #: SQLAlchemy's metadata and Alembic see them).
    models: str | None = None
    #: Absolute path of the folder holding the plugin's Alembic version files.
    migrations: str | None = None
    #: A click group mounted under ``flask lms <name>`` (commands may also be mounted at the top
    #: of ``flask lms`` through ``cli_commands``).
    cli: click.Group | None = None
    #: Commands added directly under ``flask lms`` (``import``, ``export``...).
    cli_commands: tuple[click.Command, ...] = ()
    #: ``nav(user) -> Iterable[NavItem]``: navigation entries for the current user.
    nav: Callable[[Any], Iterable[NavItem]] | None = None
    #: ``dashboard(user) -> Iterable[DashboardPanel]``: panels of the administrator's dashboard
    #: (template name and context), shown in ``order``; each runs a fixed number of queries.
    dashboard: Callable[[Any], Iterable[DashboardPanel]] | None = None
    #: ``{category: label}`` (lazy strings) of the e-mails the plugin queues, shown in the mail log.
    mail_categories: dict[str, Any] = field(default_factory=dict)
    #: Activity kinds contributed.
    activity_kinds: tuple[ActivityKind, ...] = ()
    #: Question types contributed.
    question_types: tuple[QuestionType, ...] = ()
    #: ``setup(app)``: anything else to do once at start-up (signals, template filters...).
    setup: Callable[[Flask], None] | None = None
    #: ``tick(now)``: scheduled work done by ``flask lms tick``.
    tick: Callable[[Any], None] | None = None
    #: ``run_links(user, run, audience) -> Iterable[RunLink]``: links a plugin adds to a session's
    #: page; ``audience`` is ``"learner"`` (the learner's overview) or ``"trainer"``.
    run_links: Callable[[Any, Any, str], Iterable[RunLink]] | None = None
    #: Blueprints of JSON API routes (built with :func:`lms.api.api_blueprint`), mounted under
    #: ``/api/v1``, behind a bearer token and documented in ``/api/v1/openapi.json``.
    api_blueprints: tuple[Blueprint, ...] = ()
    #: Absolute path of a Babel catalog folder (``<lang>/LC_MESSAGES/messages.mo``) whose
    #: entries are added to the host's (the plugin's own entries win on the same msgid).
    translations: str | None = None
    #: ``demo(rng, now) -> list[str]``: load demonstration data (idempotent; ``rng`` is a seeded
    #: ``random.Random``); returns lines to print (logins...). Called by ``flask lms demo``.
    demo: Callable[[Any, Any], list[str]] | None = None
    #: ``personal_data(user) -> dict``: everything the plugin holds about ``user``, as data that
    #: ``json.dumps`` accepts (dates as ISO strings); added to the person's download (RGPD
    #: right of access, ``/parcours/mes-donnees``) as ``<plugin name>.json``.
    personal_data: Callable[[Any], dict] | None = None
    #: ``erase_personal_data(user)``: remove or replace what the plugin holds about ``user``
    #: (free texts, links), keeping what aggregates count; called before the host empties the
    #: account (RGPD right to erasure). Flushes; never commits.
    erase_personal_data: Callable[[Any], None] | None = None


class Registry:
    """What the loaded plugins contributed; lives in ``app.extensions["lms"]``."""

    def __init__(self) -> None:
        self.plugins: dict[str, Plugin] = {}
        self.activity_kinds: dict[str, ActivityKind] = {}
        self.question_types: dict[str, QuestionType] = {}
        #: Navigation entries of the host itself: ``host_nav(user) -> Iterable[NavItem]``.
        self.host_nav: Callable[[Any], Iterable[NavItem]] | None = None
        #: Dashboard panels of the host itself:
        #: ``host_dashboard(user) -> Iterable[DashboardPanel]``.
        self.host_dashboard: Callable[[Any], Iterable[DashboardPanel]] | None = None

    def add(self, plugin: Plugin) -> None:
        """Record a plugin and what it contributes; duplicate names are refused."""
        if plugin.name in self.plugins:
            raise PluginError(f"plugin {plugin.name!r} is loaded twice")
        self.plugins[plugin.name] = plugin
        for kind in plugin.activity_kinds:
            self.add_activity_kind(kind)
        for qtype in plugin.question_types:
            self.add_question_type(qtype)

    def add_activity_kind(self, kind: ActivityKind) -> None:
        """Register an activity kind under its unique name."""
        if kind.name in self.activity_kinds:
            raise PluginError(f"activity kind {kind.name!r} is registered twice")
        kind.check()
        self.activity_kinds[kind.name] = kind

    def add_question_type(self, qtype: QuestionType) -> None:
        """Register a question type under its unique name."""
        if qtype.name in self.question_types:
            raise PluginError(f"question type {qtype.name!r} is registered twice")
        self.question_types[qtype.name] = qtype

    def kind_for_suffix(self, suffix: str) -> ActivityKind | None:
        """Return the activity kind that reads files with this suffix, if any."""
        for kind in self.activity_kinds.values():
            if suffix in kind.suffixes:
                return kind
        return None

    def run_links(self, user, run, audience: str) -> list[RunLink]:
        """Collect the links every plugin adds to a session's page, sorted."""
        links: list[RunLink] = []
        for plugin in self.plugins.values():
            if plugin.run_links:
                links.extend(plugin.run_links(user, run, audience))
        return sorted(links, key=lambda link: link.order)

    def personal_data(self, user) -> dict[str, dict]:
        """What every plugin holds about ``user``: {plugin name: data}."""
        return {
            name: plugin.personal_data(user)
            for name, plugin in self.plugins.items()
            if plugin.personal_data
        }

    def erase_personal_data(self, user) -> None:
        """Let every plugin erase what it holds about ``user``."""
        for plugin in self.plugins.values():
            if plugin.erase_personal_data:
                plugin.erase_personal_data(user)

    def migration_locations(self) -> list[str]:
        """Return the Alembic version folders of the loaded plugins."""
        return [p.migrations for p in self.plugins.values() if p.migrations]

    def mail_category(self, key: str) -> str:
        """The label of an e-mail category (the key itself when no plugin names it)."""
        labels = {"general": _l("Général"), "password_reset": _l("Mot de passe oublié")}
        for plugin in self.plugins.values():
            labels.update(plugin.mail_categories)
        return str(labels.get(key, key))

    def nav_items(self, user) -> list[NavItem]:
        """Collect the navigation entries of every plugin for ``user``, sorted."""
        items: list[NavItem] = list(self.host_nav(user)) if self.host_nav else []
        for plugin in self.plugins.values():
            if plugin.nav:
                items.extend(plugin.nav(user))
        return sorted(items, key=lambda item: item.order)

    def dashboard_panels(self, user) -> list[DashboardPanel]:
        """Collect the dashboard panels of the host and every plugin for ``user``, sorted."""
        panels = list(self.host_dashboard(user)) if self.host_dashboard else []
        for plugin in self.plugins.values():
            if plugin.dashboard:
                panels.extend(plugin.dashboard(user))
        return sorted(panels, key=lambda panel: panel.order)


def get_registry(app: Flask | None = None) -> Registry:
    """Return the registry of ``app`` (or of the current app)."""
    if app is None:
        from flask import current_app

        app = current_app
    return app.extensions["lms"]


def _discover(names: list[str]) -> dict[str, Plugin]:
    """Load the allow-listed plugins from their entry points."""
    available = {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}
    found: dict[str, Plugin] = {}
    for name in names:
        if name not in available:
            raise PluginError(
                f"plugin {name!r} is in LMS_PLUGINS but no installed package declares it "
                f"in the {ENTRY_POINT_GROUP!r} entry-point group"
            )
        try:
            plugin = available[name].load()
        except Exception as exc:  # noqa: BLE001 - any import error must name the plugin
            raise PluginError(f"plugin {name!r} failed to load: {exc}") from exc
        if not isinstance(plugin, Plugin) or plugin.name != name:
            raise PluginError(f"plugin {name!r}: its entry point must give a Plugin named {name!r}")
        found[name] = plugin
    return found


def _ordered(plugins: dict[str, Plugin]) -> list[Plugin]:
    """Sort plugins so that each comes after those it requires."""
    ordered: list[Plugin] = []
    visiting: set[str] = set()

    def visit(plugin: Plugin) -> None:
        if plugin in ordered:
            return
        if plugin.name in visiting:
            raise PluginError(f"plugin {plugin.name!r} has a circular requirement")
        visiting.add(plugin.name)
        for req in plugin.requires:
            if req not in plugins:
                raise PluginError(f"plugin {plugin.name!r} requires {req!r}, which is not enabled")
            visit(plugins[req])
        visiting.discard(plugin.name)
        ordered.append(plugin)

    for plugin in plugins.values():
        visit(plugin)
    return ordered


def _add_translations(app: Flask, folder: str) -> None:
    """Add a plugin's catalog folder after the host's (Flask-Babel merges them in order)."""
    babel = app.extensions.get("babel")
    if babel is not None and folder not in babel.translation_directories:
        babel.translation_directories.append(folder)


def load_plugins(app: Flask) -> Registry:
    """Discover, order and register the plugins named in ``LMS_PLUGINS``."""
    raw = app.config.get("LMS_PLUGINS") or ""
    names = [n.strip() for n in (raw.split(",") if isinstance(raw, str) else raw) if n.strip()]
    registry = Registry()
    app.extensions["lms"] = registry
    for plugin in _ordered(_discover(names)):
        if plugin.models:
            import_module(plugin.models)
        registry.add(plugin)
        if plugin.translations:
            _add_translations(app, plugin.translations)
        if plugin.blueprint is not None:
            app.register_blueprint(plugin.blueprint)
        if plugin.setup:
            plugin.setup(app)
        log.debug("plugin %s loaded", plugin.name)
    return registry
