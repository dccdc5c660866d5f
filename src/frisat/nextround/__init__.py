"""The next round: the frikommune records and networks, frikommune applications and the
ministry's answers, what-if scenarios over the register, and the two models compared.

- ``networks``: the shipped frikommune records (``data/frikommune.yaml``) and the powers of
  each network as engine listings for that network's municipalities only
- ``scenario``: a scenario (``frisat-scenario/1``) as an overlay on the register, answered
  by the one engine, and its diff against the real register
- ``models``/``services``: applications, rounds, the ministry's decisions, audit
"""
