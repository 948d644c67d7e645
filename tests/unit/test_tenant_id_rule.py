"""The tenant id rule that the CLI checks before the database does (store.api_keys.is_tenant_id)."""

from __future__ import annotations

import re

import pytest

from store.api_keys import TENANT_ID, is_tenant_id
from tests.helpers import ROOT


@pytest.mark.parametrize("tenant_id", ["clinic-a", "a", "0", "north_wing-2", "a" * 63, "9" + "z" * 62, "a-", "a_"])
def test_a_tenant_id_is_lowercase_letters_digits_dash_and_underscore_up_to_63(tenant_id: str) -> None:
    assert is_tenant_id(tenant_id) is True


@pytest.mark.parametrize(
    "tenant_id",
    ["", "a" * 64, "-clinic", "_clinic", "Clinic-a", "clinic a", "clinic.a", "clinic/a", "klinik-ä", "clinic-a\n"],
)
def test_anything_else_is_not_a_tenant_id(tenant_id: str) -> None:
    assert is_tenant_id(tenant_id) is False


def test_the_rule_is_the_databases_check_on_tenants_id() -> None:
    # The CLI refuses what the CHECK would refuse, before asking the database (0002_app_schema.sql).
    schema = (ROOT / "store/migrations/0002_app_schema.sql").read_text()
    check = re.search(r"id\s+text PRIMARY KEY CHECK \(id ~ '\^(.+?)\$'\)", schema)
    assert check is not None
    assert TENANT_ID.pattern == check.group(1)
