"""The annual run: one command from the mapping file to the whole, consistent release.

>>> import impactkit as ik
>>> result = ik.run.run("data/sample/impactkit.toml", period=2024)  # doctest: +SKIP

* :mod:`~impactkit.run._config`: the ``[run]`` section (:class:`RunConfig`);
* :mod:`~impactkit.run._run`: :func:`run` (plan, render, audit, manifest, one folder at once);
* :mod:`~impactkit.run._manifest`: the manifest's readable page and workbook.

The period logic is :class:`impactkit.Period` (:mod:`impactkit.io._period`); the year-on-year
section is :mod:`impactkit.report._compare`.
"""

from impactkit.run._config import RunConfig
from impactkit.run._run import RunResult, file_stem, run

__all__ = ["RunConfig", "RunResult", "file_stem", "run"]
