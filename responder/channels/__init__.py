"""Channels beyond HTTP: mail out (the outbox and its sender), later mail in."""
