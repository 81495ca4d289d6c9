"""Where the demo's figures come from: the source text, NATO Review, or a plausible estimate.

Figures marked `SOURCE_ESTIMATE` are plausible values for the demo, not official figures.
"""

SOURCE_TEXT = "NATO's relations with Contact Countries (official text)"
SOURCE_REVIEW = "NATO Review, 2011"
SOURCE_ESTIMATE = "Demo estimate (not an official figure)"
