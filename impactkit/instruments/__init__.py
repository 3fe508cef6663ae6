"""Assessment instruments: the shipped ones and the :class:`Instrument` to define your own."""

from impactkit.instruments._instrument import (
    BUILTIN,
    Domain,
    Instrument,
    Item,
    Level,
    Scale,
    Wave,
    builtin,
    normalise_label,
)

__all__ = ["BUILTIN", "Domain", "Instrument", "Item", "Level", "Scale", "Wave", "builtin", "normalise_label"]
