"""Organisations the entity list does not know (METRICS.md 4.4's naming rule): their keys, and the rows they own."""

from __future__ import annotations

import pytest

from fintech_metrics.parsers import extract_figures, metrics_of
from fintech_metrics.parsers.organisations import key_of, named_before


@pytest.mark.parametrize(("text", "key", "kind"), [
    ("The Harbour Savings Board on Monday allocated", "harbour_savings_board", "organisation"),
    ("Last week, Orbis reported a loss of", "orbis", "company"),
    ("Tiger Asia Ltd is a co-manager with", "tiger_asia", "company"),
    ("advisers Lee and Co Ltd and Kestrel Partners Ltd forecast", "kestrel_partners", "company"),
    ("a unit of Chicago-based Norbury Corp, said", "norbury", "company"),
    ("Moody’s Investors Service Inc said it", "moody_investors_service", "company"),
    ("Pacific Rim Bank's assets", "pacific_rim_bank", "bank"),
    # a possessive name before its result, with only modifiers between, names the company whose result it is
    ("Ortega Mills' 2030 net profits", "ortega_mills", "company"),
    ("an analyst also put Quill Harrow's full-year earnings", "quill_harrow", "company"),
])
def test_an_english_organisation_name_gives_its_key(text, key, kind):
    found = named_before(text, 0, len(text), [])
    assert found is not None
    assert (found.key, found.type, found.reference) == (key, kind, False)


@pytest.mark.parametrize("text", [
    "Analysts expect the results to",  # a capital at a sentence's start says nothing
    "Total loans and advances rose",
    "Government figures show that",
    "Kowalski said he did not",  # "said" follows people's names as often
    "the Bank's own",  # one organisation word is no name
    "Ortega's 2030 petroleum earnings",  # another word names a part or a trade: no company's total
    "Alan Smith of Kestrel Partners Ltd said",  # a person of an organisation, quoted
])
def test_words_that_are_no_organisation_name(text):
    assert named_before(text, 0, len(text), []) is None


def test_a_listed_entity_is_not_taken_for_an_unlisted_one():
    text = "Hang Seng Bank reported"
    assert named_before(text, 0, len(text), [(0, 14)]) is None


def test_chinese_names_and_references_give_no_key():
    text = "星河汽车完成融资"
    found = named_before(text, 0, 4, [])
    assert (found.start, found.key, found.reference) == (0, None, False)
    assert named_before("金融科技公司获得的融资", 0, 6, []) is None  # a class of companies, not one
    text = "该公司净利润为"
    assert named_before(text, 0, 3, []) == named_before(text, 0, 3, [])
    assert named_before(text, 0, 3, []).reference


@pytest.mark.parametrize(("name", "key"), [
    ("Orbis Holdings Ltd", "orbis_holdings"), ("Smith & Ward Co", "smith_and_ward"), ("Bank of Ayr", "bank_of_ayr"),
])
def test_key_of(name, key):
    assert key_of(name, frozenset({"Ltd", "Co"})) == key


def _rows(text: str, language: str, published: str = "2026-03-02") -> list[tuple]:
    figures = extract_figures(text, published=published, language=language)
    return [(m.metric, m.entity, m.value) for m in metrics_of(figures, text, published)]


def test_an_unlisted_bank_owns_its_figure_not_the_place_nearby():
    text = "Pacific Rim Bank, the island's third largest lender with total assets of 12.5 billion dlrs, said on Monday."
    assert _rows(text, "en") == [("total_assets", "pacific_rim_bank", 12.5e9)]


def test_a_company_owns_its_funding_round_named_by_its_name():
    text = "Orbis Robotics Inc is raising 40 mln dlrs in a Series B round, its chief executive said."
    assert _rows(text, "en") == [("funding_raised", "orbis_robotics", 40e6)]


def test_a_chinese_company_the_list_does_not_know_gets_no_row_of_a_listed_one():
    # the round's lead investor is listed (腾讯): the money is the company's, whose name has no key
    text = "星河汽车已完成1亿美元融资，领投方是腾讯。"
    assert _rows(text, "zh-Hans") == []


def test_a_reference_to_the_company_takes_the_one_the_title_names():
    title_listed = "中国支付通公布全年业绩\n\n公司权益持有人应占亏损为3.61亿港元。"
    assert _rows(title_listed, "zh-Hans") == [("net_profit", "china_payment", -3.61e8)]
    title_unlisted = "星河光学再次提交上市申请\n\n文件显示汇丰是保荐人。该公司六个月净利润为15.2亿港元。"
    assert _rows(title_unlisted, "zh-Hans") == []


def test_a_bank_result_of_a_place_needs_a_bank_in_its_sentence():
    text = "HONG KONG, March 2 - Net profit 273,000 dlrs vs profit 1,710,000 for the year."
    assert [r for r in _rows(text, "en") if r[0] == "net_profit"] == []


def test_a_latin_catalogue_word_matches_whole_words_only():
    # "nim" (net interest margin) is inside "Zenim": the share of a field's output is no margin
    text = "Zenim Petroleum can sell at least 50 pct of the output of the field, the ministry said."
    assert _rows(text, "en") == []


@pytest.mark.parametrize(("text", "value"), [
    ("Orbis Oil Ltd reported a 38.6 mln dlr net loss in 1986.", -38.6e6),  # the loss word after the amount
    ("Orbis Corp said the move will result in a loss for the period of about 175 mln dlrs.", -175e6),
    ("Kestrel Corp reported a net profit of 5.1 mln dlrs in 1986 against a loss of 12.9 mln dlrs in 1985.", 5.1e6),
])
def test_the_sign_of_a_result_follows_its_loss_word(text, value):
    assert _rows(text, "en")[0][2] == value


def test_a_wrapped_newswire_sentence_is_read_whole():
    # the year at the head of the sentence dates the revenue on the next line
    text = "ORBIS RESULTS\n\nIn 1986, Orbis Corp earned 52.1 mln dlrs on\nrevenues of 360 mln dlrs.\n"
    figures = extract_figures(text, published="1987-03-16", language="en")
    rows = metrics_of(figures, text, "1987-03-16")
    assert [(m.metric, m.value, m.as_of) for m in rows] == [("net_profit", 52.1e6, "1986"), ("revenue", 360e6, "1986")]


def test_a_chinese_base_a_year_before_holds_a_year_before():
    text = "2023年底香港本地註冊認可機構的綜合總資本比率為21.1%，相比上一年為20.1%。"
    figures = extract_figures(text, published="2024-04-30", language="zh-Hant")
    rows = metrics_of(figures, text, "2024-04-30")
    assert [(m.metric, m.entity, m.value, m.as_of) for m in rows] == [
        ("capital_adequacy_ratio", "hong_kong", 21.1, "2023-12-31"),
        ("capital_adequacy_ratio", "hong_kong", 20.1, "2022-12-31")]


@pytest.mark.parametrize(("text", "entities"), [
    # the subject is named before an aside that names others
    ("Alcoa of Utopia Ltd, owned 51 pct by the Aluminum Co of America, said net profit rose to 20.2 mln dlrs in "
     "2030.", ["alcoa_of_utopia"]),
    ("Zenith Video Co, an equal partnership of Alpha Inc and Beta Film Corp, expects revenues for 2031 to exceed "
     "400 mln dlrs.", ["zenith_video"]),
    # a subject this module cannot name is no reason to give the row to the parent in the aside
    ("Lloyds Bank Utopia, a unit of Lloyds Bank International PLC, said net profit rose to 3.1 mln dlrs in 2030.", []),
    # the other party of a deal is not the subject; a figure that describes it is its own
    ("Ridgeway Bancshares Inc said its planned merger with Harlow Corp would help 2031 earnings rise from last "
     "year's profits of 20 mln dlrs.", ["ridgeway_bancshares"]),
    ("Ridgeway Bancshares Inc said it agreed to acquire Harlow Savings Bank, with assets of 260 mln dlrs.",
     ["harlow_savings_bank"]),
    # a holding company's aside names what it holds, not the subject
    ("Orbis Capital and Investment Services Inc, the holding company for brokerage house Orbis-Lake Securities, "
     "earned 142 mln dlrs in 2030.", ["orbis_capital_and_investment_services"]),
    # the firm of an analyst quoted is not the subject either
    ("Jones, analyst at Brill Barney, Hobbs Upham and Co, said for a 40 billion dlr revenue company one order is "
     "small.", []),
])
def test_an_aside_that_names_other_organisations_does_not_take_the_row(text, entities):
    figures = extract_figures(text, published="2031-03-01", language="en", article_id="0" * 16)
    assert [m.entity for m in metrics_of(figures, text, "2031-03-01")] == entities


@pytest.mark.parametrize(("text", "rows"), [
    # the analyst and the firm quoting the figure are not its entity: the possessive name before the result is
    ("Alan Smith of Kestrel Partners Ltd also put Ortega Mills' 2030 net profits at 450 mln dlrs.",
     [("net_profit", "ortega_mills", 4.5e8)]),
    # sales the sentence goes on to are no profit, and a line of the business is not the company's result
    ("In 2030, Quill Harrow's operational earnings rose 24 pct to 158.7 mln dlrs, and sales rose 17 pct to 2.88 "
     "billion dlrs.", [("net_profit_change", "quill_harrow", 24.0), ("net_profit", "quill_harrow", 1.587e8)]),
    ("Quill Harrow's earnings from exploration and production in 2030 fell to 3.1 billion dlrs.", []),
])
def test_the_possessive_company_owns_its_result_and_not_its_sales_or_lines(text, rows):
    assert _rows(text, "en", "2031-03-02") == rows
