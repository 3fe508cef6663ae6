"""impactkit: does informal family support work, and does it pay?

>>> import impactkit as ik
>>> ik.builtin("default").domain_ids[:3]
['finances', 'housing', 'social_network']
"""

from impactkit._canonical import canonical
from impactkit._version import __version__
from impactkit.errors import (
    DesignError,
    ImpactkitError,
    ImpactkitWarning,
    InstrumentError,
    ParameterError,
    ScenarioError,
    ValidationError,
)
from impactkit.instruments import Instrument, builtin

__all__ = [
    "DesignError",
    "ImpactkitError",
    "ImpactkitWarning",
    "Instrument",
    "InstrumentError",
    "ParameterError",
    "ScenarioError",
    "ValidationError",
    "__version__",
    "builtin",
    "canonical",
]
