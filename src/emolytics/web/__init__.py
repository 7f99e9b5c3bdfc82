"""The HTML pages: one blueprint package per URL prefix (`/login` and friends in `auth`,
`/account`, `/dashboard`, `/datasets`, `/models`), thin views over `accounts` and `pipeline`."""
