"""Checks of the prose: narrative figures against the tables and against their
own arithmetic, and the performance section's sums and scores."""
