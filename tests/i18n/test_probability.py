def test_probability_never_rounds_a_possible_event_to_zero():
    """Hand examples: 0.0018 of draws is not 'no chance'; exactly 0 draws is 0%."""
    from impactkit.i18n import Formatter

    en, nl = Formatter("en"), Formatter("nl")
    assert en.probability(0.0018) == "< 1%"
    assert en.probability(0.0) == "0%"
    assert en.probability(0.9991) == "> 99%"
    assert en.probability(0.42) == "42%"
    assert nl.probability(0.0018).startswith("< 1")
