"""Studies: run the plan many times to ask what one optimum cannot answer. A study imports the
plan, never the report or the CLI.

Decisions under uncertainty: scenario trees from the model's ``uncertainty:`` section
(:mod:`twin.study.tree`), stochastic programs on mpi-sppy solved as one extensive form by HiGHS or
by progressive hedging under MPI (:mod:`twin.study.stochastic`), risk, regret and the value of
information (:mod:`twin.study.risk`); a few enumerated futures are a two-stage tree of the same
program (:func:`twin.study.tree.futures_tree`); clause values (:mod:`twin.study.clauses`).

Near-optimal alternatives (:mod:`twin.study.alternatives`), limited foresight
(:mod:`twin.study.foresight`), sampled inputs and global sensitivity (:mod:`twin.study.sampling`)
and resumable ensembles on Dask (:mod:`twin.study.ensemble`), whose members' reports are written
through a task the caller hands in.
"""
