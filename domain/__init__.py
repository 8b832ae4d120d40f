"""Changeledger's domain: aggregates, value rules and domain errors.

Pure Python. The only library imported is ``eventsourcing.domain``, which is itself
pure (no persistence, no I/O); see docs/adr/0002-domain-uses-eventsourcing-domain.md.
"""
