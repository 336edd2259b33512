"""Who is acting: staff accounts, roles, API tokens, browser sessions and rate limits."""
