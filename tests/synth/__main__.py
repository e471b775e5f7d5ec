"""`python -m tests.synth OUTDIR …` (from the checkout's root)."""

from tests.synth.cli import main

raise SystemExit(main())
