"""Write synthetic_cohort.csv: an unbalanced, seeded cohort for the mixed-model reference tests.

Run from the repository root: ``python tests/results/mixed/make_synthetic.py``; then
``Rscript tests/results/mixed/reference.R`` writes the reference outputs from it.
Plain numpy so the file does not depend on impactkit.
"""

from pathlib import Path

import numpy as np

rng = np.random.default_rng(20261123)
HERE = Path(__file__).parent
N_FAM = 180
WAVES = ["intake", "year1", "year2"]
# domain: (family SD, wave means, residual SD)
DOMAINS = {
    "finances": (0.8, [2.4, 2.9, 3.2], 0.7),
    "housing": (0.5, [3.0, 3.1, 3.3], 0.8),
    "social_network": (0.15, [2.6, 2.7, 2.9], 0.9),
}
munis = rng.choice(["Arnhem", "Ede", "Zwolle"], size=N_FAM, p=[0.4, 0.35, 0.25])
house = rng.choice(["newcomer", "single_parent", "two_parent"], size=N_FAM)
kids = rng.integers(1, 6, size=N_FAM)
lines = ["family_id,wave,domain,score,municipality,household_type,n_children"]
for f in range(N_FAM):
    has = [True, rng.random() > 0.15, rng.random() > 0.35]
    for d, (sd_f, means, sd_e) in DOMAINS.items():
        b = rng.normal(0, sd_f)
        shift = 0.25 * (munis[f] == "Ede") * np.arange(3) - 0.05 * kids[f]
        for w, wave in enumerate(WAVES):
            if not has[w]:
                continue
            score = float(np.clip(np.rint(means[w] + shift[w] + b + rng.normal(0, sd_e)), 1, 5))
            cell = "" if rng.random() < 0.03 else f"{score:.0f}"  # explicit missing
            lines.append(f"F{f:03d},{wave},{d},{cell},{munis[f]},{house[f]},{kids[f]}")
(HERE / "synthetic_cohort.csv").write_text("\n".join(lines) + "\n")
