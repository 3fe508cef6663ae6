"""A release: every report of one dataset, protected together.

A foundation publishes a set of reports from one year's data: the funder report, a report per
municipality and per programme, their business cases and spreadsheets, in Dutch and English.  A
reader holding all of them can subtract one from another, so their figures are protected as one:

1. **plan** (:func:`impactkit.privacy.plan_release`): which reports exist.  A municipality or
   programme under ``k`` families gets no report and is merged into "other" in every breakdown;
   a report is withheld while the families outside the published reports would be 1 to k-1.
2. **collect**: every section of every report of the plan (each kind, one language: the
   populations do not depend on it) declares the populations its figures rest on in one
   :class:`~impactkit.privacy.Ledger`.
3. **protect** (:func:`impactkit.privacy.protect`): primary and secondary suppression for all
   of them at once, audited by linear programming across the whole release.  What hiding each
   population costs is its readers' loss (:func:`reader_cost`): secondary suppression hides a
   municipality's or programme's figure, a partial union or a less-read breakdown before a
   funder-report total or headline figure.
4. **render**: any report of the release, in any language, from the same decisions.  A report
   rendered alone (``build_report(..., municipality="Ede")``) is rendered from the release of its
   whole dataset, so rendering reports one by one publishes no more than the release.

>>> import impactkit as ik
>>> rel = ik.report.Release("data/sample", draws=0, today="2026-11-01")    # doctest: +SKIP
>>> rel.plan.table(); rel.audit.cells; rel.report("annual", municipality="Ede", lang="nl")  # doctest: +SKIP
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from impactkit.errors import DesignError, ParameterError, check_choice
from impactkit.i18n import Formatter, check_lang, languages
from impactkit.io._source import isin_text
from impactkit.privacy import Audit, Ledger, ReleasePlan, Scope, plan_release, protect
from impactkit.report._publish import Publisher

__all__ = ["KINDS", "Release", "reader_cost", "scope_key", "weigh"]

KINDS = ("annual", "business-case")
CASE_YEARS = 3  # funded years of the business case a dataset's report projects (the page can change it)


def scope_key(scope: Scope) -> str:
    return "funder" if scope.kind == "funder" else f"{scope.kind}:{scope.name}"


class Release:
    """Every report of one dataset, protected together (see the module docstring).

    Parameters
    ----------
    dataset : Dataset, str or Path
        The whole dataset of the release (a folder, or a :class:`~impactkit.Dataset`).
    k : int
        Smallest number of families any published figure may rest on (at least 3).
    municipalities, programmes : bool or list of str
        Which municipal and programme reports the release holds (True: every one disclosure
        allows).  Reports not asked for count as withheld: their families still count in "other".
    kinds : tuple of str
        The kinds of report every scope has (``"annual"``, ``"business-case"``).
    scenario, seed, draws : as :func:`~impactkit.report.build_report`.
    families, config, today : when ``dataset`` is a path.
    period : optional
        A reporting period (:meth:`Dataset.in_period`): the release is of the period's data; every
        report states the period's rule and what it left out.

    Attributes
    ----------
    plan : ReleasePlan
    ledger : Ledger
    audit : Audit
        Every hidden population with its status, reason and the feasible range of its count.
    """

    # The collecting pass renders nothing (tables unformatted, no case page: Ctx.collecting).
    # False renders every section in full there too, as before: the reference that the lean pass
    # declares the same ledger (tests/report/test_release_collect.py).
    lean: bool = True

    def __init__(
        self,
        dataset: Any,
        *,
        k: int = 10,
        municipalities: bool | Iterable[str] = True,
        programmes: bool | Iterable[str] = True,
        kinds: Iterable[str] = KINDS,
        detail: Iterable[str] = ("funder",),
        scenario: Any = None,
        seed: int = 0,
        draws: int = 10000,
        families: Any = None,
        config: Any = None,
        today: str | None = None,
        period: Any = None,
    ) -> None:
        from impactkit import costs as ik_costs
        from impactkit.io import read_dataset

        for name, value, low in (("seed", seed, 0), ("draws", draws, 0), ("k", k, 3)):
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ParameterError(
                    f"The {name!r} parameter of Release must be an integer of at least {low}. Got {value!r} instead."
                )
        self.kinds = tuple(kinds)
        self.detail = tuple(detail)
        for kind in self.detail:
            check_choice("detail", "Release", kind, ("funder", "programme", "municipality"))
        for kind in self.kinds:
            check_choice("kinds", "Release", kind, KINDS)
        self.inputs: list[tuple[str, Path]] = []
        ds = dataset
        if isinstance(ds, str | Path):
            self.inputs.append(("dataset", Path(ds)))
            ds = read_dataset(ds, families=families, config=config, today=today, scenario=scenario)
        if period is not None:  # a reporting period of the export (Dataset.in_period)
            ds = ds.in_period(period)
        self.dataset = ds
        self.k, self.seed, self.draws = int(k), int(seed), int(draws)
        scen = scenario if scenario is not None else getattr(ds, "scenario_path", None)
        if isinstance(scen, str | Path):
            self.scenario_path: str | Path | None = scen
            scen = ik_costs.Scenario.from_file(scen)
        else:
            self.scenario_path = None
        self.scenario = scen
        self.plan = _plan(ds, self.k, municipalities, programmes)
        fam = ds.families
        ids = pd.Index(ds.assessments["family_id"].astype(str).unique())
        if fam is not None:
            ids = ids.union(pd.Index(fam["family_id"].astype(str)))
        self.ledger = Ledger(list(ids))
        self._memo: dict[str, dict[str, Any]] = {}
        self._shared: dict[str, Any] = {}
        self._scopes = [s for s in self.plan.scopes if s.published]
        from impactkit.report._cohort import declare_statistics

        funder = self._ctx(self._scopes[0], "en", protected=False, draws=0)
        declare_statistics(self.ledger, ds, funder.costs.per_family)
        for scope in self._scopes:
            for kind in self._kinds_of(scope):
                self._sections(kind, scope, "en", protected=False)
        weigh(self.ledger)  # what hiding each population costs its readers
        # withhold: a split that nothing else can protect is published not at all (not a marker)
        self.audit: Audit = protect(self.ledger, k=self.k, atoms=False, withhold=True)
        if not self.audit.ok:
            raise DesignError(
                "Release: these figures cannot be protected however many others are hidden: "
                + "; ".join(self.audit.exposed)
                + ". Publish fewer reports (municipalities=, programmes=) or fewer breakdowns (detail=())."
            )

    def with_draws(self, *, seed: int, draws: int) -> Release:
        """The same release (plan, populations, suppression: none depends on the PSA) with
        another seed or number of draws for its cost intervals; analyses are shared."""
        for name, value in (("seed", seed), ("draws", draws)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ParameterError(
                    f"The {name!r} parameter of Release.with_draws must be an integer of at least 0. "
                    f"Got {value!r} instead."
                )
        out = copy.copy(self)
        out.seed, out.draws = int(seed), int(draws)
        return out

    # ------------------------------------------------------------------------ scopes
    def _kinds_of(self, scope: Scope) -> tuple[str, ...]:
        return self.kinds

    @property
    def scopes(self) -> list[Scope]:
        """The published reports' scopes (the funder report first)."""
        return list(self._scopes)

    def scope(self, *, municipality: str | None = None, programme: str | None = None) -> Scope:
        """The scope of one report; a withheld one is a :class:`DesignError` with the reason."""
        if municipality is not None and programme is not None:
            raise ParameterError("A report of the release is of one municipality or one programme, not both.")
        if municipality is not None:
            return self.plan.scope("municipality", str(municipality))
        if programme is not None:
            return self.plan.scope("programme", str(programme))
        return self.plan.scope("funder", "")

    def dataset_of(self, scope: Scope) -> Any:
        """The dataset restricted to a scope's families (and its programme costs)."""
        if scope.kind == "funder":
            return self.dataset
        return _restrict(self.dataset, scope.kind, scope.name)

    # ---------------------------------------------------------------------- building
    def _ctx(
        self,
        scope: Scope,
        lang: str,
        *,
        protected: bool,
        draws: int | None = None,
        kind: str = "annual",
        costs: Any = None,
    ) -> Any:
        from impactkit import costs as ik_costs
        from impactkit.report._context import Ctx
        from impactkit.report._model import CollectingFormatter
        from impactkit.report._publish import PublishedFormatter

        key = scope_key(scope)
        memo = self._memo.setdefault(key, {})
        if "dataset" not in memo:
            memo["dataset"] = self.dataset_of(scope)
        ds = memo["dataset"]
        n_draws = self.draws if draws is None else draws
        ck = f"costs:{kind}:{n_draws}:{self.seed if n_draws else 0}"
        if costs is not None:  # the caller's business case on these data (build_report(business_case(data=)))
            memo[ck + ":given"] = costs
            ck += ":given"
        elif ck not in memo:
            from impactkit import progress

            with progress.step("costs"):
                if kind == "business-case":  # the need of these families, projected: the page you can change
                    memo[ck] = ik_costs.business_case(
                        self.scenario, data=ds, years=CASE_YEARS, draws=n_draws, seed=self.seed, k=self.k
                    )
                else:
                    memo[ck] = ik_costs.evaluate(ds, self.scenario, draws=n_draws, seed=self.seed)
        pub = Publisher(
            self.ledger, key, self.k, Formatter(lang), protected=protected,
            ranges=self.audit.count_range if protected else None,
        )  # fmt: skip
        # the collecting pass declares populations and renders nothing (Ctx.collecting)
        collecting = not protected and self.lean
        return Ctx(
            dataset=ds,
            costs=memo[ck],
            instrument=ds.instrument,
            fmt=CollectingFormatter(pub) if collecting else PublishedFormatter(pub),
            k=self.k,
            seed=self.seed,
            draws=self.draws,
            pub=pub,
            scope=scope,
            plan=self.plan,
            memo=memo,
            detail=scope.kind in self.detail,
            root=self.dataset,
            shared=self._shared,
        )

    def _sections(
        self, kind: str, scope: Scope, lang: str, *, protected: bool, costs: Any = None
    ) -> tuple[list[Any], dict[str, Any], Any, Any]:
        ctx = self._ctx(
            scope, lang, protected=protected, draws=0 if not protected else None, kind=kind, costs=costs
        )
        page = None
        if kind == "annual":
            from impactkit.report._annual import annual_sections

            sections, cover = annual_sections(ctx)
        else:
            from impactkit.report._business import business_sections
            from impactkit.report._case_report import case_section

            sections, cover = business_sections(ctx)
            section, page = case_section(ctx)
            sections.insert(1, section)
        selection = getattr(self.dataset, "period", None)
        if selection is not None:
            from impactkit.report._period import period_section

            sections.append(period_section(selection, ctx.fmt.base, self.k, wave=ctx.wave))
        return sections, cover, ctx, page

    def report(
        self,
        kind: str = "annual",
        *,
        municipality: str | None = None,
        programme: str | None = None,
        lang: str = "en",
        generated_at: str | dt.date | dt.datetime | None = None,
        templates: str | Path | None = None,
        extra: Callable[[Any, list[Any]], list[Any] | None] | None = None,
        costs: Any = None,
    ) -> Any:
        """One report of the release (a :class:`~impactkit.report.Report`).

        ``extra(ctx, sections)`` returns sections to add before the appendices (e.g. a comparison
        with last year's release), or None when it placed them in ``sections`` itself.  They may
        only re-show published values: ``ctx.pub`` and ``ctx.fmt`` write them; declaring a
        population the release has not protected is an error.  ``costs``: a business case of
        the scope's data to report instead of the release's own (``business_case(data=...)``).
        """
        from impactkit.report._build import render_report

        check_choice("kind", "Release.report", kind, self.kinds)
        check_lang(lang, "Release.report")
        scope = self.scope(municipality=municipality, programme=programme)
        from impactkit import progress

        with progress.step("sections"):
            sections, cover, ctx, page = self._sections(kind, scope, lang, protected=True, costs=costs)
        if extra is not None:
            added = extra(ctx, sections)
            if added is not None:
                at = next((i for i, s in enumerate(sections) if s.appendix), len(sections))
                sections = [*sections[:at], *added, *sections[at:]]
        rep = render_report(self, ctx, kind, sections, cover, generated_at=generated_at, templates=templates,
                            case_page=page, case_ev=costs)  # fmt: skip
        rep.case = page if kind == "business-case" else None
        return rep

    def reports(
        self, langs: Iterable[str] | None = None, **options: Any
    ) -> Iterator[tuple[str, Scope, str, Any]]:
        """Every report of the release: ``(kind, scope, lang, report)``; ``options`` as
        :meth:`report` (``generated_at``, ``templates``, ``extra``)."""
        for scope in self._scopes:
            for kind in self._kinds_of(scope):
                for lang in langs or languages():
                    args: dict[str, Any] = {scope.kind: scope.name} if scope.kind != "funder" else {}
                    yield kind, scope, lang, self.report(kind, lang=lang, **args, **options)

    def manifest(self) -> pd.DataFrame:
        """The release's reports (kind, name, families, published, reason) as a manifest may
        publish them: a withheld report's size is left out (:meth:`ReleasePlan.table`)."""
        return self.plan.table()

    def hidden(self) -> pd.DataFrame:
        """Every hidden population: key, label, status, reason and the feasible range of its count."""
        return self.audit.cells.copy()

    def save(
        self,
        folder: str | Path,
        *,
        langs: Iterable[str] | None = None,
        excel: bool = True,
        generated_at: str | dt.date | dt.datetime | None = None,
        templates: str | Path | None = None,
    ) -> list[Path]:
        """Write every report of the release (HTML and, with ``excel``, its workbook) into
        ``folder``, plus ``release.csv`` (the plan) and ``suppressed.csv`` (the audit)."""
        from impactkit._write import atomic_write, check_outputs

        out = Path(folder)
        check_outputs([("folder", out)], self.inputs, func="Release.save")
        written: list[Path] = []
        for kind, scope, lang, rep in self.reports(langs, generated_at=generated_at, templates=templates):
            stem = file_stem(kind, scope, lang)
            written.append(rep.save(out / f"{stem}.html"))
            if excel:
                written.append(rep.to_excel(out / f"{stem}.xlsx"))
        written.append(atomic_write(out / "release.csv", self.manifest().to_csv(index=False)))
        written.append(atomic_write(out / "suppressed.csv", self.hidden().to_csv(index=False)))
        return written

    def __repr__(self) -> str:
        n_hidden = sum(1 for p in self.ledger if p.status)
        return (
            f"<Release of {self.plan.scopes[0].n} families: {len(self._scopes)} scopes × {len(self.kinds)} kinds, "
            f"k = {self.k}, {len(self.ledger)} populations, {n_hidden} hidden>"
        )


# ---------------------------------------------------------------- what hiding costs a reader
# Secondary suppression hides the cheapest set of populations that protects (privacy.protect).
# A population's cost is what its figures are worth to the reader of the release: the cost its
# section declared (within a table: a "not improved" union is cheaper than "improved", the pairs
# of a domain dearer than its categories) times the weight of the report it appears in and of how
# headline its section is.  The funder report is read by every funder, a municipal report by one
# municipality; a funder report's split by municipality or programme ("by/...") is a subgroup's
# figure like a municipal report's.  Headline figures are the ones a funder quotes: the families
# reached, the change per domain, the observed care cost per family-year, the avoided cost by
# care path (the business case and its changeable page rest on these).  Less-read breakdowns
# (profiles of completers, transitions between levels, events and care used by type, the basis of
# each cost, the tornado's parameters) are hidden first.
REPORT_WEIGHT = {"funder": 4.0, "programme": 2.0, "municipality": 1.0}
SPLIT_WEIGHT = 1.0  # the funder report's rows by municipality / programme: a subgroup's figure
HEADLINE, BODY, DETAIL = 10.0, 3.0, 1.0
SECTION_WEIGHT: tuple[tuple[str, float], ...] = (  # first matching prefix of the key after the scope
    ("families", HEADLINE),
    ("reach/families", HEADLINE),
    ("costs/families", HEADLINE),
    ("costs/path/", HEADLINE),  # avoided cost by care path: the business case and its page
    ("outcomes/care_cost/", HEADLINE),  # observed care cost per family-year
    ("change/", HEADLINE),  # improved / unchanged / worse per domain
    ("describe/", HEADLINE),  # means per domain and wave
    ("flow/", HEADLINE),
    ("omnibus/", HEADLINE),  # the change row's test
    ("rci/family/", HEADLINE),  # reliably improved / deteriorated on at least one domain
    ("rci/", BODY),
    ("reach/", BODY),
    ("end_reason/", BODY),
    ("costs/payer/", BODY),
    ("costs/year/", BODY),
    ("costs/scenario/", BODY),
    ("costs/basis/", DETAIL),
    ("costs/tornado/", DETAIL),
    ("outcomes/", DETAIL),  # events and care used per type
    ("profile/", DETAIL),
    ("transitions/", DETAIL),
)
TOTAL_COST = 1e5  # a report's totals (its families, those in the cost model): as declared
# the families a share is of ("<...>/n", "<...>/pairs"): hiding one hides every share on it, so it
# costs at least what the core populations of a section cost (report/_measured.CORE)
BASE_OF_SHARES = ("/n", "/pairs")
BASE_COST = 20.0


def reader_cost(key: str, cost: float) -> float:
    """What hiding the population ``key`` (declared with ``cost`` by its section) costs a reader
    of the release (see the comment above :data:`REPORT_WEIGHT`).  Totals declared at
    :data:`TOTAL_COST` or more keep their cost (a report's own families are hidden last)."""
    if cost >= TOTAL_COST:
        return cost
    scope, _, rest = key.partition("/")
    weight = REPORT_WEIGHT.get(scope.split(":", 1)[0], 1.0)
    if scope == "funder" and rest.startswith("by/"):  # funder/by/municipality/Ede/change/...
        weight = SPLIT_WEIGHT * REPORT_WEIGHT["municipality"]
        rest = rest.split("/", 3)[3] if rest.count("/") >= 3 else ""
    section = next(
        (w for prefix, w in SECTION_WEIGHT if rest == prefix.rstrip("/") or rest.startswith(prefix)), BODY
    )
    if rest.endswith(BASE_OF_SHARES):
        cost = max(cost, BASE_COST)
    return min(cost * weight * section, TOTAL_COST / 10)


def weigh(ledger: Ledger) -> None:
    """Give every population of ``ledger`` its :func:`reader_cost`."""
    for p in ledger:
        p.cost = reader_cost(p.key, p.cost)


def file_stem(kind: str, scope: Scope, lang: str) -> str:
    """``annual-funder-nl``, ``business-case-municipality-ede-en``: safe file names."""
    name = "".join(ch if ch.isalnum() else "-" for ch in scope.name.lower()).strip("-")
    digest = hashlib.sha256(scope.name.encode()).hexdigest()[:6] if name != scope.name.lower() else ""
    parts = [kind, scope.kind] + ([name] if name else []) + ([digest] if digest else []) + [lang]
    return "-".join(parts)


def _plan(ds: Any, k: int, municipalities: Any, programmes: Any) -> ReleasePlan:
    fam = ds.families
    n = int(ds.assessments["family_id"].nunique())
    if fam is None:
        if n < k:
            raise DesignError(
                f"The release has only {n} families; nothing can be published with k = {k}. "
                "Combine years or programmes, or lower k (at least 3)."
            )
        return ReleasePlan(k, [Scope("funder", "", n, True)], {})
    return plan_release(fam, k=k, municipalities=municipalities, programmes=programmes)


def _restrict(ds: Any, kind: str, name: str) -> Any:
    """The dataset restricted to the families (and programme costs) of one municipality or programme."""
    fam = ds.families
    if fam is None or kind not in fam:
        raise ParameterError(f"A {kind} report needs a families table with a {kind} column.")
    ids = fam.loc[(fam[kind].astype("string") == name).fillna(False).to_numpy(bool), "family_id"]

    def keep(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        if frame is None or "family_id" not in frame:
            return frame
        out = frame[isin_text(frame["family_id"], ids)].reset_index(drop=True)
        out.attrs = dict(frame.attrs)
        return out

    costs = ds.programme_costs
    if costs is not None:
        if kind in costs:
            costs = costs[costs[kind].astype("string") == name].reset_index(drop=True)
        elif kind == "programme":
            costs = None  # programme costs cannot be split by programme: the scenario's cost model
    return dataclasses.replace(
        ds,
        assessments=keep(ds.assessments),
        families=keep(fam),
        counterfactuals=keep(ds.counterfactuals),
        care_used=keep(ds.care_used),
        events=keep(getattr(ds, "events", None)),
        programme_costs=costs,
    )
