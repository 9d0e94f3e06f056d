"""The article's region and the currency a bare 元, $ or dollar takes from it (sentences written for the test)."""

from __future__ import annotations

import json

import pytest

from fintech_metrics.ingest import read_article
from fintech_metrics.parsers import article_figures, detect_region, extract_figures
from fintech_metrics.records import Article


@pytest.mark.parametrize("text, language, region", [
    ("金管會公布，國內電子支付金額去年達2兆元。", "zh-Hant", "TW"),
    ("金管局表示，本港銀行存款增加。", "zh-Hant", "HK"),
    ("中国人民银行数据显示，人民币贷款增加。", "zh-Hans", "CN"),
    ("人民銀行宣布下調存款準備金率，釋放資金約1萬億元。", "zh-Hant", "CN"),  # a mainland matter in Traditional script
    ("The MAS said Singapore banks will receive $50 million.", "en", "SG"),
    ("UPI payments reached Rs 20 lakh crore, the NPCI said.", "en", "IN"),
    ("Fintech funding fell in the quarter.", "en", None),
])
def test_detect_region(text, language, region):
    assert detect_region(text, language=language) == region


def test_the_address_tells_the_region():
    assert detect_region("去年交易額創新高。", language="zh-Hant", url="https://news.example.com.tw/a/1") == "TW"


@pytest.mark.parametrize("text, language, currency", [
    ("金管會統計，電子支付交易額達1.2兆元。", "zh-Hant", "TWD"),
    ("金管局公布，本港銀行貸款為1.2兆元。", "zh-Hant", "HKD"),
    ("人民银行公布，贷款增加1.2万亿元。", "zh-Hans", "CNY"),
])
def test_a_bare_yuan_takes_the_regions_currency(text, language, currency):
    money = [f for f in extract_figures(text, language=language, published="2025-03") if f.kind == "money"]
    assert [f.currency for f in money] == [currency]


def test_a_bare_dollar_in_a_local_singapore_paper_is_sgd():
    text = "The Monetary Authority of Singapore (MAS) will set aside $80 million for the grants."
    money = [f for f in extract_figures(text, language="en") if f.kind == "money"]
    assert [(f.value, f.currency) for f in money] == [(80_000_000, "SGD")]


def test_a_bare_dollar_beside_a_prefixed_dollar_is_usd():
    text = "Singapore start-ups raised US$400 million; one MAS-backed firm took $25 million of it."
    money = [f for f in extract_figures(text, language="en") if f.kind == "money"]
    assert [f.currency for f in money] == ["USD", "USD"]


def test_the_sidecar_region_overrides_detection(tmp_path):
    (tmp_path / "a.txt").write_text("香港某公司去年盈利達3億元。", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(json.dumps({"language": "zh-Hant", "region": "tw"}), encoding="utf-8")
    article = read_article(tmp_path / "a.txt", tmp_path)
    assert isinstance(article, Article) and article.region == "tw"
    money = [f for f in article_figures(article) if f.kind == "money"]
    assert [f.currency for f in money] == ["TWD"]


@pytest.mark.parametrize("text, language, currencies", [
    # (下同) carries a currency to the later bare 元 until another currency is named.
    ("補貼上限為3,000元人民幣（下同），單筆最高800元。", "zh-Hant", ["CNY", "CNY"]),
    ("上限为200美元（下同），每笔最高50元；另收20港元，手续费10元。", "zh-Hans", ["USD", "USD", "HKD", "CNY"]),
    # A currency named in a clause holds for the bare amounts later in it, and in a from-to.
    ("收入由50亿港元增至60亿元，利润10亿元。", "zh-Hans", ["HKD", "CNY"]),
    ("派息共3亿港元及1.2亿元特别股息。", "zh-Hans", ["HKD", "HKD"]),
    # A conversion in brackets names its own currency and does not carry.
    ("投資收入2740億元（約386.1億美元），高於上年的2188億元。", "zh-Hant", ["HKD", "USD", "HKD"]),
])
def test_a_currency_named_once_carries(text, language, currencies):
    money = [f for f in extract_figures(text, language=language, published="2025-03") if f.kind == "money"]
    assert [f.currency for f in money] == currencies


@pytest.mark.parametrize("text, currency", [
    ("Payments reached Rs 18.2 trillion in the month.", "INR"),
    ("Payments reached ₹18.2 trillion in the month.", "INR"),
])
def test_rupees_are_inr(text, currency):
    money = [f for f in extract_figures(text, language="en", published="2025-03") if f.kind == "money"]
    assert [(f.value, f.currency) for f in money] == [(18_200_000_000_000, currency)]
