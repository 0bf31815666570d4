"""The shared kernel: what every app needs and no app owns.

API plumbing (`kernel.api`), errors that carry their own HTTP status (`kernel.errors`), encryption of
secrets at rest (`kernel.crypto`), environment parsing (`kernel.env`), rate limits, caches and the
periodic-work harness. It imports Django, DRF and the standard library, never a SocialHub app.
"""
