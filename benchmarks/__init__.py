"""Offline accuracy and speed benchmark of the responder on Banking77 and CLINC150."""
