"""Write dated_cohort.csv: a seeded cohort with assessment dates and a time-varying covariate.

For the time-as-a-number references (issue 17 item 4): months since intake from ``assessed_on``,
random slopes, and ``support_hours`` (volunteer hours in the months before each assessment, which
varies within a family). Run from the repository root: ``python tests/results/models/make_dated.py``,
then ``Rscript tests/results/models/reference_time.R``. Plain numpy, independent of impactkit.
"""

from datetime import date, timedelta
from pathlib import Path

import numpy as np

rng = np.random.default_rng(20261201)
HERE = Path(__file__).parent
N_FAM = 160
lines = ["family_id,wave,assessed_on,domain,score,support_hours,programme"]
for f in range(N_FAM):
    start = date(2021, 1, 1) + timedelta(days=int(rng.integers(0, 900)))
    offsets = [0, int(rng.normal(365, 30)), int(rng.normal(730, 45))]
    seen = [True, rng.random() > 0.12, rng.random() > 0.3]
    programme = "Home-Start" if rng.random() < 0.45 else "Samen Oplopen"
    b0, b1 = rng.normal(0, 0.7), rng.normal(0, 0.025)  # family intercept and slope per month
    hours = [0.0, float(rng.gamma(3, 10)), float(rng.gamma(3, 8))]
    for d, (base, slope) in {"finances": (2.4, 0.035), "mental_wellbeing": (2.6, 0.025)}.items():
        for w, wave in enumerate(["intake", "year1", "year2"]):
            if not seen[w]:
                continue
            months = offsets[w] / (365.25 / 12)
            mu = base + b0 + (slope + b1 + 0.01 * (programme == "Home-Start")) * months + 0.01 * hours[w]
            score = float(np.clip(np.rint(mu + rng.normal(0, 0.6)), 1, 5))
            when = (start + timedelta(days=offsets[w])).isoformat()
            lines.append(f"F{f:03d},{wave},{when},{d},{score:.0f},{hours[w]:.1f},{programme}")
(HERE / "dated_cohort.csv").write_text("\n".join(lines) + "\n")
