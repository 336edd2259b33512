"""HTML pages served by the same app: the public help centre (and later the staff pages)."""
