"""Checks of the prose: narrative figures against the tables and against their own arithmetic
(`narrative`, with `rates`, `wording`, `procurement` and what it keeps in `stated`), the
performance section's sums and scores (`performance`), and the checks over the claims the prose
checks left (`judged`).  The claims themselves are read with the document (auditlib.ingest.claims);
a check's verdicts go to its result."""
