from __future__ import annotations

import pytest

from runtime.credentials import has_scope, mint_key, parse_token, secret_matches

PEPPER = "p" * 40


def test_minted_key_verifies_and_only_with_its_pepper() -> None:
    minted = mint_key(PEPPER, "production")
    assert minted.token.startswith(f"tq_live_{minted.key_id}_")
    presented = parse_token(minted.token)
    assert presented is not None
    assert secret_matches(PEPPER, presented, minted.secret_hash)
    assert not secret_matches("q" * 40, presented, minted.secret_hash)


def test_development_keys_are_marked_test() -> None:
    assert mint_key(PEPPER, "development").token.startswith("tq_test_")


@pytest.mark.parametrize(
    "token",
    [
        "",
        "tq_live",
        "tq_live_abc_secret",
        "xx_live_abcdefghijkl_" + "s" * 30,
        "tq_prod_abcdefghijkl_" + "s" * 30,
        "tq_live_ABCDEFGHIJKL_" + "s" * 30,
        "tq_live_abcdefghijkl_short",
    ],
)
def test_malformed_tokens_are_not_keys(token: str) -> None:
    assert parse_token(token) is None


def test_secret_may_contain_underscores() -> None:
    presented = parse_token("tq_live_abcdefghijkl_" + "a_b" * 10)
    assert presented is not None
    assert presented.secret == "a_b" * 10


def test_admin_holds_every_scope() -> None:
    assert has_scope(("admin",), "intake:write")
    assert has_scope(("intake:read",), "intake:read")
    assert not has_scope(("intake:read",), "intake:write")
