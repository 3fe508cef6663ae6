"""Write the programme-shaped export corpus: raw exports as organisations produce them, one mapping file each.

    python tests/corpus/make_corpus.py          # rewrites tests/corpus/exports/ and tests/corpus/messy/

Six exports (synthetic, seeded; no real family is described), each only its raw files plus one
``impactkit.toml`` (and, where the programme has its own, an instrument or scenario file):

=================  ===========================================================================
samen_oplopen      Excel with Dutch file, sheet and column names: a cover sheet, a hidden
                   lookup sheet, measurements (wide, 3 waves "Nulmeting/Tussenmeting/Eindmeting",
                   the nine domains 1–5), families, reports and care use before / during / after
                   support (sheets Meldingen, Zorggebruik), judgements in another workbook, costs
home_start         two moments ("Begin", "Eind") and Home-Start's own 5-item list, ``;`` CSV in
                   Windows-1252 with CRLF, children's ages in months
buurtgezinnen      one registration workbook (long: Leefgebied/Cijfer, marks 1–10, no level labels),
                   a "Belasting ouder" (parental load) domain where lower is better, two programmes
                   (Buurtgezinnen, Steunouder), its own scenario with a min_score intake rule
meeleefgezin       7 of the 13 ZRM domains, two waves, children 0–5 (ages in months, expected
                   children), UTF-8 CSV with BOM and quoted fields, no programme column
jeugdbescherming   a 5-family youth-protection project in Parquet (long, ZRM, T0/T1/T2), judgements
                   of supervision orders and placements, nuisance reports before the start and none since
zelfrapportage     the 1–4 agreement scale, item level (35 statements S1–S35 answered in words such
                   as "Helemaal mee eens"), tab-separated
=================  ===========================================================================

``messy/<name>/`` is a copy with planted problems; ``planted.json`` lists each (file, row, column,
code) that validate must report exactly once, and nothing else.

Workbooks are written with openpyxl with fixed document dates and zip timestamps, so a rerun gives
the same bytes with the same library versions (the test compares their cell contents).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import sys
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

ROOT = Path(__file__).resolve().parent
FIXED = dt.datetime(2025, 1, 15, 12, 0, 0)

DEFAULT_NL = [
    "Financiën",
    "Wonen",
    "Sociaal netwerk",
    "Psychisch welbevinden",
    "Lichamelijke gezondheid",
    "Opvoeding en gezinsklimaat",
    "Ontwikkeling en school van de kinderen",
    "Werk, dagbesteding en participatie",
    "Taal, administratie en instanties",
]


# ----------------------------------------------------------------------------- writers
def save_xlsx(wb: openpyxl.Workbook, path: Path) -> None:
    """Save with fixed document dates and zip timestamps (same content, same bytes)."""
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.properties.creator = "impactkit corpus"
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re

                data = re.sub(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>",
                              b'<dcterms:modified xsi:type="dcterms:W3CDTF">2025-01-15T12:00:00Z</dcterms:modified>',
                              data)  # fmt: skip
            zi = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 15, 12, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, data)
    path.write_bytes(out.getvalue())


def sheet(wb: openpyxl.Workbook, title: str, frame: pd.DataFrame, *, state: str = "visible") -> None:
    ws = wb.create_sheet(title)
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append([None if (isinstance(v, float) and np.isnan(v)) else v for v in row])
    ws.sheet_state = state


def workbook() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    return wb


def write_csv(frame: pd.DataFrame, path: Path, *, sep: str, encoding: str, crlf: bool = False,
              quote_all: bool = False, bom: bool = False) -> None:  # fmt: skip
    text = frame.to_csv(
        sep=sep,
        index=False,
        lineterminator="\r\n" if crlf else "\n",
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


# ----------------------------------------------------------------------------- a cohort
def cohort(n: int, seed: int, n_domains: int, waves: int, lo: int, hi: int, start_years=(2021, 2022),
           gain: float = 0.45, dropout: float = 0.15) -> dict[str, np.ndarray]:  # fmt: skip
    """Scores (family × wave × domain, NaN = not measured), start dates and wave dates."""
    rng = np.random.default_rng(seed)
    severity = rng.normal(0, 1, n)
    base = (
        (lo + hi) / 2
        - 0.15 * (hi - lo)
        + rng.normal(0, 0.12 * (hi - lo), (n, n_domains))
        - 0.12 * (hi - lo) * severity[:, None]
    )
    scores = np.full((n, waves, n_domains), np.nan)
    for w in range(waves):
        drift = w * gain * (hi - lo) / 4 * rng.uniform(0.5, 1.5, (n, n_domains))
        noise = rng.normal(0, 0.07 * (hi - lo), (n, n_domains))
        scores[:, w] = np.clip(np.round(base + drift + noise), lo, hi)
    stay = np.ones((n, waves), bool)
    for w in range(1, waves):
        stay[:, w] = stay[:, w - 1] & (rng.random(n) > dropout + 0.05 * (severity > 1))
    scores[~stay] = np.nan
    start = np.array(
        [dt.date(int(rng.integers(start_years[0], start_years[1] + 1)), int(rng.integers(1, 13)), int(rng.integers(1, 28)))
         for _ in range(n)]
    )  # fmt: skip
    days = np.array(
        [
            [int(365 * w + rng.integers(-20, 21)) if w else int(rng.integers(0, 10)) for w in range(waves)]
            for _ in range(n)
        ]
    )
    return {"scores": scores, "start": start, "days": days, "stay": stay, "rng": rng}


def _date(d: dt.date, days: int) -> dt.date:
    return d + dt.timedelta(days=int(days))


def nlfmt(d: dt.date) -> str:
    return d.strftime("%d-%m-%Y")


# ----------------------------------------------------------------------------- events and care use
PEILDATUM = dt.date(2024, 12, 1)  # the day the exports were drawn


def outcome_records(
    seed: int, ids: list[str], start: np.ndarray, end: list[dt.date | None]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reports and professional care of each family in the year before, during and after support.

    Their own generator (``seed``), so adding them leaves every other table of the export unchanged.
    Rates per family-year: before ×1, during ×0.7, after ×0.5 (reports), care falls during support.
    """
    rng = np.random.default_rng(seed)
    ev_rows: list[dict[str, object]] = []
    care_rows: list[dict[str, object]] = []
    kinds = {"Overlast": 0.6, "Politie": 0.3, "Crisis": 0.35}
    for i, fid in enumerate(ids):
        s = start[i]
        e = end[i] or PEILDATUM
        frailty = rng.gamma(1.5, 1 / 1.5)
        parts = [(s - dt.timedelta(days=365), s - dt.timedelta(days=1), 1.0), (s, e, 0.7)]
        if end[i] is not None:
            parts.append((e + dt.timedelta(days=1), min(e + dt.timedelta(days=365), PEILDATUM), 0.5))
        for kind, rate in kinds.items():
            for lo, hi, ratio in parts:
                days = (hi - lo).days + 1
                if days <= 0:
                    continue
                for _ in range(rng.poisson(rate * ratio * frailty * days / 365.25)):
                    when = lo + dt.timedelta(days=int(rng.integers(0, days)))
                    ev_rows.append({"Gezinscode": fid, "Soort melding": kind,
                                    "Datum": dt.datetime.combine(when, dt.time())})  # fmt: skip
        for care, share, (low, high) in (("Maatschappelijk werk", (0.5, 0.3, 0.25), (3, 12)),
                                         ("Ambulante begeleiding", (0.2, 0.1, 0.08), (10, 40))):  # fmt: skip
            for (lo, hi, _), p in zip(parts, share, strict=False):
                if rng.random() >= p or (hi - lo).days < 30:
                    continue
                b = lo + dt.timedelta(days=int(rng.integers(0, (hi - lo).days - 29)))
                f = min(b + dt.timedelta(days=int(rng.integers(30, 150))), hi)
                care_rows.append({"Gezinscode": fid, "Zorgvorm": care, "Aantal": int(rng.integers(low, high + 1)),
                                  "Begindatum": dt.datetime.combine(b, dt.time()),
                                  "Einddatum": dt.datetime.combine(f, dt.time())})  # fmt: skip
    events = pd.DataFrame(ev_rows).sort_values(["Gezinscode", "Datum"], kind="stable").reset_index(drop=True)
    care = (
        pd.DataFrame(care_rows)
        .sort_values(["Gezinscode", "Begindatum"], kind="stable")
        .reset_index(drop=True)
    )
    return events, care


# ----------------------------------------------------------------------------- 1. Samen Oplopen
def samen_oplopen(out: Path, messy: bool) -> list[dict[str, object]]:
    n = 60
    c = cohort(n, 101, 9, 3, 1, 5)
    rng = c["rng"]
    ids = [f"SO-{1000 + i}" for i in range(n)]
    names = ["Nulmeting", "Tussenmeting", "Eindmeting"]
    rows = []
    for i in range(n):
        for w in range(3):
            if not c["stay"][i, w]:
                continue
            row = {"Gezinscode": ids[i], "Meetmoment": names[w],
                   "Datum meting": dt.datetime.combine(_date(c["start"][i], c["days"][i, w]), dt.time())}  # fmt: skip
            for d, label in enumerate(DEFAULT_NL):
                v = c["scores"][i, w, d]
                row[label] = None if rng.random() < 0.02 else int(v)
            row["Coördinator"] = f"C{1 + i % 4}"
            row["Opmerking"] = "telefonisch afgenomen" if rng.random() < 0.1 else None
            rows.append(row)
    metingen = pd.DataFrame(rows)
    municipalities = ["Arnhem", "Nijmegen", "Ede"]
    sit = ["Eenoudergezin", "Nieuwkomer", "Armoede", "Multiprobleem"]
    refs = ["Sociaal wijkteam", "School", "Huisarts", "JGZ"]
    ends = []
    for i in range(n):
        last = int(np.flatnonzero(c["stay"][i])[-1])
        end = _date(c["start"][i], c["days"][i, last] + 30)
        reason = "Afgerond" if last == 2 else ("Voortijdig gestopt" if rng.random() < 0.8 else "Verhuisd")
        ends.append(
            (end if end < dt.date(2024, 12, 1) else None, reason if end < dt.date(2024, 12, 1) else None)
        )
    gezinnen = pd.DataFrame({
        "Gezinscode": ids,
        "Gemeente": [municipalities[i % 3] for i in range(n)],
        "Startdatum": [dt.datetime.combine(s, dt.time()) for s in c["start"]],
        "Einddatum": [dt.datetime.combine(e, dt.time()) if e else None for e, _ in ends],
        "Reden einde": [r for _, r in ends],
        "Gezinssituatie": [sit[int(rng.integers(0, 4))] for _ in range(n)],
        "Aantal kinderen": [int(rng.integers(1, 5)) for _ in range(n)],
        "Leeftijd jongste kind": [int(rng.integers(0, 10)) for _ in range(n)],
        "Verwijzer": [refs[int(rng.integers(0, 4))] for _ in range(n)],
        "Aantal vrijwilligers": [int(rng.integers(1, 3)) for _ in range(n)],
    })  # fmt: skip
    gezinnen["Leeftijd oudste kind"] = gezinnen["Leeftijd jongste kind"] + [
        int(rng.integers(0, 8)) for _ in range(n)
    ]
    planted: list[dict[str, object]] = []
    wb = workbook()
    sheet(wb, "Toelichting", pd.DataFrame({"Export uit het registratiesysteem van Samen Oplopen": [
        "Peildatum 1 december 2024", "Eén rij per gezin per meetmoment"]}))  # fmt: skip
    sheet(wb, "Metingen", metingen)
    sheet(wb, "Gezinnen", gezinnen)
    meldingen, zorg = outcome_records(1101, ids, c["start"], [e for e, _ in ends])
    sheet(wb, "Meldingen", meldingen)
    sheet(wb, "Zorggebruik", zorg)
    sheet(wb, "Keuzelijsten", pd.DataFrame({"Meetmoment": names, "Gemeente": municipalities}), state="hidden")
    if messy:
        ws = wb["Metingen"]
        # row 5 (sheet row): a formula without a saved value in Wonen; row 9: an unknown wave
        ws.cell(5, 5).value = "=D5+1"
        planted.append(
            {
                "file": "Export Samen Oplopen 2024.xlsx",
                "row": 5,
                "column": "Wonen",
                "code": "formula_no_value",
            }
        )
        ws.cell(9, 2).value = "Nameting"
        planted.append(
            {
                "file": "Export Samen Oplopen 2024.xlsx",
                "row": 9,
                "column": "Meetmoment",
                "code": "unknown_wave",
            }
        )
        ws.cell(12, 6).value = 6  # Sociaal netwerk 6 on a 1-5 scale
        planted.append(
            {
                "file": "Export Samen Oplopen 2024.xlsx",
                "row": 12,
                "column": "Sociaal netwerk",
                "code": "out_of_range",
            }
        )
        g = wb["Gezinnen"]
        g.cell(4, 5).value = "Onbekend"  # Reden einde
        planted.append(
            {
                "file": "Export Samen Oplopen 2024.xlsx",
                "row": 4,
                "column": "Reden einde",
                "code": "unknown_choice",
            }
        )
    save_xlsx(wb, out / "Export Samen Oplopen 2024.xlsx")

    cf_rows = []
    paths = ["Maatschappelijk werk", "Opvoedondersteuning", "Schuldhulpverlening", "OTS"]
    for i in range(0, n, 2):
        for p in paths[: 2 + i % 3]:
            cf_rows.append({"Gezinscode": ids[i], "Zorgpad": p, "Kans": f"{int(rng.integers(1, 9)) * 10}%",
                            "Ingeschat door": "Verwijzer" if i % 4 else "Coördinator"})  # fmt: skip
    cf = pd.DataFrame(cf_rows)
    wb = workbook()
    sheet(wb, "Inschattingen", cf)
    save_xlsx(wb, out / "Inschattingen zonder Samen Oplopen.xlsx")
    costs = pd.DataFrame([
        {"Jaar": y, "Gemeente": m, "Kostenpost": post, "Bedrag": amount}
        for y in (2021, 2022, 2023, 2024) for m in municipalities
        for post, amount in (("Coördinatie", 38000.0), ("Scholing", 2400.0), ("Vrijwilligersvergoeding", 3100.5))
    ])  # fmt: skip
    wb = workbook()
    sheet(wb, "Kosten", costs)
    save_xlsx(wb, out / "Programmakosten.xlsx")
    (out / "impactkit.toml").write_text(
        """# Samen Oplopen: the foundation's export, read as it comes out of the registration system.
instrument = "default"
ignore = ["Coördinator", "Opmerking"]

[assessments]
file = "Export Samen Oplopen 2024.xlsx"
sheet = "Metingen"

[families]
file = "Export Samen Oplopen 2024.xlsx"
sheet = "Gezinnen"

[counterfactuals]
file = "Inschattingen zonder Samen Oplopen.xlsx"

[waves]
intake = "Nulmeting"
year1 = "Tussenmeting"
year2 = "Eindmeting"

[care_paths]
social_work = "Maatschappelijk werk"
parenting_support = "Opvoedondersteuning"
debt_assistance = "Schuldhulpverlening"
supervision_order = ["OTS", "Ondertoezichtstelling"]

[household_types]
single_parent = "Eenoudergezin"
newcomer = "Nieuwkomer"
poverty = "Armoede"
other_multi_problem = "Multiprobleem"

[referral_sources]
social_district_team = "Sociaal wijkteam"
school = "School"
gp = "Huisarts"
youth_health_care = "JGZ"

[care_types]
social_work = "Maatschappelijk werk"
home_guidance = "Ambulante begeleiding"

[outcomes]                 # reports and care in the year before, during and the year after support
observed_from = 2020-01-01
observed_until = 2024-12-01
""",
        encoding="utf-8",
    )
    return planted


# ----------------------------------------------------------------------------- 2. Home-Start
HOMESTART_TOML = """# Home-Start's own five-question list (illustrative wording), two moments.
id = "homestart5"
name_nl = "Home-Start vragenlijst (5 vragen)"
name_en = "Home-Start questionnaire (5 questions)"
sufficient = 4
min_share_answered = 0.5
reliability = 0.75
reliability_source = "Assumption (placeholder 0.75); with item answers impactkit estimates Cronbach's alpha"

[scale]
min = 1
max = 5

[[scale.levels]]
value = 1
label_nl = "Nooit"
label_en = "Never"
[[scale.levels]]
value = 2
label_nl = "Zelden"
label_en = "Rarely"
[[scale.levels]]
value = 3
label_nl = "Soms"
label_en = "Sometimes"
[[scale.levels]]
value = 4
label_nl = "Vaak"
label_en = "Often"
[[scale.levels]]
value = 5
label_nl = "Altijd"
label_en = "Always"

[[waves]]
id = "begin"
label_nl = "Begin"
label_en = "Start"
[[waves]]
id = "end"
label_nl = "Eind"
label_en = "End"
aliases = ["Einde", "Afsluiting"]

[[domains]]
id = "confidence"
label_nl = "Vertrouwen in het opvoeden"
label_en = "Confidence in parenting"
[[domains]]
id = "support"
label_nl = "Steun en netwerk"
label_en = "Support and network"

[[items]]
id = "vraag_1"
domain = "confidence"
text_nl = "Ik weet wat ik moet doen als mijn kind huilt"
[[items]]
id = "vraag_2"
domain = "confidence"
text_nl = "Ik voel me een goede ouder"
[[items]]
id = "vraag_3"
domain = "confidence"
reverse = true
text_nl = "Ik twijfel aan mijn opvoeding"
[[items]]
id = "vraag_4"
domain = "support"
text_nl = "Ik kan iemand om hulp vragen"
[[items]]
id = "vraag_5"
domain = "support"
text_nl = "Ik heb mensen om me heen"
"""


def home_start(out: Path, messy: bool) -> list[dict[str, object]]:
    n = 40
    c = cohort(n, 202, 5, 2, 1, 5, gain=0.6, dropout=0.1)
    rng = c["rng"]
    ids = [f"HS{2400 + i}" for i in range(n)]
    rows = []
    for i in range(n):
        for w, moment in enumerate(("Begin", "Eind")):
            if not c["stay"][i, w]:
                continue
            row = {
                "Deelnemersnummer": ids[i],
                "Moment": moment,
                "Datum": nlfmt(_date(c["start"][i], c["days"][i, w] // 2)),
            }
            for q in range(5):
                v = c["scores"][i, w, q]
                if q == 2:
                    v = 6 - v  # the reverse item is answered the other way round
                row[f"Vraag {q + 1}"] = "" if rng.random() < 0.03 else str(int(v))
            row["Toelichting"] = "één huisbezoek" if rng.random() < 0.2 else ""
            rows.append(row)
    vragen = pd.DataFrame(rows)
    planted: list[dict[str, object]] = []
    text = vragen.to_csv(sep=";", index=False, lineterminator="\r\n")
    if messy:
        lines = text.split("\r\n")
        lines[4] = lines[4] + ";extra;veld"  # sheet row 5: a separator too many
        planted.append(
            {"file": "HomeStart_vragenlijst_2024.csv", "row": 5, "column": "", "code": "ragged_row"}
        )
        parts = lines[7].split(";")
        parts[5] = "n.v.t."  # Vraag 3 of row 8
        lines[7] = ";".join(parts)
        planted.append(
            {"file": "HomeStart_vragenlijst_2024.csv", "row": 8, "column": "Vraag 3", "code": "not_a_number"}
        )
        last = len([ln for ln in lines if ln]) - 1
        lines[last] = ";".join(lines[last].split(";")[:4])  # cut off after Vraag 1: a truncated export
        planted.append(
            {"file": "HomeStart_vragenlijst_2024.csv", "row": last + 1, "column": "", "code": "truncated_row"}
        )
        text = "\r\n".join(lines)
    (out / "HomeStart_vragenlijst_2024.csv").write_bytes(text.encode("cp1252"))
    months = [int(rng.integers(0, 60)) for _ in range(n)]
    deelnemers = pd.DataFrame({
        "Deelnemersnummer": ids,
        "Gemeente": ["Zutphen" if i % 2 else "Apeldoorn" for i in range(n)],
        "Startdatum": [nlfmt(s) for s in c["start"]],
        "Leeftijd jongste kind (maanden)": months,
        "Aantal kinderen": [int(rng.integers(1, 4)) for _ in range(n)],
        "Verwijzer": [["Consultatiebureau", "Huisarts", "Zelf"][int(rng.integers(0, 3))] for _ in range(n)],
        "Vrijwilliger": ["Mw. " + "ABCDEFGH"[i % 8] for i in range(n)],
    })  # fmt: skip
    (out / "deelnemers.csv").write_bytes(
        deelnemers.to_csv(sep=";", index=False, lineterminator="\r\n").encode("cp1252")
    )
    (out / "homestart.toml").write_text(HOMESTART_TOML, encoding="utf-8")
    (out / "impactkit.toml").write_text(
        """# Home-Start: the questionnaire export and the participants list, as the national office sends them.
instrument = "homestart.toml"
ignore = ["Toelichting", "Vrijwilliger"]

[assessments]
file = "HomeStart_vragenlijst_2024.csv"

[families]
file = "deelnemers.csv"

[programme]
name = "Home-Start"
child_ages = [0, 5]

[referral_sources]
youth_health_care = "Consultatiebureau"
gp = "Huisarts"
self_referral = "Zelf"
""",
        encoding="utf-8",
    )
    return planted


# ----------------------------------------------------------------------------- 3. Buurtgezinnen / Steunouder
BG_TOML = """# Buurtgezinnen / Steunouder: four life areas marked 1-10 by the coordinator; no level labels.
id = "bg_marks"
name_nl = "Buurtgezinnen rapportcijfers"
name_en = "Buurtgezinnen marks"
sufficient = 6
reliability = 0.75
reliability_source = "Assumption (placeholder 0.75)"

[scale]
min = 1
max = 10

[[waves]]
id = "start"
label_nl = "Start"
label_en = "Start"
[[waves]]
id = "eval1"
label_nl = "Evaluatie 1"
label_en = "Review 1"
[[waves]]
id = "eval2"
label_nl = "Evaluatie 2"
label_en = "Review 2"

[[domains]]
id = "parenting"
label_nl = "Opvoeden"
label_en = "Parenting"
[[domains]]
id = "social_network"
label_nl = "Sociaal netwerk"
label_en = "Social network"
[[domains]]
id = "parental_load"
label_nl = "Belasting ouder"
label_en = "Parental load"
higher_is_better = false
[[domains]]
id = "child_wellbeing"
label_nl = "Welbevinden kind"
label_en = "Child wellbeing"
"""


def buurtgezinnen(out: Path, messy: bool) -> list[dict[str, object]]:
    n = 50
    c = cohort(n, 303, 4, 3, 1, 10, gain=0.35, dropout=0.12)
    rng = c["rng"]
    ids = [f"BG/{24}/{100 + i}" for i in range(n)]
    waves = ["Start", "Evaluatie 1", "Evaluatie 2"]
    areas = ["Opvoeden", "Sociaal netwerk", "Belasting ouder", "Welbevinden kind"]
    rows = []
    for i in range(n):
        for w in range(3):
            if not c["stay"][i, w]:
                continue
            when = dt.datetime.combine(_date(c["start"][i], c["days"][i, w] // 2), dt.time())
            for d, area in enumerate(areas):
                v = c["scores"][i, w, d]
                if area == "Belasting ouder":
                    v = 11 - v  # load falls as the family improves
                rows.append({"Dossiernummer": ids[i], "Evaluatiemoment": waves[w], "Datum evaluatie": when,
                             "Leefgebied": area, "Cijfer": int(v)})  # fmt: skip
    scores = pd.DataFrame(rows)
    gezinnen = pd.DataFrame({
        "Dossiernummer": ids,
        "Programma": ["Buurtgezinnen" if i % 3 else "Steunouder" for i in range(n)],
        "Gemeente": ["Tiel" if i % 2 else "Nijmegen" for i in range(n)],
        "Startdatum": [dt.datetime.combine(s, dt.time()) for s in c["start"]],
        "Aantal kinderen": [int(rng.integers(1, 4)) for _ in range(n)],
        "Leeftijd jongste kind": [int(rng.integers(0, 12)) for _ in range(n)],
    })  # fmt: skip
    kosten = pd.DataFrame([
        {"Jaar": y, "Gemeente": m, "Kostenpost": post, "Bedrag": amount}
        for y in (2021, 2022, 2023) for m in ("Tiel", "Nijmegen")
        for post, amount in (("Coördinatie", 29500.0), ("Vrijwilligersvergoeding", 4200.0))
    ])  # fmt: skip
    planted: list[dict[str, object]] = []
    wb = workbook()
    sheet(wb, "Scores", scores)
    sheet(wb, "Gezinnen", gezinnen)
    sheet(wb, "Kosten", kosten)
    file = "Registratie Buurtgezinnen en Steunouder.xlsx"
    if messy:
        ws = wb["Scores"]
        ws.cell(6, 5).value = 11  # a mark of 11
        planted.append({"file": file, "row": 6, "column": "Cijfer", "code": "out_of_range"})
        ws.cell(10, 4).value = "Gezondheid"  # an area the instrument does not have
        planted.append({"file": file, "row": 10, "column": "Leefgebied", "code": "unknown_domain"})
        ws.cell(14, 3).value = "0024-01-15"  # a year typed wrong
        planted.append({"file": file, "row": 14, "column": "Datum evaluatie", "code": "date_out_of_range"})
        g = wb["Gezinnen"]
        g.cell(3, 4).value = "9999-12-31"  # "no date" placeholder as a start date
        planted.append({"file": file, "row": 3, "column": "Startdatum", "code": "date_out_of_range"})
    save_xlsx(wb, out / file)
    (out / "buurtgezinnen.toml").write_text(BG_TOML, encoding="utf-8")
    spec = (Path(__file__).resolve().parents[2] / "impactkit" / "costs" / "data" / "default.toml").read_text(
        "utf-8"
    )
    spec = spec.replace(
        'id = "default"\nname = "Illustrative', 'id = "buurtgezinnen"\nname = "Illustrative', 1
    )
    spec += """
# ----------------------------------------------------------------------------- rules on the 1-10 marks
[[rules]]
instrument = "bg_marks"
id = "load_high_parenting_support"
path = "parenting_support"
domain = "parental_load"
min_score = 8
probability = { value = 0.35, dist = "beta", sd = 0.10 }
source = "Illustrative assumption: a parental load of 8 or more at the start"
source_nl = "Illustratieve aanname: een belasting van 8 of meer bij de start"

[[rules]]
instrument = "bg_marks"
id = "parenting_low_youth_care"
path = "youth_care"
domain = "parenting"
max_score = 4
probability = { value = 0.15, dist = "beta", sd = 0.05 }
source = "Illustrative assumption"
source_nl = "Illustratieve aanname"
"""
    (out / "scenario.toml").write_text(spec, encoding="utf-8")
    (out / "impactkit.toml").write_text(
        f"""# Buurtgezinnen and Steunouder: one registration workbook, a sheet per table.
instrument = "buurtgezinnen.toml"
scenario = "scenario.toml"

[assessments]
file = "{file}"
sheet = "Scores"

[families]
file = "{file}"
sheet = "Gezinnen"

[programme_costs]
file = "{file}"
sheet = "Kosten"

[cost_items]
coordinator = "Coördinatie"
""",
        encoding="utf-8",
    )
    return planted


# ----------------------------------------------------------------------------- 4. Meeleefgezin
ZRM7 = ["Financiën", "Huisvesting", "Huiselijke relaties", "Geestelijke gezondheid", "Sociaal netwerk",
        "Maatschappelijke participatie", "Tijdsbesteding"]  # fmt: skip


def meeleefgezin(out: Path, messy: bool) -> list[dict[str, object]]:
    n = 36
    c = cohort(n, 404, 7, 2, 1, 5, gain=0.5, dropout=0.1)
    rng = c["rng"]
    ids = [f"ML-{i + 1:03d}" for i in range(n)]
    rows = []
    for i in range(n):
        for w, moment in enumerate(("Intake", "Evaluatie")):
            if not c["stay"][i, w]:
                continue
            row = {
                "Cliëntcode": ids[i],
                "Meting": moment,
                "Datum": _date(c["start"][i], c["days"][i, w]).isoformat(),
            }
            for d, label in enumerate(ZRM7):
                row[label] = str(int(c["scores"][i, w, d]))
            row["Notitie"] = 'moeder zegt: "het gaat beter"' if rng.random() < 0.15 else ""
            rows.append(row)
    frame = pd.DataFrame(rows)
    planted: list[dict[str, object]] = []
    text = frame.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_ALL)
    months_y = [int(rng.integers(0, 66)) for _ in range(n)]
    months_o = [m + int(rng.integers(0, 6)) for m in months_y]
    expected = [["nee", "ja", "0", "1"][int(rng.integers(0, 4))] if i % 5 == 0 else "nee" for i in range(n)]
    if messy:
        lines = text.rstrip("\n").split("\n")
        lines[-1] = lines[-1][:-1]  # the last row's closing quote lost (an export cut off)
        planted.append(
            {
                "file": "meeleefgezin_zrm_export.csv",
                "row": len(lines),
                "column": "",
                "code": "unbalanced_quote",
            }
        )
        text = "\n".join(lines) + "\n"
        expected[3] = "misschien"
        planted.append(
            {"file": "gezinnen.csv", "row": 5, "column": "Verwachte kinderen", "code": "not_a_number"}
        )
        months_o[6] = 80  # a child of 6 years and 8 months: a warning (the programme declares 0-5)
    (out / "meeleefgezin_zrm_export.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    gezinnen = pd.DataFrame({
        "Cliëntcode": ids,
        "Gemeente": ["Arnhem" if i % 2 else "Ede" for i in range(n)],
        "Startdatum": [s.isoformat() for s in c["start"]],
        "Leeftijd jongste kind (mnd)": months_y,
        "Leeftijd oudste kind (mnd)": months_o,
        "Verwachte kinderen": expected,
        "Aantal kinderen": [int(rng.integers(1, 3)) for _ in range(n)],
    })  # fmt: skip
    write_csv(gezinnen, out / "gezinnen.csv", sep=",", encoding="utf-8", bom=True)
    (out / "impactkit.toml").write_text(
        """# Meeleefgezin: seven of the thirteen ZRM domains, intake and one evaluation, young children.
instrument = "zrm2017"
ignore = ["Notitie"]

[assessments]
file = "meeleefgezin_zrm_export.csv"

[waves]
year1 = "Evaluatie"

[programme]
name = "Meeleefgezin"
child_ages = [0, 5]
""",
        encoding="utf-8",
    )
    return planted


# ----------------------------------------------------------------------------- 5. youth protection
ZRM_IDS = ["finances", "work_education", "time_use", "housing", "domestic_relations", "mental_health",
           "physical_health", "substance_use", "basic_adl", "instrumental_adl", "social_network",
           "social_participation", "justice"]  # fmt: skip


def jeugdbescherming(out: Path, messy: bool) -> list[dict[str, object]]:
    n = 5
    c = cohort(n, 505, 13, 3, 1, 5, gain=0.5, dropout=0.0)
    ids = [f"JB{i + 1}" for i in range(n)]
    rows = []
    for i in range(n):
        for w, t in enumerate(("T0", "T1", "T2")):
            for d, dom in enumerate(ZRM_IDS):
                rows.append({"casusnummer": ids[i], "tijdstip": t,
                             "datum": pd.Timestamp(_date(c["start"][i], c["days"][i, w])),
                             "domein": dom, "score": float(c["scores"][i, w, d])})  # fmt: skip
    pd.DataFrame(rows).to_parquet(out / "metingen.parquet", index=False)
    pd.DataFrame({
        "casusnummer": ids,
        "gemeente": ["Tiel"] * n,
        "startdatum": [pd.Timestamp(s) for s in c["start"]],
        "aantal kinderen": [3, 2, 4, 1, 2],
    }).to_parquet(out / "gezinnen.parquet", index=False)  # fmt: skip
    cf = pd.DataFrame({
        "casusnummer": ids + ids[:3],
        "zorgpad": ["OTS"] * n + ["Uithuisplaatsing"] * 3,
        "kans": ["0,6", "0,5", "0,7", "0,4", "0,55", "0,3", "0,2", "0,25"],
        "beoordeeld door": ["verwijzer"] * 8,
    })  # fmt: skip
    planted: list[dict[str, object]] = []
    if messy:
        cf.loc[2, "zorgpad"] = "Jeugdreclassering"
        planted.append(
            {"file": "inschattingen.csv", "row": 4, "column": "zorgpad", "code": "unknown_care_path"}
        )
        cf.loc[5, "kans"] = "1,3"
        planted.append({"file": "inschattingen.csv", "row": 7, "column": "kans", "code": "out_of_range"})
        cf.loc[len(cf)] = ["JB9", "OTS", "0,5", "verwijzer"]
        planted.append(
            {"file": "inschattingen.csv", "row": 10, "column": "casusnummer", "code": "unknown_family"}
        )
    write_csv(cf, out / "inschattingen.csv", sep=";", encoding="utf-8")
    # the project's only published outcome: nuisance reports in the year before, none since the start
    before = [3, 1, 4, 2, 0]
    mrows = [
        {"casusnummer": ids[i], "soort": "Overlastmelding",
         "datum": nlfmt(c["start"][i] - dt.timedelta(days=int(20 + 330 * (j + 1) / (k + 1))))}
        for i, k in enumerate(before) for j in range(k)
    ]  # fmt: skip
    write_csv(pd.DataFrame(mrows), out / "meldingen.csv", sep=";", encoding="utf-8")
    (out / "impactkit.toml").write_text(
        """# A five-family youth-protection pilot: too few families to publish at k = 10.
instrument = "zrm2017"

[waves]
intake = "T0"
year1 = "T1"
year2 = "T2"

[care_paths]
supervision_order = "OTS"
out_of_home_placement = "Uithuisplaatsing"

[outcomes]                 # the police's nuisance register from 2020 to the day of the export
observed_from = 2020-01-01
observed_until = 2024-12-01
""",
        encoding="utf-8",
    )
    return planted


# ----------------------------------------------------------------------------- 6. agreement scale
AGREE = ["Helemaal niet mee eens", "Niet mee eens", "Mee eens", "Helemaal mee eens"]


def zelfrapportage(out: Path, messy: bool) -> list[dict[str, object]]:
    n = 30
    c = cohort(n, 606, 35, 2, 1, 4, gain=0.5, dropout=0.1)
    rng = c["rng"]
    ids = [f"{7000 + i}" for i in range(n)]
    rows = []
    for i in range(n):
        for w, t in enumerate(("T0", "T1")):
            if not c["stay"][i, w]:
                continue
            when = nlfmt(_date(c["start"][i], c["days"][i, w]))
            for q in range(35):
                if rng.random() < 0.03:
                    continue
                rows.append({"Gezinsnummer": ids[i], "Meetmoment": t, "Datum": when, "Stelling": f"S{q + 1}",
                             "Antwoord": AGREE[int(c["scores"][i, w, q]) - 1]})  # fmt: skip
    frame = pd.DataFrame(rows)
    planted: list[dict[str, object]] = []
    costs = pd.DataFrame(
        {"Jaar": [2022, 2023, 2024], "Kostenpost": ["Coördinatie"] * 3, "Bedrag": ["41000", "42500", "44000"]}
    )
    if messy:
        frame.loc[3, "Antwoord"] = "Weet niet"
        planted.append({"file": "stellingen.tsv", "row": 5, "column": "Antwoord", "code": "not_a_number"})
        frame.loc[20, "Stelling"] = "S99"
        planted.append({"file": "stellingen.tsv", "row": 22, "column": "Stelling", "code": "unknown_item"})
        costs.loc[1, "Bedrag"] = "42.500"  # a tab file without a decimal separator in sight: ambiguous
        planted.append(
            {"file": "programmakosten.tsv", "row": 3, "column": "Bedrag", "code": "ambiguous_number"}
        )
    write_csv(frame, out / "stellingen.tsv", sep="\t", encoding="utf-8")
    write_csv(costs, out / "programmakosten.tsv", sep="\t", encoding="utf-8")
    gezinnen = pd.DataFrame({"Gezinsnummer": ids, "Gemeente": ["Ede" if i % 3 else "Arnhem" for i in range(n)],
                             "Startdatum": [nlfmt(s) for s in c["start"]]})  # fmt: skip
    wb = workbook()
    sheet(wb, "Gezinnen", gezinnen)
    save_xlsx(wb, out / "gezinnen.xlsx")
    items = "\n".join(f'q{q + 1:02d} = "S{q + 1}"' for q in range(35))
    (out / "impactkit.toml").write_text(
        f"""# A 1-4 agreement-scale self-report, one row per statement answered, answers in words.
instrument = "agreement35"

[assessments]
file = "stellingen.tsv"

[waves]
intake = "T0"
year1 = "T1"

[items]
{items}
""",
        encoding="utf-8",
    )
    return planted


EXPORTS = {
    "samen_oplopen": samen_oplopen,
    "home_start": home_start,
    "buurtgezinnen": buurtgezinnen,
    "meeleefgezin": meeleefgezin,
    "jeugdbescherming": jeugdbescherming,
    "zelfrapportage": zelfrapportage,
}


def write_corpus(root: Path = ROOT) -> list[Path]:
    """(Re)write ``root/exports/*`` and ``root/messy/*``; return every file written."""
    written: list[Path] = []
    for kind in ("exports", "messy"):
        for name, make in EXPORTS.items():
            folder = root / kind / name
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            planted = make(folder, kind == "messy")
            if kind == "messy":
                (folder / "planted.json").write_text(
                    json.dumps(planted, ensure_ascii=False, indent=1) + "\n", "utf-8"
                )
            written += sorted(folder.iterdir())
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT
    for p in write_corpus(target):
        print(p)
