"""The Authorization header of a bearer token, for the tests that call the API directly."""


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
