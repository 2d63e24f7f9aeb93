"""Print jobs recorded with business events, and each station's screen of them."""
