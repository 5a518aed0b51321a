"""Studies: the plan solved many times (futures, clauses, alternatives, foresight, samples);
imports plan, never report or cli.

Near-optimal alternatives (:mod:`twin.study.alternatives`), limited foresight
(:mod:`twin.study.foresight`), sampled inputs and global sensitivity (:mod:`twin.study.sampling`)
and resumable ensembles on Dask (:mod:`twin.study.ensemble`), whose members' reports are written
through a task the caller hands in.
"""
