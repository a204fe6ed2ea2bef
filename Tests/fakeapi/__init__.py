"""A fake Kubernetes API server for tests of cops-vigilante.

Python standard library only (ssl + http.server), written independently of the product's own HTTP and
Kubernetes code, so that a bug shared by both cannot hide itself. It speaks the subset of the Kubernetes API
the product uses (nodes, pods, events, discovery) with the real JSON shapes and error semantics, plus an
admin side under /_admin/ for tests (seeding, a request log, fault injection). See README.md.
"""
