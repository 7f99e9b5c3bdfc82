"""Accounts: plain functions over the user tables, one module per concern.

- `registration`: usernames, finding a user, creating one.
- `signin`: checking credentials; `attempts`: the record of sign-in attempts and its delays.
- `sessions`: server-side sign-ins (the browser's cookie names one).
- `tokens`: API tokens.
- `password_changes`: a user's new password, an administrator's reset.
- `lifecycle`: turning an account off and on, deleting it with all it owns.
- `audit`: the audit log (recording events, a team's or a user's pages, exports, retention).
- `second_factor`: who has one, the throttled second step of a sign-in, the session's flag;
  `totp` (authenticator apps), `recovery_codes`, `passkeys` (WebAuthn), `sealed` (secrets
  kept encrypted with a key derived from SECRET_KEY).
- `errors`: what the functions raise; views, the API and the CLI turn it into messages.
- `stored`, `cached`: how the records keep a request's details, and how the authentication
  cache keeps users (shared by `sessions` and `tokens`).
"""
