"""The typer application every command module registers on, and the guard around every command.

:class:`Group` does three things before and around a command:

* reads the language of the command line before parsing it (``--lang``, else ``$IMPACTKIT_LANG``,
  else the locale) and puts the help and the usage errors in that language: help texts are keys
  into :mod:`impactkit.cli._texts`, resolved when the command line is known;
* turns every failure into its exit code and one clear message (:mod:`impactkit.cli._failures`),
  for usage errors too, so that no command can forget it and no traceback reaches the user
  (``--debug`` shows it for internal errors);
* answers ``--version``.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from difflib import get_close_matches
from typing import Any

import typer
import typer.rich_utils
from rich.console import Console
from rich.markup import escape
from typer.core import TyperCommand, TyperGroup

from impactkit._version import __version__
from impactkit.cli import _failures
from impactkit.cli._session import Session, current
from impactkit.cli._texts import is_text, lang_from, t

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "Command", "Group", "app", "console", "err_console"]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = _failures.EXIT_OK, _failures.EXIT_INVALID, _failures.EXIT_USAGE
# plain consoles for commands that print without a session (new commands use ``start(ctx).out/err``)
console = Console()
err_console = Console(stderr=True)


def _localise(text: str | None, lang: str) -> str | None:
    return t(text, lang) if text is not None and is_text(text) else text


def _localise_params(command: Any, lang: str) -> None:
    """Help text, panel, metavar and default of every parameter in ``lang``."""
    for p in command.params:
        if is_text(getattr(p, "help", None)):
            p.help = _localise(p.help, lang)
        panel = getattr(p, "rich_help_panel", None)
        if is_text(panel):
            p.rich_help_panel = _localise(panel, lang)
        elif panel is None and hasattr(p, "rich_help_panel"):
            kind = "panel.arguments" if p.param_type_name == "argument" else "panel.options"
            p.rich_help_panel = t(kind, lang)
        if getattr(p, "is_flag", False):
            p.metavar = ""  # a switch takes no value
        elif is_text(p.metavar):
            p.metavar = t(p.metavar, lang)
        if getattr(p, "show_default", None) is not False and p.param_type_name == "option":
            default = p.default
            shown = getattr(default, "value", default)
            if not (shown is None or shown is False or shown == [] or shown == ()) and p.help:
                p.help = f"{p.help} {escape(t('help.default', lang, value=shown))}"
            p.show_default = False


class Command(TyperCommand):
    """A command whose ``--help`` option speaks the language of the command line."""

    lang = "en"

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _format_usage(self, ctx, formatter)

    def get_help_option(self, ctx: Any) -> Any:
        opt = super().get_help_option(ctx)
        if opt is not None:
            opt.help = t("help.help", self.lang)
            opt.rich_help_panel = t("panel.output", self.lang)
            opt.metavar = ""  # a switch takes no value (rich would show "<bool>")
        return opt


def _usage_message(err: Any, lang: str) -> str:
    """A usage error of the command-line parser in ``lang`` (its structure, not its English text)."""
    name = type(err).__name__
    param = getattr(err, "param", None)
    shown = None
    if param is not None:
        opts = [o for o in getattr(param, "opts", []) if o.startswith("--")]
        shown = opts[0] if opts else (param.metavar or (param.name or "").upper())  # PAD, not PATH
    if name == "MissingParameter" and shown:
        return t("usage_missing", lang, what=shown)
    if name == "NoSuchOption":
        message = t("usage_no_option", lang, name=getattr(err, "option_name", "?"))
        possible = getattr(err, "possibilities", None)
        if possible:
            message += " " + t("usage_did_you_mean", lang, names=", ".join(sorted(possible)))
        return message
    if name == "BadParameter" and shown:
        reason = _invalid_reason(err, lang)
        if reason is None:
            reason = str(err.message) if getattr(err, "message", None) else str(err)
        return t("usage_invalid", lang, name=shown, reason=reason)
    text = str(getattr(err, "message", "") or err)
    for pattern, key in _PARSER_TEXTS:  # the parser's own fixed sentences (click, vendored by typer)
        found = pattern.match(text)
        if found:
            return t(key, lang, **found.groupdict())
    return str(err.format_message() if hasattr(err, "format_message") else err)


# the parser's fixed English sentences (typer/_click/parser.py, core.py), by their structure
_PARSER_TEXTS = (
    (re.compile(r"^Missing command\.$"), "usage_missing_command"),
    (re.compile(r"^Option '(?P<name>[^']+)' requires (?:an argument|\d+ arguments)\.$"), "usage_needs_value"),
    (re.compile(r"^Option '(?P<name>[^']+)' does not take a value\.$"), "usage_no_value"),
    (re.compile(r"^Got unexpected extra arguments? ?(?:\(s\))? \((?P<args>.*)\)$", re.S), "usage_extra"),
)
# pydantic's error types of a typer parameter that failed to convert, by their structure
_LIMITS = {"greater_than_equal": ("ge", "usage_at_least"), "less_than_equal": ("le", "usage_at_most"),
           "greater_than": ("gt", "usage_above"), "less_than": ("lt", "usage_below")}  # fmt: skip
_NOT_A = {"int_parsing": "usage_not_integer", "int_from_float": "usage_not_integer",
          "float_parsing": "usage_not_number"}  # fmt: skip


def _invalid_reason(err: Any, lang: str) -> str | None:
    """Why a value did not convert, in ``lang``, from the structured errors typer's pydantic
    validation gives (``err.__cause__.errors()``); None for an error of another shape."""
    cause = err.__cause__
    errors = getattr(cause, "errors", None)
    if not callable(errors):
        return None
    try:
        first = errors()[0]
    except (IndexError, TypeError):
        return None
    kind, value, context = first.get("type"), first.get("input"), first.get("ctx") or {}
    if kind in _NOT_A:
        return t(_NOT_A[kind], lang, value=value)
    if kind in _LIMITS:
        bound, key = _LIMITS[kind]
        return t(key, lang, limit=context.get(bound), value=value)
    if kind == "value_error":
        found = re.match(
            r"^'(?P<value>.*)' is not one of (?P<choices>.+)\.$", str(context.get("error", "")), re.S
        )
        if found:
            return t("usage_choice", lang, **found.groupdict())
    return None


def _localise_usage(command: Any, lang: str) -> None:
    """The usage line's placeholders in ``lang`` ([OPTIONS], COMMAND [ARGS]...)."""
    command.options_metavar = t("meta.options", lang)
    if hasattr(command, "subcommand_metavar"):
        command.subcommand_metavar = t("meta.subcommand", lang)


def _format_usage(command: Any, ctx: Any, formatter: Any) -> None:
    """The usage line with its prefix in the command's language (click writes "Usage: ")."""
    pieces = command.collect_usage_pieces(ctx)
    formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=t("usage_prefix", command.lang) + " ")


class Group(TyperGroup):
    """The ``impactkit`` group: language first, then the command inside the failure guard."""

    lang = "en"

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        _format_usage(self, ctx, formatter)

    def get_help_option(self, ctx: Any) -> Any:
        opt = super().get_help_option(ctx)
        if opt is not None:
            opt.help = t("help.help", self.lang)
            opt.rich_help_panel = t("panel.options", self.lang)  # with --version and --lang
            opt.metavar = ""  # a switch takes no value (rich would show "<bool>")
        return opt

    def localise(self, lang: str) -> None:
        """Put every help text of the command tree in ``lang``."""
        self.lang = lang
        self.help = _localise(self.help, lang)
        _localise_params(self, lang)
        # typer's one text without a parameter of its own: the mark of a required argument
        typer.rich_utils.REQUIRED_LONG_STRING = t("help.required", lang)
        # and the mark of the usage line's prefix, which rich highlights by its English text
        prefix = re.escape(t("usage_prefix", lang) + " ")
        typer.rich_utils.OptionHighlighter.highlights = [
            *(h for h in typer.rich_utils.OptionHighlighter.highlights if "?P<usage>" not in h),
            rf"(?P<usage>{prefix})",
        ]
        _localise_usage(self, lang)
        for command in self.commands.values():
            if isinstance(command, Command):
                command.lang = lang
            if isinstance(command, TyperCommand):
                command.rich_help_panel = t("panel.commands", lang)
            command.help = _localise(command.help, lang)
            command.short_help = _localise(command.short_help, lang)
            _localise_params(command, lang)
            _localise_usage(command, lang)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and self.get_command(ctx, name) is None and not name.startswith("-"):
            commands = list(self.commands)
            close = get_close_matches(name, commands)
            message = t("usage_no_command", self.lang, name=name, commands=", ".join(commands))
            if close:
                message += " " + t("usage_did_you_mean", self.lang, names=", ".join(close))
            ctx.fail(message)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except BaseException as err:  # the guard: every other failure ends in one message
            session = current(ctx) or _fallback_session(self, ctx)
            if isinstance(err, SystemExit):
                raise
            debug = session.debug or "--debug" in sys.argv or os.environ.get("IMPACTKIT_DEBUG") == "1"
            session.debug = debug
            if debug and not isinstance(err, Exception | KeyboardInterrupt):
                raise
            code = _failures.handle(err, session)
            raise typer.Exit(code) from err

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        lang = lang_from(argv)
        self.localise(lang)
        try:
            code = super().main(
                args=argv, prog_name=prog_name, complete_var=complete_var, standalone_mode=False, **extra
            )
            code = code if isinstance(code, int) else EXIT_OK
        except typer.TyperException as err:  # a usage error of the parser (click's, vendored by typer)
            code = _usage_error(err, lang, as_json="--json" in argv)
        except typer.Abort:
            Console(stderr=True).print(t("interrupted", lang))
            code = _failures.EXIT_INTERRUPTED
        if standalone_mode:
            sys.exit(code)
        return code


def _fallback_session(group: Group, ctx: Any) -> Session:
    """The session of a command that started none (``current`` finds the others in ``ctx.meta``,
    which click shares with the command's context): its flags still name its parameters, so a
    library error about ``families_per_year`` is shown about ``--families-per-year``."""
    from impactkit.cli._session import flags_of

    name = ctx.invoked_subcommand
    command = group.get_command(ctx, name) if name else None
    return Session(name or ctx.info_name or "impactkit", lang=group.lang,
                   flags=flags_of(command) if command is not None else {})  # fmt: skip


def _usage_error(err: Any, lang: str, *, as_json: bool) -> int:
    code = int(getattr(err, "exit_code", EXIT_USAGE))
    if type(err).__name__ == "NoArgsIsHelpError":
        typer.echo(err.format_message())
        return EXIT_OK
    message = _usage_message(err, lang)
    if as_json:
        import json

        typer.echo(
            json.dumps(
                {"error": {"exit_code": code, "type": "UsageError", "message": message}},
                ensure_ascii=False,
                indent=2,
            )
        )
        return code
    err_console = Console(stderr=True)
    ctx = getattr(err, "ctx", None)
    if ctx is not None:
        err_console.print(escape(ctx.get_usage()), highlight=False)
        err_console.print(t("usage_try_help", lang, command=ctx.command_path), style="dim", highlight=False)
    err_console.print(f"[bold red]{t('error', lang)}:[/] {escape(message)}", highlight=False)
    return code


def _version(value: bool) -> None:
    if value:
        typer.echo(f"impactkit {__version__}")
        raise typer.Exit(EXIT_OK)


app = typer.Typer(
    name="impactkit",
    cls=Group,
    help="help.app",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        help="help.version",
        callback=_version,
        is_eager=True,
        rich_help_panel="panel.options",
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="help.lang", metavar="meta.lang", rich_help_panel="panel.options"
    ),
) -> None:
    """impactkit: validate, analyse, cost and report."""
    # ``impactkit --lang nl COMMAND``: the command's own --lang wins, else this one (see start())
