"""The register's questions, one module per question, each over a ``Snapshot``.

CLI, API, portal pages, feeds and staff pages ask here; none of them reads the ORM for an
answer or computes law. Each function takes a snapshot (``registry.snapshot``) and typed
arguments and returns data in the JSON shapes of CONTRACT.md (``types``):

- ``rules``: the verdict for every relevant leaf of an institution
- ``status``: one leaf at municipality level
- ``overview``: a municipality's § 6 overview
- ``national``: who is freed from what, and the regimes' timeline
- ``provisions``: an act's provision tree with marks; ``provision``: one provision, where
  it is set aside and how regimes list it
- ``municipality``: coverage, own rule sets and institutions of a municipality
- ``decisions``: published decisions; ``institutions``: institutions on a date
- ``timeline``: an institution's history; ``changes``: what changed between two dates
"""
