"""`python -m govgraph`."""

from govgraph.cli import main

main()
