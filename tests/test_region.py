"""The article's region and the currency a bare 元, $ or dollar takes from it (sentences written for the test).

The text-to-figures cases (a bare 元 or $, a currency named once that carries) are data in tests/cases/region.jsonl."""

from __future__ import annotations

import json

import pytest

from fintech_metrics.ingest import read_article
from fintech_metrics.parsers import article_figures, detect_region
from fintech_metrics.parsers.region import bare_dollar
from fintech_metrics.records import Article


@pytest.mark.parametrize("text, language, region", [
    ("金管會公布，國內電子支付金額去年達2兆元。", "zh-Hant", "TW"),
    ("金管局表示，本港銀行存款增加。", "zh-Hant", "HK"),
    ("中国人民银行数据显示，人民币贷款增加。", "zh-Hans", "CN"),
    ("人民銀行宣布下調存款準備金率，釋放資金約1萬億元。", "zh-Hant", "CN"),  # a mainland matter in Traditional script
    ("The MAS said Singapore banks will receive $50 million.", "en", "SG"),
    ("UPI payments reached Rs 20 lakh crore, the NPCI said.", "en", "IN"),
    ("Fintech funding fell in the quarter.", "en", None),
    # older and newswire spellings and stock codes
    ("Analysts expect Hongkong Bank to earn 3.1 billion H.K. Dlrs.", "en", "HK"),
    ("Acme Holdings (0005.HK) said profits rose in Hongkong.", "en", "HK"),
    ("Acme Mines Ltd of Toronto, Canada, said profit rose to 19 mln dlrs.", "en", "CA"),
    ("Acme Australia Ltd, listed on the ASX, said profit rose to 19 mln dlrs.", "en", "AU"),
    # the opening says where the story is: a place named once there outweighs a word further on
    ("ACME AUSTRALIA REPORTS LOSS\n\nAcme Australia Ltd reported a 19 mln dlr net loss in 1986.", "en", "AU"),
    # a wire dateline names where the story was filed
    ("CALGARY, Alberta, March 20 - Acme Oil Ltd said its 1986 net loss was 27.6 mln dlrs.", "en", "CA"),
    ("Calgary, Alberta, March 20 - Acme Oil Ltd said its 1986 net loss was 27.6 mln dlrs.", "en", "CA"),
    ("HONG KONG, Nov 3 (Reuters) - Acme Holdings said profit rose to 19 mln dlrs.", "en", "HK"),
    ("Acme Foods Inc said its profit rose to 19 mln dlrs in 1986." + " Sales grew." * 40 + " It opened a store in "
     "Australia.", "en", None),
])
def test_detect_region(text, language, region):
    assert detect_region(text, language=language) == region


def test_the_address_tells_the_region():
    assert detect_region("去年交易額創新高。", language="zh-Hant", url="https://news.example.com.tw/a/1") == "TW"


def test_the_sidecar_region_overrides_detection(tmp_path):
    (tmp_path / "a.txt").write_text("香港某公司去年盈利達3億元。", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(json.dumps({"language": "zh-Hant", "region": "tw"}), encoding="utf-8")
    article = read_article(tmp_path / "a.txt", tmp_path)
    assert isinstance(article, Article) and article.region == "tw"
    money = [f for f in article_figures(article) if f.kind == "money"]
    assert [f.currency for f in money] == ["TWD"]




def test_a_currency_code_in_a_slash_pair_names_no_place():
    # CAD/CAM is computer-aided design, USD/CAD a currency pair: neither says where the article's dollars are
    assert detect_region("Acme cited strength in its CAD/CAM business. It earned 360,000 dlrs.", language="en") is None
    assert detect_region("The Canadian bank earned 5 mln CAD.", language="en") == "CA"


def test_a_lead_in_us_dollars_makes_the_bare_dollars_us_dollars():
    lead = "The Asian dollar market grew to 200.6 billion U.S. Dlrs in December, the MAS said. "
    assert bare_dollar("SG", lead + "Loans rose to 38.7 billion dlrs.") == "USD"
    # a conversion further on does not: the bare dollars stay the place's
    later = "Acme Ltd of Singapore earned 38.7 mln dlrs. " + "Sales grew. " * 40 + "That is 20 mln U.S. dlrs."
    assert bare_dollar("SG", later) == "SGD"
