"""How every command fails: one exit code per kind of failure, one clear message, never a traceback.

=====  =======================================================================================
exit   when
=====  =======================================================================================
0      success: the input is valid and the command did its work
1      the input is invalid or cannot answer the question: a :class:`~impactkit.ValidationError`
       (every problem listed), a broken instrument, scenario or mapping file, data that cannot
       answer the question (:class:`~impactkit.DesignError`), a file that cannot be read or written,
       not enough memory
2      a usage error: an unknown option, a missing argument, a path that does not exist, an option
       outside its allowed values (:class:`~impactkit.ParameterError`)
3      an internal error: a bug in impactkit (the message says to rerun with ``--debug``)
130    interrupted (Ctrl-C)
141    the reader of the output went away (``impactkit analyse ... | head``); nothing is printed
=====  =======================================================================================

The handler runs around every command (:class:`impactkit.cli._app.Group`), so a command cannot
forget it.  With ``--debug`` an internal error is re-raised with its traceback.
"""

from __future__ import annotations

import errno
import json
import os
import re
import sys
from typing import Any

from rich.markup import escape

from impactkit.cli._problems import print_problems, stream_problems_json
from impactkit.cli._session import Session
from impactkit.cli._texts import t
from impactkit.errors import ImpactkitError, ParameterError, ValidationError, options_rendered_by

__all__ = [
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_PIPE",
    "EXIT_USAGE",
    "handle",
]

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_PIPE = 0, 1, 2, 3, 130, 141

_Rules = list[tuple[re.Pattern[str], str]]
# the library's parameter-error template, in the other languages (what must hold, what was given)
_DETAIL_NL: _Rules = [
    (
        re.compile(r"^must be one of (?P<a>.+?)\. Got (?P<b>.+) instead\.(?P<rest>.*)$", re.S),
        "moet een van {a} zijn; gekregen: {b}.{rest}",
    ),
    (
        re.compile(
            r"^must be an integer (?:of at least|≥) (?P<a>\S+)\. Got (?P<b>.+) instead\.(?P<rest>.*)$", re.S
        ),
        "moet een geheel getal van minstens {a} zijn; gekregen: {b}.{rest}",
    ),
    (
        re.compile(r"^must be (?P<a>.+?)\. Got (?P<b>.+) instead\.(?P<rest>.*)$", re.S),
        "moet {a} zijn; gekregen: {b}.{rest}",
    ),
]


# what a parameter must be, for the parameters of the command line (the ``{a}`` of the last template)
_WHAT_NL: _Rules = [
    (re.compile(r"^an existing file or folder$"), "een bestaand bestand of een bestaande map"),
    (re.compile(r"^an ISO date \((?P<x>[^)]*)\)$"), "een ISO-datum ({x})"),
    (re.compile(r"^a positive number$"), "een positief getal"),
    (re.compile(r"^a positive integer$"), "een positief geheel getal"),
    (re.compile(r"^a whole number of months ≥ 0(?P<x>.*)$", re.S), "een geheel aantal maanden ≥ 0{x}"),
    (re.compile(r"^a whole number of months or 'open'$"), "een geheel aantal maanden of 'open'"),
]


def _rewrite(rules: _Rules, text: str, **inner: _Rules) -> str | None:
    """``text`` by the first rule whose pattern matches it (None when none does); a matched part
    named in ``inner`` is rewritten by those rules first (kept as it is when none matches)."""
    for pattern, template in rules:
        found = pattern.match(text)
        if found:
            parts = {name: _rewrite(inner[name], value) or value if name in inner else value
                     for name, value in found.groupdict().items()}  # fmt: skip
            return template.format(**parts)
    return None


def _parameter_text(err: ParameterError, s: Session) -> str:
    flag = s.flag(err.parameter) if err.parameter else None
    if flag is None or not str(err).startswith("The '"):
        return err.text(s.lang)
    detail = err.detail
    if s.lang == "nl":  # what must hold ({a}) in Dutch too where it is a phrase of the command line
        detail = _rewrite(_DETAIL_NL, detail, a=_WHAT_NL) or detail
    return f"{flag} {detail}"


def _say(s: Session, message: str, code: int, kind: str, **extra: Any) -> int:
    if s.as_json:
        payload = {"error": {"exit_code": code, "type": kind, "message": message, **extra}}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        s.err.print(f"[bold red]{t('error', s.lang)}:[/] {escape(message)}", highlight=False, soft_wrap=False)
    return code


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's last flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (in-process runner)
        pass


def handle(err: BaseException, s: Session) -> int:
    """Show ``err`` the way its kind is shown and return the exit code (re-raises with --debug)."""
    with options_rendered_by(s.render_option):  # a message rebuilt in another language keeps the flags
        return _handle(err, s)


def _handle(err: BaseException, s: Session) -> int:
    if isinstance(err, ValidationError):
        if s.as_json:
            stream_problems_json(err.problems, {"valid": False, "n_rows": err.n_rows})
        else:
            print_problems(s.err, err.problems, lang=s.lang, show_all=s.show_all)
        return EXIT_INVALID
    if isinstance(err, ParameterError):
        return _say(s, _parameter_text(err, s), EXIT_USAGE, "ParameterError", parameter=err.parameter)
    if isinstance(err, ImpactkitError):
        kind = type(err).__name__
        code = EXIT_INVALID
        return _say(s, err.text(s.lang), code, kind, **({"key": err.message_key} if err.message_key else {}))
    if isinstance(err, BrokenPipeError) or (isinstance(err, OSError) and err.errno == errno.EPIPE):
        _silence_stdout()  # the reader went away (``| head``): nothing to say, nowhere to say it
        return EXIT_PIPE
    if isinstance(err, KeyboardInterrupt):
        return _say(s, t("interrupted", s.lang), EXIT_INTERRUPTED, "KeyboardInterrupt")
    if isinstance(err, MemoryError):
        if s.debug:
            raise err
        return _say(s, t("out_of_memory", s.lang), EXIT_INVALID, "MemoryError")
    if isinstance(err, OSError):
        path = err.filename if err.filename is not None else ""
        reason = err.strerror or str(err)
        return _say(
            s, t("os_error", s.lang, path=path, reason=reason) if path else reason, EXIT_INVALID, "OSError"
        )
    if s.debug:
        raise err
    summary = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
    return _say(s, t("internal_error", s.lang, error=summary[:300]), EXIT_INTERNAL, "InternalError")
