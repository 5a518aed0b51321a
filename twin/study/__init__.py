"""Studies: the plan solved many times (futures, clauses); imports plan, never report or cli."""
