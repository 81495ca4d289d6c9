"""The demo data set's facts: the source text's (NATO's relations with Contact Countries) and public
facts around them, in English and French.

Figures marked `SOURCE_ESTIMATE` are plausible values for the demo, not official figures.

One module per subject; `sources` names where the figures come from.
"""
