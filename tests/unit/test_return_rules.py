"""The return rules of SPEC §6 as a table: customer kind × how the goods left × reason ×
quality confirmed × replacement in stock (× return or exchange) → allowed?, and the rule
that decided. Also the franchise ratio at its boundary in whole fen, and ratios stored
exactly."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from showroom.aftersales.rules import (
    Asked,
    Case,
    Quota,
    franchise_ratio,
    judge,
    parse_ratio,
    percent_str,
    ratio_str,
)

TODAY = date(2026, 11, 22)
QUOTA = Quota(TODAY - timedelta(days=100), TODAY + timedelta(days=100), 1000, 1_000_000, 0)
ONE = [Asked("XS-1 P1", 1, 2)]

# kind of customer, delivery, return/exchange, reason, confirmed, in stock → allowed, rule
TABLE = [
    ("wholesale", "self_pickup", "return", "quality", True, False, False, "wholesale_self_pickup"),
    ("wholesale", "self_pickup", "exchange", "goods_differ", False, True, False,
     "wholesale_self_pickup"),
    ("wholesale", "self_pickup", "exchange", "quality", True, True, False, "wholesale_self_pickup"),
    ("wholesale", "shipped", "exchange", "goods_differ", False, True, True, "remote_exchange"),
    ("wholesale", "shipped", "exchange", "goods_differ", False, False, False, "remote_exchange"),
    ("wholesale", "shipped", "return", "goods_differ", False, True, False, "remote_exchange"),
    ("wholesale", "shipped", "return", "goods_differ", False, False, False, "remote_exchange"),
    ("wholesale", "shipped", "exchange", "quality", True, True, True, "remote_exchange"),
    ("wholesale", "shipped", "exchange", "quality", False, True, False, "remote_exchange"),
    ("wholesale", "shipped", "exchange", "quality", True, False, False, "remote_exchange"),
    ("wholesale", "shipped", "return", "quality", True, False, True, "remote_exchange"),
    ("wholesale", "shipped", "return", "quality", True, True, False, "remote_exchange"),
    ("wholesale", "shipped", "return", "quality", False, False, False, "remote_exchange"),
    ("wholesale", "shipped", "return", "other", True, False, False, "remote_exchange"),
    ("wholesale", "shipped", "exchange", "other", False, True, False, "remote_exchange"),
    ("wholesale", "unshipped", "exchange", "goods_differ", False, True, True, "remote_exchange"),
    ("franchise", "self_pickup", "return", "other", False, True, True, "franchise_ratio"),
    ("franchise", "shipped", "exchange", "quality", False, False, True, "franchise_ratio"),
]


@pytest.mark.parametrize(("who", "delivery", "kind", "reason", "confirmed", "in_stock",
                          "allowed", "rule"), TABLE)
def test_rule_table(ctx, who, delivery, kind, reason, confirmed, in_stock, allowed, rule):
    case = Case(who, kind, reason, confirmed, delivery, in_stock)
    verdict = judge(case, ONE, QUOTA, 10_000, TODAY)
    assert (verdict.allowed, verdict.rule) == (allowed, rule), verdict
    assert verdict.reasons and all(isinstance(r, str) and len(r) > 4 for r in verdict.reasons)
    assert verdict.overridable


def test_returnable_qty_comes_first_and_is_never_overridable(ctx):
    case = Case("wholesale", "exchange", "goods_differ", False, "shipped", True)
    verdict = judge(case, [Asked("XS-1 P1", 3, 2)], None, 0, TODAY)
    assert (verdict.allowed, verdict.rule, verdict.overridable) == (False, "returnable_qty", False)
    assert "2" in verdict.reasons[0] and "3" in verdict.reasons[0]


def test_a_line_still_at_the_packing_bench_is_crossed_out_there(ctx):
    case = Case("wholesale", "return", "quality", True, "unshipped", False)
    verdict = judge(case, [Asked("XS-2 P1", 1, 0, at_bench=True)], None, 0, TODAY)
    assert (verdict.allowed, verdict.rule, verdict.overridable) == (False, "returnable_qty", False)


def test_franchise_boundary_in_whole_fen(ctx):
    """10 % of 12,345.67 is 1,234.567: 1,234.56 may come back in all, 1,234.57 may not."""
    q = Quota(TODAY, TODAY, 1000, 1_234_567, 100_000)
    assert franchise_ratio(q, 123_456 - 100_000, TODAY).allowed
    assert not franchise_ratio(q, 123_457 - 100_000, TODAY).allowed
    exact = Quota(TODAY, TODAY, 1000, 1_000_000, 0)  # exactly 10 % is allowed
    assert franchise_ratio(exact, 100_000, TODAY).allowed
    refused = franchise_ratio(exact, 100_001, TODAY)
    assert not refused.allowed and refused.rule == "franchise_ratio"
    assert "0.01" in refused.reasons[0]


def test_franchise_without_contract_or_outside_it(ctx):
    assert not franchise_ratio(None, 1, TODAY).allowed
    q = Quota(TODAY, TODAY + timedelta(days=5), 1000, 1_000_000, 0)
    assert not franchise_ratio(q, 1, TODAY - timedelta(days=1)).allowed
    assert franchise_ratio(q, 1, TODAY + timedelta(days=5)).allowed


@pytest.mark.parametrize(("text", "bp"), [("0.10", 1000), ("0.1", 1000), ("0", 0), ("1", 10000),
                                          ("1.00", 10000), ("0.125", 1250), ("0.0001", 1)])
def test_ratio_parsed_exactly(text, bp):
    assert parse_ratio(text) == bp


@pytest.mark.parametrize("text", ["10", "10%", "0.12345", "1.01", "-0.1", "", " ", "0,10", "0.1e1",
                                  None, 0.1, "１"])
def test_ratio_refused(text):
    assert parse_ratio(text) is None


def test_ratio_written_back_as_stored():
    assert [ratio_str(b) for b in (1000, 1250, 10000, 0, 1)] == ["0.10", "0.125", "1.00",
                                                                 "0.00", "0.0001"]
    assert percent_str(1000) == "10%" and percent_str(1250) == "12.5%"
