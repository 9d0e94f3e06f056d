"""Figures become canonical metrics that line up across articles and languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fintech_metrics.parsers import extract_figures, metrics_of
from fintech_metrics.parsers.metrics import period_end, taxonomy, to_usd

FIXTURES = Path(__file__).parent / "fixtures"
FIELDS = ("metric", "entity", "value", "qualifier", "change", "value_from", "currency", "as_of", "period",
          "forecast")


def metric_rows(text: str, published: str = "2025-11", language: str | None = None) -> list[dict]:
    figures = extract_figures(text, published=published, language=language, article_id="0" * 16)
    return [{k: getattr(m, k) for k in FIELDS} for m in metrics_of(figures)]


def test_the_shipped_article_yields_exactly_the_gold_metrics(article_text):
    gold = json.loads((FIXTURES / "hk-fintech-week-2025.metrics.json").read_text("utf-8"))
    assert metric_rows(article_text) == [{k: g[k] for k in FIELDS} for g in gold["metrics"]]


SIMPLIFIED = (
    "香港的金融科技公司已超过1200家,预计到2032年,该行业总收入将超过6000亿美元,年增长率高达28%。\n"
    "香港金融管理局的数据显示,已有超过75%的香港银行将AI融入业务。\n"
    "截至2025年10月,生成式AI沙盒第二期已吸引20家银行及14家科技公司参与,形成27个创新用例。\n"
)
TRADITIONAL = (
    "香港的金融科技公司已超過1,200家,預計到2032年,該行業總收入將超過6,000億美元,年增長率高達28%。\n"
    "香港金融管理局的數據顯示,已有超過75%的香港銀行將AI融入業務。\n"
    "截至2025年10月,生成式AI沙盒第二期已吸引20家銀行及14家科技公司參與,形成27個創新用例。\n"
)


def test_traditional_chinese_lands_on_the_same_metrics_as_simplified():
    simplified = metric_rows(SIMPLIFIED, language="zh-Hans")
    assert [(r["metric"], r["entity"]) for r in simplified] == [
        ("fintech_companies", "hong_kong"),
        ("fintech_industry_revenue", "hong_kong"),
        ("fintech_industry_growth_rate", "hong_kong"),
        ("banks_using_ai_share", "hong_kong"),
        ("genai_sandbox_banks", "hkma_genai_sandbox_cohort_2"),
        ("genai_sandbox_tech_firms", "hkma_genai_sandbox_cohort_2"),
        ("genai_sandbox_use_cases", "hkma_genai_sandbox_cohort_2"),
    ]
    assert metric_rows(TRADITIONAL, language="zh-Hant") == simplified


def test_a_figure_matching_no_metric_stays_only_a_figure():
    text = "该平台目前提供35个功能。"
    figures = extract_figures(text)
    assert [f.surface for f in figures] == ["35个功能"]
    assert metrics_of(figures) == []


def test_every_taxonomy_entry_is_well_formed():
    keys = [rule.key for rule in taxonomy()]
    assert len(keys) == len(set(keys))
    for rule in taxonomy():
        assert rule.description and rule.kinds and rule.subjects
        assert "date" not in rule.kinds


@pytest.mark.parametrize("iso, end", [
    ("2025", "2025-12-31"), ("2025-11", "2025-11-30"), ("2024-02", "2024-02-29"), ("2025-11-03", "2025-11-03"),
    ("2025-Q3", "2025-09-30"), ("2025-H1", "2025-06-30"), ("--11-03", None), (None, None),
])
def test_period_end(iso, end):
    assert period_end(iso) == end


def test_money_converts_to_usd_at_the_rate_of_its_date():
    assert to_usd(100_000_000, "HKD", "2025-04") == 12_800_000.0  # the 2025 average
    assert to_usd(100_000_000, "HKD", "2025-11") == 12_860_000.0  # the November 2025 table
    assert to_usd(100_000_000, "CNY", "2019") == 14_480_000.0  # the 2019 average
    assert to_usd(5.0, "USD", "2020-06-30") == 5.0
    assert to_usd(5.0, "XYZ", "2025") is None
    assert to_usd(5.0, None, "2025") is None


@pytest.mark.parametrize("as_of", ["1987", "2030", None, "--11-03"])
def test_no_usd_value_where_no_rate_covers_the_date(as_of):
    assert to_usd(100.0, "HKD", as_of) is None
    assert to_usd(100.0, "USD", as_of) is None


ENGLISH = (
    "Hong Kong is home to more than 1,200 fintech companies, and industry revenue is expected to exceed "
    "US$600 billion by 2032, growing 28% a year.\n"
    "According to the HKMA, more than 75% of Hong Kong banks have integrated AI into their business.\n"
    "As of October 2025, the second cohort of the GenAI Sandbox has drawn 20 banks and 14 technology firms, "
    "forming 27 use cases.\n"
)


def test_english_lands_on_the_same_metrics_and_entities_as_chinese():
    english = metric_rows(ENGLISH, language="en")
    simplified = metric_rows(SIMPLIFIED, language="zh-Hans")
    assert [(r["metric"], r["entity"]) for r in english] == [(r["metric"], r["entity"]) for r in simplified]
    same = ("value", "qualifier", "currency", "as_of", "period", "forecast")
    assert [{k: r[k] for k in same} for r in english] == [{k: r[k] for k in same} for r in simplified]
    # "growing 28% a year" states the growth as a change; 年增长率高达28% states it as a level.
    assert [r["change"] for r in english] == [None, None, "increase", None, None, None, None]


@pytest.mark.parametrize("language, currency", [("zh-Hant", "HKD"), ("zh-Hans", "CNY"), (None, "CNY")])
def test_a_bare_yuan_follows_the_script(language, currency):
    (figure,) = extract_figures("盈利達5,900億元。", language=language)
    assert (figure.value, figure.currency) == (590_000_000_000, currency)


# ---------------------------------------------------------------------------------------------- the catalogue
# Sentences made up for these tests, one per script, that an analyst expects on the same rows.

ROW = ("metric", "entity", "value", "unit", "currency", "change", "qualifier", "as_of", "as_of_source", "period")


def article_rows(text: str, language: str, published: str | None = "2025-07-15") -> list[tuple]:
    figures = extract_figures(text, published=published, language=language, article_id="0" * 16)
    return [tuple(getattr(m, k) for k in ROW) for m in metrics_of(figures, text, published)]


def test_the_shipped_article_read_whole_yields_exactly_the_gold_metrics(article_text):
    gold = json.loads((FIXTURES / "hk-fintech-week-2025.metrics.json").read_text("utf-8"))
    figures = extract_figures(article_text, published="2025-11", language="zh-Hans", article_id="0" * 16)
    rows = metrics_of(figures, article_text, "2025-11")
    assert [{k: getattr(m, k) for k in FIELDS} for m in rows] == [{k: g[k] for k in FIELDS} for g in gold["metrics"]]
    assert all(m.as_of_source in ("sentence", "published") for m in rows)


def test_the_catalogue_has_every_key_of_the_specification():
    levels = [r.key for r in taxonomy() if r.level is None]
    assert len(levels) == 71
    shipped = {"event_economies", "event_executives", "event_speakers", "event_exhibitors", "fintech_companies",
               "fintech_industry_revenue", "fintech_industry_growth_rate", "banks_using_ai_share",
               "genai_sandbox_banks", "genai_sandbox_tech_firms", "genai_sandbox_use_cases", "conversion_rate_change",
               "ekyc_accuracy", "account_opening_success_rate", "app_store_rating_change", "investment_commitment"}
    assert shipped <= set(levels)
    assert {"payment_system_registrations_change", "net_profit_change", "npl_ratio_change"} <= {
        r.key for r in taxonomy()}


LEVEL_AND_CHANGE = {
    "zh-Hans": "截至2025年6月底，转数快登记总数增至1,400万个，按年增加5%。",
    "zh-Hant": "截至2025年6月底，轉數快登記數目增至1,400萬個，按年增加5%。",
    "en": "As at the end of June 2025, FPS registrations rose to 14 million, up 5% year on year.",
}


@pytest.mark.parametrize("language", sorted(LEVEL_AND_CHANGE))
def test_a_level_and_its_change_land_on_the_same_rows_in_each_script(language):
    assert article_rows(LEVEL_AND_CHANGE[language], language) == [
        ("payment_system_registrations", "fps", 14_000_000.0, None, None, "increase", "exact", "2025-06-30",
         "sentence", None),
        ("payment_system_registrations_change", "fps", 5.0, "yoy", None, "increase", "exact", "2025-06-30",
         "sentence", None),
    ]


LOSS = {
    "zh-Hans": "众安银行上半年净亏损1.2亿港元，亏损按年收窄30%。",
    "zh-Hant": "眾安銀行上半年淨虧損1.2億港元，虧損按年收窄30%。",
    "en": "ZA Bank posted a net loss of HK$120 million in the first half, and the loss narrowed 30% year on year.",
}


@pytest.mark.parametrize("language", sorted(LOSS))
def test_a_loss_is_negative_and_a_narrowing_loss_is_an_increase(language):
    assert article_rows(LOSS[language], language) == [
        ("net_profit", "za_bank", -120_000_000.0, None, "HKD", None, "exact", "2025-H1", "sentence", None),
        ("net_profit_change", "za_bank", 30.0, "yoy", "HKD", "increase", "exact", "2025-H1", "sentence", None),
    ]


def test_a_decrease_is_negative_on_the_change_row():
    (row,) = article_rows("截至2025年6月底，香港人民币存款较上月减少2%。", "zh-Hans")
    assert row[:6] == ("rmb_deposits_change", "hong_kong", -2.0, "mom", None, "decrease")


COMMITMENT = {
    "zh-Hans": "腾讯(00700.HK)宣布未来三年投入5亿港元(约合6,400万美元)推行计划。",
    "en": "Tencent (0700 HK) will invest HK$500 million over the next three years in the programme.",
}


@pytest.mark.parametrize("language", sorted(COMMITMENT))
def test_a_commitment_is_one_row_with_its_span_and_the_ticker_is_not_a_place(language):
    # the amount restated in US dollars is not a second row; "HK" in a stock code is not Hong Kong
    assert article_rows(COMMITMENT[language], language) == [
        ("investment_commitment", "tencent", 500_000_000.0, None, "HKD", None, "exact", "2025-07-15", "published",
         "P3Y"),
    ]


@pytest.mark.parametrize("text, language", [
    ("储值支付工具持牌人的最低资本要求为2,500万港元。", "zh-Hans"),  # a requirement
    ("The bank's deposits are subject to a cap of S$50 million.", "en"),  # a limit
    ("招商银行信息科技投入130亿元，占营业收入的4.4%。", "zh-Hans"),  # IT spending and a share of revenue
    ("A survey of 200 fintech companies in Hong Kong found most were hiring.", "en"),  # a sample
    ("全球最大的两个经济体之间的贸易额下降。", "zh-Hans"),  # not an event's economies
    ("眾安銀行推出優惠，首5,000名新客戶可獲現金賞100港元。", "zh-Hant"),  # the terms of an offer
    ("外匯基金錄得投資收入1,000億港元，其中港股投資收入為300億港元。", "zh-Hant"),  # a sub-portfolio: one row only
])
def test_what_the_catalogue_never_makes_a_row_of(text, language):
    assert [r for r in article_rows(text, language) if r[2] != 1e11] == []


@pytest.mark.parametrize("text", [
    "The Hong Kong dollar weakened against the US dollar.",
    "新加坡元兑港元走弱。",
    "腾讯(00700.HK)股价上升。",
    "內地相關貸款減少。",
])
def test_currency_names_tickers_and_metric_names_are_not_places(text):
    from fintech_metrics.parsers.attribution import find_mentions

    assert [m.key for m in find_mentions(text) if m.key in ("hong_kong", "singapore", "mainland_china")] == []


def test_the_csrc_in_mainland_news_and_the_sfc_in_hong_kong():
    from fintech_metrics.parsers.attribution import find_mentions

    assert [m.key for m in find_mentions("中国A股市场方面，证监会表示将加强监管。")] == ["csrc"]
    assert [m.key for m in find_mentions("香港证监会已向11家平台发牌。")] == ["sfc"]


def test_as_of_a_month_without_a_year_is_the_latest_before_publication():
    rows = article_rows("In March, UPI processed 18 billion transactions.", "en", published="2025-04-01")
    assert [(r[0], r[1], r[2], r[7], r[8]) for r in rows] == [
        ("payment_system_transactions", "upi", 18e9, "2025-03", "sentence")]


def test_as_of_of_an_annual_report_is_the_report_year():
    # published in April 2024: "31 December" without a year is 2023's, never a date after publication
    rows = article_rows("As of 31 December, the FPS had recorded 8 million registrations.", "en",
                        published="2024-04-30")
    assert [(r[0], r[7], r[8]) for r in rows] == [("payment_system_registrations", "2023-12-31", "sentence")]


def test_as_of_falls_back_to_the_published_date_and_says_so():
    rows = article_rows("ZA Bank now serves more than 900,000 customers.", "en", published="2025-07-15")
    assert [(r[0], r[1], r[6], r[7], r[8]) for r in rows] == [
        ("bank_customers", "za_bank", "more_than", "2025-07-15", "published")]


def test_a_flow_over_the_first_months_of_a_year_is_a_span():
    rows = article_rows("外匯基金今年前3季投資收入為2,000億港元。", "zh-Hant", published="2025-11-14")
    assert [(r[0], r[1], r[2], r[7], r[9]) for r in rows] == [
        ("investment_income", "exchange_fund", 2e11, "2025-09", "P9M")]


def test_value_usd_is_converted_at_a_rate_covering_its_date_and_says_which():
    def money_rows(text: str) -> list[tuple]:
        figures = extract_figures(text, published="2025-07-15", language="en", article_id="0" * 16)
        return [(m.metric, m.as_of, m.value_usd, m.usd_rate, m.usd_rate_table) for m in metrics_of(
            figures, text, "2025-07-15")]

    ((metric, as_of, usd, rate, table),) = money_rows("ZA Bank's customer deposits were HK$10 billion at the end "
                                                      "of 2019.")
    assert (metric, as_of, usd, rate) == ("deposits", "2019-12-31", 1_276_000_000.0, 0.1276)
    assert table.startswith("2019-01-01/2019-12-31: Annual average 2019")
    ((_, as_of, usd, rate, table),) = money_rows("ZA Bank's customer deposits were HK$10 billion at the end of 1987.")
    assert (as_of, usd, rate, table) == ("1987-12-31", None, None, None)


@pytest.mark.parametrize("text, language, published, expected", [
    # a stock's change during a year is since the end of the previous year
    ("2024年香港客戶存款增加3%。", "zh-Hant", "2025-04-30", ("deposits_change", "hong_kong", 3.0, "ytd")),
    # a flow's change stated against the previous month, named
    ("In March, UPI transactions rose 5% over February.", "en", "2025-04-01",
     ("payment_system_transactions_change", "upi", 5.0, "mom")),
    # a basis stated once for the sentence
    ("On a year-on-year basis, FPS transactions in March were up 20%.", "en", "2025-04-01",
     ("payment_system_transactions_change", "fps", 20.0, "yoy")),
])
def test_the_comparison_basis_of_a_change(text, language, published, expected):
    rows = article_rows(text, language, published=published)
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [expected]


def test_a_bare_profit_under_a_pre_tax_statistic_is_pre_tax_profit():
    rows = article_rows("根據金管會統計，台灣金融業今年前七月稅前盈餘合計1,200億元，其中銀行業獲利800億元。", "zh-Hant",
                        published="2025-09-08")
    # the financial industry's total (insurers and securities firms too) is not the place's banking sector
    assert [(r[0], r[2], r[7], r[9]) for r in rows] == [("pre_tax_profit", 8e10, "2025-07", "P7M")]


@pytest.mark.parametrize("text", [
    "甲银行、乙银行的营业收入均超过300亿元。",  # one value for several banks (4.5)
    "Alpha Bank and Beta Bank raised $50 million apiece.",
    "Read more: 95 Kenyan fintech startups raised $310m in Q2 2024.",  # a total of several companies
    "Acme Pay led the quarter with 30 per cent of a total $310 million raised by fintech startups in the region.",
    "该公司每股基本亏损为12.5港仙。",  # a per-share amount is not the net profit
    "2024年，某支付公司收单业务实现营业收入30.5亿元，占总收入的80.1%。",  # a segment of the total
    "根據金管會統計，產險業前八月稅前盈餘一五○億元、年增五％。",  # insurers are not the banking sector
    "二、監管重點 3 大方向",  # a list of the N main things, not a count
    "截至2024年底，某银行小微客户数超过5000万。",  # a segment of the customers
    "新功能推出後不足1個月已錄得超過80,000個轉數快登記。",  # an increment over a span, not the level
])
def test_what_the_catalogue_does_not_make_a_row_of(text):
    assert [r["metric"] for r in metric_rows(text)] == []


def test_a_place_banking_result_stays_with_its_banking_sector():
    rows = metric_rows("根據金管會統計，今年前八月銀行業獲利三五○○億元，保險業獲利一二○億元。", published="2025-09-20")
    assert [(r["metric"], r["entity"], r["value"], r["as_of"], r["period"]) for r in rows] == [
        ("net_profit", "taiwan", 350000000000.0, "2025-08", "P8M")]


def test_an_announcement_date_is_not_the_time_of_a_span_and_a_later_year_names_its_own():
    rows = article_rows("金管局12日公布，外匯基金今年首3季投資收入達1,500億港元，高於2023全年的1,200億元。", "zh-Hant",
                        published="2025-11-13")
    assert [(r[0], r[2], r[7], r[8], r[9]) for r in rows] == [
        ("investment_income", 1.5e11, "2025-09", "sentence", "P9M"),
        ("investment_income", 1.2e11, "2023", "sentence", None)]


@pytest.mark.parametrize(("text", "language"), [
    ("去年轉數快交易量增長迅速，於2024年12月的平均每日交易量達600,000宗，相當於2023年12月200,000宗的3倍。", "zh-Hant"),
    ("FPS grew fast: the average daily turnover reached 600,000 transactions in December 2024, three times of the "
     "200,000 transactions in December 2023.", "en"),
])
def test_a_multiple_holds_at_the_statement_date_not_its_base_and_keeps_the_daily_average(text, language):
    rows = article_rows(text, language, published="2025-04-30")
    assert sorted((r[0], r[2], r[7], r[9]) for r in rows) == [
        ("payment_system_transactions", 200000.0, "2023-12", "P1D"),
        ("payment_system_transactions", 600000.0, "2024-12", "P1D"),
        ("payment_system_transactions_change", 3.0, "2024-12", "P1D")]


def test_an_english_base_from_is_a_row_at_its_own_date_and_not_the_levels_value_from():
    rows = article_rows("FPS transaction volume fell 4 per cent month-on-month to 2.1 billion from 2.2 billion in "
                        "January.", "en", published="2025-03-05")
    assert [(r[0], r[2], r[5], r[7], r[8]) for r in rows] == [
        ("payment_system_transactions_change", -4.0, "decrease", "2025-03-05", "published"),
        ("payment_system_transactions", 2.1e9, "decrease", "2025-03-05", "published"),
        ("payment_system_transactions", 2.2e9, None, "2025-01", "sentence")]


def test_the_period_an_article_reports_dates_its_undated_statements():
    text = ("FPS turnover hit a record in March 2025, at HK$900 billion.\n\n"
            "Daily FPS transactions rose to 2.5 million from 2.3 million in February.\n")
    rows = article_rows(text, "en", published="2025-04-10")
    assert [(r[0], r[2], r[7], r[8]) for r in rows if r[0] == "payment_system_transactions"] == [
        ("payment_system_transactions", 2.5e6, "2025-03", "report"),
        ("payment_system_transactions", 2.3e6, "2025-02", "sentence")]


def test_a_date_that_is_no_target_is_the_time_the_value_holds_not_its_period():
    rows = article_rows("Digital banks grew fast in 2023.\n\nMeanwhile, GXS Bank attracted S$300 million in customer "
                        "deposits by end-2023.", "en", published="2024-03-01")
    assert [(r[0], r[2], r[7], r[9]) for r in rows] == [("deposits", 3e8, "2023-12-31", None)]


def test_a_launch_date_in_the_opening_is_not_the_reported_period():
    rows = article_rows("There are now more than 9 million users registered for the Faster Payment System (FPS), the "
                        "platform that launched in September 2018.", "en", published="2022-03-01")
    assert [(r[0], r[7], r[8]) for r in rows] == [("payment_system_registrations", "2022-03-01", "published")]


def test_a_level_held_as_of_a_past_date_is_no_forecast_and_a_yearless_quarter_is_the_reported_one():
    rows = article_rows("Acme's mobile payments grew in the first quarter of the year.\n\nMobile payments in China "
                        "climbed 8.5 percent from the same period last year to 120.5 trillion yuan.", "en",
                        published="2024-05-20")
    assert [(r[0], r[7], r[8]) for r in rows] == [
        ("mobile_payment_value_change", "2024-Q1", "report"), ("mobile_payment_value", "2024-Q1", "report")]
    text = "GXS Bank said it would soon expand, with the platform already serving 500,000 customers as of June 2024."
    figures = extract_figures(text, published="2024-07-01", language="en", article_id="0" * 16)
    assert [(m.metric, m.as_of, m.forecast) for m in metrics_of(figures, text, "2024-07-01")] == [
        ("bank_customers", "2024-06", False)]


@pytest.mark.parametrize(("text", "language"), [
    ("外匯基金在2020年錄得1,500億港元的投資收入，其中包括債券投資收益800億港元，以及外匯基金投資控股附屬公司持有的其他投資收益"
     "200億港元。", "zh-Hant"),
    ("The Exchange Fund recorded an investment income of HK$150 billion in 2020, comprising gains of HK$80 billion on "
     "bonds and gains of HK$20 billion on other investments held by the Exchange Fund's investment holding "
     "subsidiaries.", "en"),
])
def test_a_breakdown_of_a_total_by_asset_class_is_not_a_row(text, language):
    rows = article_rows(text, language, published="2021-04-30")
    assert [(r[0], r[1], r[2]) for r in rows] == [("investment_income", "exchange_fund", 1.5e11)]


def test_the_whole_banking_sector_is_the_place_and_an_annual_reports_year_end_is_its_own():
    text = ("金管局數據顯示，零售銀行的特定分類貸款比率由2019年底的0.60%微跌至2020年底的0.55%；"
            "同期，整體銀行業的特定分類貸款比率則由0.66%微升至0.70%。")
    figures = extract_figures(text, published="2021-04-30", language="zh-Hant", article_id="0" * 16)
    rows = metrics_of(figures, text, "2021-04-30", report="2020")
    assert [(m.entity, m.value) for m in rows] == [("hk_retail_banks", 0.55), ("hong_kong", 0.70)]
    text = "The HKMA said retail banks' classified loan ratio rose to 0.55% at the end of the year."
    figures = extract_figures(text, published="2021-04-30", language="en", article_id="0" * 16)
    assert [(m.metric, m.as_of) for m in metrics_of(figures, text, "2021-04-30", report="2020")] == [
        ("npl_ratio", "2020-12-31")]


def test_the_longest_catalogue_word_in_a_subject_names_the_metric():
    rows = article_rows("零售銀行的盈利改善主要由於淨利息收入（+20.3%）增加。", "zh-Hant", published="2018-04-30")
    assert [(r[0], r[1], r[2]) for r in rows] == [("net_interest_income_change", "hk_retail_banks", 20.3)]


@pytest.mark.parametrize(("text", "language"), [
    ("2020年零售銀行的費用及佣金收入下跌5.5%。", "zh-Hant"),
    ("2020年零售银行的费用与佣金收入下跌5.5%。", "zh-Hans"),
    ("In 2020, retail banks' fee and commission income dropped by 5.5%.", "en"),
])
def test_fee_and_commission_income_in_the_three_scripts(text, language):
    rows = article_rows(text, language, published="2021-04-30")
    assert [(r[0], r[1], r[2], r[7]) for r in rows] == [("fee_income_change", "hk_retail_banks", -5.5, "2020")]


def test_the_base_of_a_comparison_stated_as_its_own_growth_holds_at_its_date():
    rows = article_rows("香港的存款總額於2022年增加1.7%，相比2021年的增幅為4.6%。", "zh-Hant", published="2023-04-30")
    assert [(r[0], r[2], r[7]) for r in rows] == [("deposits_change", 1.7, "2022"), ("deposits_change", 4.6, "2021")]
    text = "At the end of the year, renminbi customer deposits stood at RMB 800 billion in Hong Kong."
    figures = extract_figures(text, published="2021-04-30", language="en", article_id="0" * 16)
    assert [(m.metric, m.as_of) for m in metrics_of(figures, text, "2021-04-30", report="2020")] == [
        ("rmb_deposits", "2020-12-31")]


def test_the_banking_industry_as_a_whole_after_a_comma_is_the_place():
    text = "The HKMA said that for the banking industry as a whole, the classified loan ratio rose to 0.57%."
    figures = extract_figures(text, published="2020-04-30", language="en", article_id="0" * 16)
    assert [(m.metric, m.entity) for m in metrics_of(figures, text, "2020-04-30", report="2019")] == [
        ("npl_ratio", "hong_kong")]


@pytest.mark.parametrize(("text", "language"), [
    ("金管局表示，於2020年底，本地銀行的資本充足比率為20.5%，遠高於國際最低要求的8%。", "zh-Hant"),
    ("The HKMA said that as at end-2020, the capital adequacy ratio of local banks was 20.5%, well above the "
     "international minimum requirement of 8%.", "en"),
])
def test_a_ratio_compared_with_a_minimum_in_the_next_clause_is_still_a_row(text, language):
    rows = article_rows(text, language, published="2021-04-30")
    assert [(r[0], r[1], r[2], r[7]) for r in rows] == [("capital_adequacy_ratio", "hong_kong", 20.5, "2020-12-31")]


def test_financial_assets_at_fair_value_are_not_total_assets():
    rows = article_rows("As at 31 December 2020, the Exchange Fund had financial assets totalling HK$3,800,000 million "
                        "valued at fair value.", "en", published="2021-04-30")
    assert rows == []


@pytest.mark.parametrize(("text", "language"), [
    ("The HKMA said total bank loans recorded a growth of 3.3% during the year, with the classified loan ratio of "
     "retail banks at 0.6%.", "en"),
    ("金管局表示，年內銀行信貸錄得3.3%的增長，零售銀行不良貸款比率為0.6%。", "zh-Hant"),
])
def test_an_entity_after_the_figure_names_it_only_in_its_own_clause(text, language):
    figures = extract_figures(text, published="2021-04-30", language=language, article_id="0" * 16)
    rows = metrics_of(figures, text, "2021-04-30", report="2020")
    assert [(m.metric, m.entity, m.value, m.as_of) for m in rows] == [
        ("loans_change", "hong_kong", 3.3, "2020"), ("npl_ratio", "hk_retail_banks", 0.6, "2020")]


def test_an_annual_reports_paragraph_opening_at_year_end_dates_its_stocks():
    text = ("The total assets of the Exchange Fund reached HK$4,000 billion at year end. Outstanding investment "
            "commitments amounted to HK$160 billion.")
    figures = extract_figures(text, published="2018-04-30", language="en", article_id="0" * 16)
    rows = metrics_of(figures, text, "2018-04-30", report="2017")
    assert [(m.metric, m.as_of, m.as_of_source) for m in rows] == [
        ("total_assets", "2017-12-31", "sentence"), ("outstanding_investment_commitments", "2017-12-31", "lead")]


@pytest.mark.parametrize(("text", "language"), [
    ("By the end of 2018, 40 fintech projects had been allowed to use the Fintech Supervisory Sandbox. Among these "
     "cases, 25 pilot trials were completed.", "en"),
    ("截至2018年底，共有40項金融科技項目獲准使用金融科技監管沙盒進行測試，其中25項已完成試行。", "zh-Hant"),
])
def test_a_subset_among_these_cases_is_a_breakdown(text, language):
    rows = article_rows(text, language, published="2019-04-30")
    assert 25.0 not in [r[2] for r in rows]


@pytest.mark.parametrize(("text", "language"), [
    ("As for Mainland-related lending, the banking sector's classified loan ratio increased to 1.1% at the end of "
     "2021 from 0.9% at the end of 2020.", "en"),
    ("金管局表示，中國內地相關貸款的特定分類貸款比率由2020年底的0.9%上升至2021年底的1.1%。", "zh-Hant"),
])
def test_the_classified_loan_ratio_of_mainland_related_lending_is_neither_metric(text, language):
    assert article_rows(text, language, published="2022-04-30") == []


@pytest.mark.parametrize(("text", "language"), [
    ("零售銀行的經營開支增加（+5%）及貸款減值準備金增加（+60%）。", "zh-Hant"),
    ("Retail banks' loan impairment allowances increased by 60%.", "en"),
])
def test_loan_impairment_allowances_are_not_loans(text, language):
    assert article_rows(text, language, published="2022-04-30") == []


@pytest.mark.parametrize(("text", "language"), [
    ("於2020年12月31日，未來基金的存款共2,500億港元。", "zh-Hant"),
    ("As at 31 December 2020, placements by the Future Fund totalled HK$250,000 million.", "en"),
    ("香港銀行截至年底的人民幣貸款餘額為1,500億元人民幣。", "zh-Hant"),
])
def test_placements_with_a_fund_and_loans_in_one_currency_are_not_the_places_deposits_or_loans(text, language):
    assert article_rows(text, language, published="2021-04-30") == []


_GATED_PIECES = ["优惠", "現金賞", "cash back", "CASHBACK", "Rebate", "lucky draw", "不足", "less than", "Within",
                 "a", "one", "3", "个", "月", "month", "weeks", "上限", "门槛", "Minimum", "cap", "capped", "No.",
                 "第3名", "top 5", "target", "目标", "ſurvey", "K", "İ", "的", "，", " ", "x"]


@given(st.lists(st.sampled_from(_GATED_PIECES), max_size=10).map("".join), st.integers(0, 3), st.integers(0, 3))
def test_a_first_character_gate_finds_what_its_pattern_finds(text, lo, cut):
    from fintech_metrics.parsers import metrics, scanning

    end = max(lo, len(text) - cut)
    for pattern in (metrics._THRESHOLD, metrics._PROMOTION, metrics._SINCE_EVENT):
        gate = scanning.gate_of(pattern)
        assert gate is not pattern  # their first characters can be told
        assert (gate.search(text, lo, end) is None) == (pattern.search(text, lo, end) is None)


def test_first_chars_reads_alternatives_cases_and_what_it_cannot_tell():
    import re

    from fintech_metrics.parsers.scanning import first_chars

    assert first_chars(re.compile(r"x(?i:ab)|(?i:cd)|\bq")) == "xcCq"
    assert first_chars(re.compile(r"(?i)é")) is None  # a non-ASCII letter: `re` knows other cases of it
    assert first_chars(re.compile(r"a?b")) is None  # may start with either


# English and Chinese statements of one fact (written for these tests) land on the same rows: the parity the HKMA's
# parallel chapters measure (bench/parity.py).
PARALLEL = [
    pytest.param(  # the classified loan ratio of a sub-portfolio (mainland-related lending) is no row in either
        "Asset quality of Hong Kong banks stayed sound in 2030. In terms of Mainland-related lending, the classified "
        "loan ratio of retail banks rose to 1.9% from 1.7% a year earlier.",
        "2030年本港銀行的資產質素保持穩健。內地相關貸款方面，零售銀行的特定分類貸款比率由1.7%上升至1.9%。",
        [], id="sub-portfolio-npl"),
    pytest.param(  # a provision coverage ratio defined by the classified loans is not their ratio
        "In Hong Kong, the provision coverage ratio (provisions to classified loans) stayed at about 70% at the end "
        "of 2030.",
        "截至2030年底，本港銀行信貸撥備覆蓋率（即信貸撥備和特定分類貸款比率）約維持於70%。",
        [], id="provision-coverage"),
    pytest.param(  # the Hong Kong-dollar ratio (hyphenated or not) is a one-currency ratio
        "In Hong Kong, the overall loan-to-deposit ratio fell to 60.5% at the end of 2030. The Hong Kong-dollar "
        "loan-to-deposit ratio rose to 80.2%.",
        "本港整體貸存比率於2030年底降至60.5%。港元貸存比率則升至80.2%。",
        [("loan_to_deposit_ratio", "hong_kong", 60.5, "2030-12-31", "sentence")], id="one-currency-ldr"),
    pytest.param(  # a change joined to the level it reached takes the date after the level
        "Mainland-related lending of Hong Kong banks grew by 3% to HK$4,100 billion at the end of 2030.",
        "本港銀行的內地相關貸款總額在2030年底增加3%至41,000億港元。",
        [("mainland_related_lending_change", "hong_kong", 3.0, "2030-12-31", "sentence"),
         ("mainland_related_lending", "hong_kong", 4.1e12, "2030-12-31", "sentence")], id="change-to-level-date"),
    pytest.param(  # "as of the end of": the figure's own date, not the base of a comparison
        "The consolidated total capital ratio of local banks in Hong Kong stood at 20.4% as of the end of 2030, "
        "above the minimum.",
        "2030年底，香港本地銀行綜合總資本比率達20.4%，高於最低要求。",
        [("capital_adequacy_ratio", "hong_kong", 20.4, "2030-12-31", "sentence")], id="as-of-the-end"),
    pytest.param(  # what is committed but not yet drawn is the outstanding commitment, not a new commitment
        "At the end of 2030, the market value of the LTGP investments totalled HK$300 billion, with outstanding "
        "investment commitments amounting to HK$150 billion.",
        "於2030年底，長期增長組合投資的市值總計3,000億港元，已批出但未提取作投資的總額為1,500億港元。",
        [("outstanding_investment_commitments", "ltgp", 1.5e11, "2030-12-31", "sentence")], id="outstanding"),
    pytest.param(  # the banking sector's ratio (銀行體系的) is the place's, also after a sentence on retail banks
        "Retail banks in Hong Kong saw their profits rise, the HKMA said. The classified loan ratio of the banking "
        "sector increased to 1.9% at the end of 2030.",
        "金管局表示，本港零售銀行盈利上升。銀行體系的特定分類貸款比率上升至2030年底的1.9%。",
        [("npl_ratio", "hong_kong", 1.9, "2030-12-31", "sentence")], id="banking-sector"),
    pytest.param(  # "(three of which are…)", （其中3個…）: a part of the count just stated
        "In 2030 the HKMA supervised 12 licensed SVFs in Hong Kong (three of which are issued by licensed banks).",
        "2030年，金管局監管本港12個持牌儲值支付工具（其中3個由持牌銀行發行）。",
        [("svf_licensees", "hong_kong", 12.0, "2030", "sentence")], id="of-which"),
    pytest.param(  # a count of systems or staff near a payment system is not its transactions
        "In 2030 the FPS ran smoothly in Hong Kong, and the four RTGS systems for interbank payments ran all year. The "
        "HKMA's establishment rose by 20 to 900 posts to support payment systems such as the FPS.",
        "2030年，本港轉數快運作暢順，處理銀行同業交易的4個RTGS系統亦全年運作正常。金管局的人手編制增加20人至900人，"
        "以支援轉數快等支付系統的工作。",
        [], id="systems-and-staff"),
    pytest.param(  # "Out of these cases", 其中: the completed part of the trials is no row of its own
        "As of end-2030, 40 new technology products had been tested in the Fintech Supervisory Sandbox. Out of these "
        "cases, 25 pilot trials have been completed.",
        "截至2030年底，共有40項新科技產品使用金融科技監管沙盒進行測試，其中25項完成試行。",
        [], id="out-of-these"),
    pytest.param(  # "This included", 其中包括: a part of the lending just stated
        "Mainland-related lending of Hong Kong banks grew by 3% to HK$4,100 billion at the end of 2030. This included "
        "HK$600 billion of loans booked with Mainland subsidiaries.",
        "本港銀行的內地相關貸款總額在2030年底增加3%至41,000億港元，其中包括內地附屬公司入帳的6,000億港元貸款。",
        [("mainland_related_lending_change", "hong_kong", 3.0, "2030-12-31", "sentence"),
         ("mainland_related_lending", "hong_kong", 4.1e12, "2030-12-31", "sentence")], id="this-included"),
    pytest.param(  # after the parts of a breakdown, a clause that names a metric in full states it (當中包括…，已承擔…)
        "At the end of 2030, the market value of the LTGP investments totalled HK$300 billion, made up of HK$200 "
        "billion in private equity and HK$100 billion in real estate, with outstanding investment commitments "
        "amounting to HK$150 billion.",
        "於2030年底，長期增長組合投資的市值總計3,000億港元，當中包括私募股權2,000億港元及房地產1,000億港元，"
        "已承擔但尚未提取作投資的總額為1,500億港元。",
        [("outstanding_investment_commitments", "ltgp", 1.5e11, "2030-12-31", "sentence")], id="clause-after-parts"),
    pytest.param(  # a population is not a count of registrations
        "FPS registrations in Hong Kong reached 9 million in 2030, a high share of a population of 7.5 million.",
        "2030年香港轉數快登記數目達900萬，相對於750萬人口，滲透率相當高。",
        [("payment_system_registrations", "fps", 9e6, "2030", "sentence")], id="population"),
    pytest.param(  # "total lending" names loans; "for the year as a whole" (全年) is the report year, not the lead's
        # half-year, and the base of the comparison keeps its own year
        "Credit growth in Hong Kong eased in the second half of 2030. For the year as a whole, the banking sector's "
        "total lending increased by 3%, compared with 5% in 2029.",
        "本港信貸增長在2030年下半年放緩。銀行業的總貸款額全年增長3%，2029年的增幅則為5%。",
        [("loans_change", "hong_kong", 3.0, "2030", "sentence"),
         ("loans_change", "hong_kong", 5.0, "2029", "sentence")],
        id="year-as-a-whole"),
]


def test_the_date_of_a_chinese_start_value_is_not_the_level_s():
    # 從2029年的0.7%降至0.6%: 2029 dates the start; the level takes the report's year, as the English "fell to 0.6%
    # from 0.7% in 2029" does
    text = "本港零售銀行不良貸款比率從2029年的0.7%降至0.6%。"
    figures = extract_figures(text, published="2031-04-30", language="zh-Hant", article_id="0" * 16)
    rows = [(m.metric, m.value, m.as_of) for m in metrics_of(figures, text, "2031-04-30", report="2030")]
    assert rows == [("npl_ratio", 0.6, "2030")]


@pytest.mark.parametrize(("english", "chinese", "expected"), PARALLEL)
def test_a_statement_and_its_translation_yield_the_same_rows(english, chinese, expected):
    def rows(text: str, language: str) -> list[tuple]:
        figures = extract_figures(text, published="2031-04-30", language=language, article_id="0" * 16)
        return [(m.metric, m.entity, m.value, m.as_of, m.as_of_source)
                for m in metrics_of(figures, text, "2031-04-30", report="2030")]

    assert rows(english, "en") == expected
    assert rows(chinese, "zh-Hant") == expected


def test_a_multiple_change_is_stored_as_written_beside_its_translation_in_per_cent():
    # 急增1.5倍 and "soared 150%" state one change: METRICS.md 2.1 stores each as written (bench/parity.py compares
    # the multiple as the per cent it means)
    en = article_rows("The HKMA said the average daily turnover of the FPS soared 150% in 2030.", "en", "2031-04-30")
    zh = article_rows("金管局表示，轉數快的平均每日交易量在2030年急增1.5倍。", "zh-Hant", "2031-04-30")
    assert [(r[0], r[1], r[2], r[7]) for r in en] == [("payment_system_transactions_change", "fps", 150.0, "2030")]
    assert [(r[0], r[1], r[2], r[7]) for r in zh] == [("payment_system_transactions_change", "fps", 1.5, "2030")]


def _rows(text: str, language: str, published: str | None = None) -> list[tuple]:
    figures = extract_figures(text, published=published, language=language, article_id="0" * 16)
    return [(m.metric, m.entity, m.value, m.as_of, m.as_of_source) for m in metrics_of(figures, text, published)]


def test_a_year_the_sentence_states_is_kept_beside_a_yearless_dateline():
    # the dateline 3月2日 takes its year from the text; 截至2030年12月末 states its own year: not moved back a year
    rows = _rows("3月2日，人民银行上海分行发布数据：截至2030年12月末，上海市本外币各项贷款余额12.5万亿元，"
                 "同比增长8.2%。", "zh-Hans")
    assert [r[3] for r in rows] == ["2030-12-31", "2030-12-31"]


def test_a_yearless_date_in_a_text_without_a_year_gives_no_as_of():
    # METRICS.md 2.4, rule 6: never guess a year (not the ISO form without a year, --09-30)
    assert _rows("众安银行截至9月30日的六个月净利润为2.5亿港元。", "zh-Hans") == [
        ("net_profit", "za_bank", 2.5e8, None, None)]


@pytest.mark.parametrize(("text", "language"), [
    ("分析师指，汇丰现价相当于2031年预测市盈率12倍。", "zh-Hans"),  # a P/E multiple is no profit change
    ("HSBC Holdings trades at a price/earnings ratio of 12 times net profit.", "en"),
    ("截至2030年11月末，全国银行结构性存款余额为4.2万亿元，同比下降12.5%。", "zh-Hans"),  # one product, not deposits
    ("监管局对工商银行罚款3200万元。", "zh-Hans"),  # a fine is no statistic
    ("Hang Seng Bank 1st qtr net\n\nOper shr loss two cts vs profit three cts", "en"),  # a per-share line
])
def test_what_only_looks_like_a_banking_statistic_is_no_row(text, language):
    assert _rows(text, language, "2030-10-01") == []


def test_a_figure_governed_by_a_noun_outside_the_catalogue_takes_no_metric_from_earlier_words():
    # "on sales of": the 900 million is sales, not the profit the sentence named first; "a profit of" carries it
    assert _rows("In 2030, ZA Bank earned HK$50 million on sales of HK$900 million.", "en", "2031-03-01") == [
        ("net_profit", "za_bank", 5e7, "2030", "sentence")]
    assert _rows("ZA Bank reported a net loss of HK$80 million in 2030, compared with a profit of HK$20 million "
                 "in 2029.", "en", "2031-03-01") == [("net_profit", "za_bank", -8e7, "2030", "sentence"),
                                         ("net_profit", "za_bank", 2e7, "2029", "sentence")]


@pytest.mark.parametrize(("text", "as_of"), [
    ("Last year, ZA Bank earned HK$50 million.", "2030"),  # a deictic year dates its sentence's figures
    ("ZA Bank reported a 2029 net profit of HK$50 million.", "2029"),  # a year before the results it names
    ("ZA Bank said its 2029 loss of HK$50 million was its smallest.", "2029"),
])
def test_results_take_the_year_the_sentence_names_without_a_date_cue(text, as_of):
    rows = _rows(text, "en", "2031-03-01")
    assert [(r[0], r[1], abs(r[2]), r[3], r[4]) for r in rows] == [("net_profit", "za_bank", 5e7, as_of, "sentence")]


def test_the_base_of_a_comparison_last_year_does_not_date_the_figure():
    rows = _rows("In 2030, payments through FPS grew 7 percent from the same period last year to 5.1 billion.",
                 "en", "2031-03-01")
    assert {r[3] for r in rows} == {"2030"}


def test_the_base_month_or_fiscal_year_after_the_level_gives_the_basis_and_never_the_date():
    text = ("In August 2031 FPS handled more payments: volume went up 8 per cent to 300 million from 278 million in "
            "July. In FY31 the value of FPS payments grew 25 per cent to HK$900 billion, up from HK$720 billion in "
            "FY30. In October 2031 volume eased 3 per cent to 290 million from 299 million in September, and value "
            "slipped 2.5 per cent to HK$70 billion from HK$71.8 billion in September.")
    figures = extract_figures(text, published="2031-11-20", language="en", article_id="0" * 16)
    rows = {(m.metric, m.value): (m.unit, m.as_of) for m in metrics_of(figures, text, "2031-11-20")}
    assert rows[("payment_system_transactions_change", 8.0)] == ("mom", "2031-08")
    assert rows[("payment_system_transaction_value_change", 25.0)][0] == "yoy"
    assert rows[("payment_system_transaction_value_change", -2.5)] == ("mom", "2031-10")
    assert rows[("payment_system_transaction_value", 7e10)][1] == "2031-10"


def test_a_base_dated_after_it_or_a_year_before_the_lead_holds_at_its_own_time():
    text = ("In the financial year 2030-31 (FY31), FPS payments rose 20 per cent to 75 billion transactions "
            "against 62.5 billion in the previous year. FPS payments were worth HK$40 billion in June, against "
            "HK$37 billion in May.")
    figures = extract_figures(text, published="2031-07-15", language="en", article_id="0" * 16)
    rows = {m.value: (m.as_of, m.as_of_source) for m in metrics_of(figures, text, "2031-07-15")}
    assert rows[7.5e10] == ("2031-03", "sentence")
    assert rows[6.25e10] == ("2030-03", "sentence")
    assert rows[4e10] == ("2031-06", "sentence")
    assert rows[3.7e10] == ("2031-05", "sentence")


def test_a_span_up_to_a_date_dates_a_count_that_is_no_forecast():
    # 由推出至2030年底: the time the count holds, not a target it is forecast to reach
    rows = _rows("截至2031年底，監管沙盒共支援240項金融科技試驗，而由推出至2030年底累計為200項。", "zh-Hant",
                 "2032-04-30")
    assert [(r[0], r[2], r[3]) for r in rows] == [("sandbox_trials", 240.0, "2031-12-31"),
                                                 ("sandbox_trials", 200.0, "2030-12-31")]


def test_an_amount_listed_after_a_loss_is_a_loss_and_one_against_a_profit_is_not():
    rows = _rows("ZA Bank posted a loss of HK$9.7 million in the first half of 2030 and HK$9.8 million in the "
                 "second half of 2030.", "en", "2031-03-01")
    assert [(r[0], r[2]) for r in rows] == [("net_profit", -9.7e6), ("net_profit", -9.8e6)]
    rows = _rows("ZA Bank posted a loss of HK$9.7 million in 2030 against a profit of HK$9.8 million in 2029.",
                 "en", "2031-03-01")
    assert [(r[0], r[2], r[3]) for r in rows] == [("net_profit", -9.7e6, "2030"), ("net_profit", 9.8e6, "2029")]


def test_a_misspelt_field_in_the_catalogue_is_an_error_naming_it():
    from fintech_metrics.parsers.metrics import _rule

    with pytest.raises(ValueError, match=r"metrics.toml \[loans\]: unknown field\(s\) context_in_passage"):
        _rule("loans", {"description": "d", "kinds": ["money"], "subjects": ["loans"], "context_in_passage": True})


@pytest.mark.parametrize(("text", "language", "entity"), [
    ("招商银行2030年净利润达到1,250亿元。", "zh-Hans", "china_merchants_bank"),
    ("法國興業銀行2030年淨利潤為30億歐元。", "zh-Hant", "societe_generale"),  # the longer name, not 興業銀行
    ("建行(亞洲)2030年除稅前溢利為15億港元。", "zh-Hant", "ccb_asia"),  # not its parent, 建行
    ("DBS Bank reported a 2030 net profit of S$11 billion.", "en", "dbs"),
])
def test_banks_analysts_follow_have_their_own_keys(text, language, entity):
    assert {r[1] for r in _rows(text, language, "2031-03-01")} == {entity}


def test_new_loans_a_country_requests_are_no_bank_loan_book():
    assert _rows("Argentina asked Citibank for 2.1 billion dlrs in new loans in 2030.", "en", "2031-03-01") == []


def test_a_result_compared_with_a_forecast_is_no_forecast():
    # the cue before the figure is a forecast the result beat, not one it is
    rows = metric_rows("招商银行净利润胜过分析师预期，2030年同比增长12.5%。招商银行预计2031年净利润增长10%。",
                       published="2031-01-20", language="zh-Hans")
    assert [(r["metric"], r["value"], r["forecast"]) for r in rows] == [
        ("net_profit_change", 12.5, False), ("net_profit_change", 10.0, True)]


def test_the_whole_venture_market_in_a_fintech_funding_story_is_not_fintech_funding():
    rows = metric_rows("金融科技融资报告：2030年全球风投融资达到8000亿美元，较上年增长30%；独角兽数量增加了20%。"
                       "金融科技公司获得的风投融资达到1500亿美元。", published="2031-01-20", language="zh-Hans")
    assert [(r["metric"], r["value"]) for r in rows] == [("fintech_funding", 1.5e11)]


@pytest.mark.parametrize(("text", "as_of"), [
    ("In last year's first quarter, ZA Bank earned HK$50 million.", ["2030-Q1"]),
    ("ZA Bank earned HK$50 million for the year ended December 31, 2030 compared to a profit of HK$40 million in "
     "the year earlier.", ["2030", "2029"]),
    # a quarter without a year is the latest to end by the month of publication; a year-ago one a year before it
    ("Acme Bank said its first quarter loss of 32 mln dlrs compared with net income of 96 mln dlrs, or 39 cts a "
     "share, in the year-ago period.", ["2031-Q1", "2030-Q1"]),
    ("Acme Bank said net income for the fourth quarter rose to 8 mln dlrs.", ["2030-Q4"]),
    ("Acme Bank said net income for the 2030 fourth quarter rose to 88.6 mln dlrs, from 36.7 mln dlrs for the 2029 "
     "quarter.", ["2030-Q4", "2029-Q4"]),
    # a span ended on a day that is no calendar period: its last month, with its length as the period
    ("Acme Bank reported net income of 6.3 mln dlrs for the nine months ended January 31.", ["2031-01"]),
])
def test_deictic_quarters_periods_ended_and_a_base_a_year_earlier_date_results(text, as_of):
    assert [r[3] for r in _rows(text, "en", "2031-03-01")] == as_of


@pytest.mark.parametrize("text", [
    "The World Bank extended loans totalling 240 mln dlrs to two countries in 2030.",  # a lender's loans, not a book
    "Bank of Thailand figures show total deposits in 2030 grew 9 pct.",  # a central bank is no bank of deposits
])
def test_multilateral_lenders_and_central_banks_are_no_banks(text):
    assert [r for r in _rows(text, "en", "2031-03-01") if r[1] in ("world_bank", "bank_of_thailand")] == []


def test_a_forecast_holds_at_when_it_was_made_and_a_past_period_is_no_forecast():
    def rows(text: str, published: str) -> list[tuple]:
        figures = extract_figures(text, published=published, language="en", article_id="0" * 16)
        return [(m.metric, m.value, m.as_of, m.period, m.forecast) for m in metrics_of(figures, text, published)]

    assert rows("ZA Bank expects to report a net profit of HK$90 million for the year ending December 31, 2032.",
                "2031-06-01") == [("net_profit", 9e7, "2031-06-01", "2032-12-31", True)]
    assert rows("ZA Bank expects to report a loss of about HK$20 million for the quarter ended March 31, 2031, "
                "versus a loss of HK$30 million, or 3 cents a share, for the first quarter of 2030.", "2031-04-10") == [
        ("net_profit", -2e7, "2031-Q1", None, False), ("net_profit", -3e7, "2030-Q1", None, False)]


def test_a_fiscal_year_after_a_change_in_its_results_dates_it():
    assert [r[3] for r in _rows("ZA Bank said the 28 pct increase in its 2030/31 net profit came from lending.", "en",
                                "2031-06-18")] == ["2031"]


def test_a_company_that_lost_an_amount_reports_a_loss_not_a_change():
    assert _rows("ZA Bank lost HK$7.1 million in 2030 against a loss of HK$8.8 million a year earlier.", "en",
                 "2031-03-01") == [("net_profit", "za_bank", -7.1e6, "2030", "sentence"),
                                   ("net_profit", "za_bank", -8.8e6, "2029", "sentence")]


@pytest.mark.parametrize("text", [
    "ZA Bank booked a HK$7 million loss in 2030 from placing HK$540 million of loans on non-accrual status.",
    "In 2030, ZA Bank reported a HK$1.2 million loss from discontinued operations.",
])
def test_an_amount_of_loans_or_a_discontinued_line_is_no_profit(text):
    assert [r[2] for r in _rows(text, "en", "2031-03-01") if r[0] == "net_profit"] in ([], [-7e6])


@pytest.mark.parametrize(("text", "rows"), [
    # what follows "on" is another figure's: the profit is the first amount, the revenue the second
    ("Acme Bank earned 2.1 mln dlrs on revenues of 11 mln dlrs in 2030.",
     [("net_profit", 2.1e6), ("revenue", 1.1e7)]),
    ("In 2030, Acme Bank earned 3.69 dlrs a share, or 232.8 mln dlrs on net interest revenues of 1.08 billion dlrs.",
     [("net_profit", 2.328e8), ("net_interest_income", 1.08e9)]),
    # an item the results include or exclude is no result
    ("Acme Bank said net income of 28,000 dlrs in 2030 included a 103,000 dlrs credit.", [("net_profit", 28000.0)]),
    ("NOTE: the 2030 loss of Acme Bank excludes a gain on the sale of a unit of 12.1 mln dlrs.", []),
    # assets a firm administers for others, loans it sold, an amount "in debt": no bank's balance sheet or results
    ("Acme Trust, whose company administers assets of 71.85 billion dlrs, said it would expand.", []),
    ("Acme Bank said two subsidiaries sold 54 mln dlrs of energy-related loans to a fund.", []),
    ("The agency lowered its ratings on Acme Power Co revenue bonds, affecting about 500 mln dlrs in debt.", []),
    # a segment's or division's profit is not the company's
    ("Acme Corp said profits in its aerospace division fell 46 pct in 2030.", []),
])
def test_results_lines_name_only_their_own_figures(text, rows):
    assert [(r[0], r[2]) for r in _rows(text, "en", "2031-03-01")] == rows


def test_a_yearless_quarter_dates_its_figure_beside_another_year_in_the_sentence():
    # "fourth quarter" (no year) in a March article is last year's, even with "for all of 2030" later on
    rows = _rows("Acme Group reported fourth quarter earnings of 4.3 mln dlrs, or 48 cts per share and income of "
                 "13.7 mln dlrs, or 1.55 dlrs per share for all of 2030.", "en", "2031-03-23")
    assert [(r[2], r[3]) for r in rows][:1] == [(4.3e6, "2030-Q4")]


def test_a_figure_its_noun_governs_is_not_named_by_the_next_figures_words():
    rows = _rows("For the year ended December 31, 2030, Acme Corp reported sales of 2.7 billion dlrs and net income of "
                 "47.6 mln dlrs.", "en", "2031-03-10")
    assert [(r[0], r[2], r[3]) for r in rows] == [("net_profit", 4.76e7, "2030")]


@pytest.mark.parametrize(("text", "rows"), [
    # a date without a numeral just after the figure dates it; "for all of 2030" too
    ("Acme Bancorp earned 2,358,000 dlrs for last year's second quarter and 8,179,000 dlrs for all of 2030.",
     [(2358000.0, "2030-Q2"), (8179000.0, "2030")]),
    # a one-off item, a superseded figure, one borrower's loans: no rows
    ("Acme Inc said it would take a fourth quarter after-tax loss of 33.9 mln dlrs from the sale of its leasing unit.",
     []),
    # (results of a period the sentence does not give: no as_of rather than the day of writing)
    ("Acme Corp restated its results, causing a net loss of 14,937,000 dlrs, instead of 9,937,000 dlrs.",
     [(-14937000.0, None)]),
    ("Acme Bank had 1.98 billion dlrs in loans to Brazil as of last September 30.", []),
])
def test_english_results_dates_after_the_figure_and_items_that_are_no_results(text, rows):
    assert [(r[2], r[3]) for r in _rows(text, "en", "2031-03-01")] == rows


@pytest.mark.parametrize(("text", "rows"), [
    # the pair "X on revenues of Y in 2030" shares its date
    ("Acme Corp earned 174.6 mln dlrs or 2.08 dlrs a share, on revenues of 4.93 billion dlrs in 2030.",
     [(1.746e8, "2030"), (4.93e9, "2030")]),
    # "from X previously" in a year's results is the year before
    ("In the year to end-October, Acme Plc reported a rise in pretax profits to 164.1 mln stg from 136.0 mln "
     "previously.", [(1.641e8, "2030-10"), (1.36e8, "2029-10")]),
    # a base below which a forecast falls is a year back, and no forecast
    ("Acme Inc said it expects 2031 first quarter profits to be substantially below the 14.2 mln dlrs or 50 cts a "
     "share earned in the same period a year ago.", [(1.42e7, "2030-Q1")]),
])
def test_english_results_pairs_and_bases(text, rows):
    assert [(r[2], r[3]) for r in _rows(text, "en", "2031-03-10")] == rows


@pytest.mark.parametrize(("text", "rows"), [
    ("For the year ended December 31, 2030, Acme Corp reported net income of 17.2 mln dlrs on sales 146.0 mln dlrs.",
     [("net_profit", 1.72e7)]),
    ("Acme Bank reported first quarter net income rose to 1.04 dlrs from 83 cts a share.", []),  # per share
    ("In the year to end-October, Acme Plc reported a rise in pretax\nprofits to 164.1 mln stg.",
     [("pre_tax_profit", 1.641e8)]),  # a hard-wrapped line inside the catalogue's words
    ("Acme Corp said it converted 7,344,000 dlrs of its 11 pct convertible debentures into shares after a loss.", []),
])
def test_english_results_words_across_wraps_and_amounts_that_are_no_results(text, rows):
    assert [(r[0], r[2]) for r in _rows(text, "en", "2031-03-10")] == rows


@pytest.mark.parametrize("text", [
    "Acme Bancorp said it reached an agreement in principle to buy Beta National Bank through a stock exchange "
    "valued at 20 mln dlrs.",  # an acquisition's price is no valuation at a round or listing
    "Acme Corp has committed 75 mln dlrs to the expansion of its manufacturing plant in Ohio.",  # a plant, no programme
    "The new Acme Post Office Bank will receive 135 mln dlrs from the government to boost its assets.",
    "Acme Bank said interest was not paid on the 140 mln dlrs in Brazilian loans.",  # one borrower's loans
])
def test_prices_plants_injections_and_exposures_are_no_rows(text):
    assert _rows(text, "en", "2031-03-10") == []


@pytest.mark.parametrize(("text", "rows"), [
    # a base "for the first quarter of last year" or "for the same quarter last year", whatever the forecast is for
    ("Acme Corp said it expects first quarter earnings to be higher than the 4,800,840 dlrs, or 1.25 dlrs per share, "
     "it recorded for the first quarter of last year.", [(4800840.0, "2030-Q1", False)]),
    ("Acme Corp said first quarter earnings will be up sharply from earnings of 114,000 dlrs or four cts share for the "
     "same quarter last year.", [(114000.0, "2030-Q1", False)]),
    # "the year-ago second quarter" is a year before the second quarter the forecast is for
    ("Acme Corp said it expects a net loss of about 11 mln dlrs in the second quarter compared to a loss of 9.7 mln "
     "dlrs in the first quarter and 9.8 mln dlrs in the year-ago second quarter.",
     [(-1.1e7, "2031-03-13", True), (-9.7e6, "2031-Q1", False), (-9.8e6, "2030-Q2", False)]),
    # a year between an amount and its noun dates it and a loss after it signs it; "year-earlier" is a year before
    ("Acme Petroleum Ltd, earlier reporting a 2.20 billion dlr 2030 loss compared to year-earlier profit of 7.0 mln "
     "dlrs, said the loss came from write downs.", [(-2.2e9, "2030", False), (7e6, "2029", False)]),
])
def test_english_results_bases_and_years_next_to_the_amount(text, rows):
    figures = extract_figures(text, published="2031-03-13", language="en", article_id="0" * 16)
    assert [(m.value, m.as_of, m.forecast) for m in metrics_of(figures, text, "2031-03-13")] == rows


@pytest.mark.parametrize("text", [
    # another company's result (an equity stake's earnings), an extraordinary item, loans written off, a loan pledged
    "Analysts said Acme Holdings' earnings from its 35 pct stake in Beta Land Co will fall to 230 mln dlrs from 281 "
    "mln dlrs in 2030.",
    "Acme Corp's 2030 results exclude an extraordinary gain of 12 mln dlrs.",
    "Acme Bank amortized 68 billion yen worth of loans in the year ended March 31.",
    "Banks have pledged 97 pct of the 1.95 billion dlr loan to Acme Republic.",
])
def test_items_stakes_write_offs_and_loans_pledged_are_no_rows(text):
    assert _rows(text, "en", "2031-03-13") == []


@pytest.mark.parametrize(("text", "rows"), [
    # a span ended on a day, also in a forecast of a past period, "the year to end-2030" and "fiscal 2030, ended …"
    ("Acme Corp said it expects to report a net loss of 820,000 dlrs or 17 cts a share for the year ended December "
     "31, compared to a loss of 553,000 or 11 cts a share in the prior year.",
     [(-820000.0, "2030", None), (-553000.0, "2029", None)]),
    ("Acme Corp made a pre-tax profit of 3.6 mln dlrs in the year to end-2030.", [(3.6e6, "2030", None)]),
    ("In fiscal 2030, ended November 30, 2030, Acme Corp reported earnings of 24.8 mln dlrs, or 1.20 dlrs a share, "
     "down from the prior year's 42.7 mln dlrs, or 2.25 dlrs a share.",
     [(2.48e7, "2030-11", "P12M"), (4.27e7, "2029-11", "P12M")]),
    ("Earlier, Acme Corp reported first half fiscal 2031, ended Feb 28, earnings of 23.2 mln dlrs.",
     [(2.32e7, "2031-02", "P6M")]),
    # a loss word after the company words signs it; a forecast for the half ending April 30, after publication,
    # holds when made and the half's end is its period (METRICS.md 2.6)
    ("Acme Motor Ltd will pay no dividend for the first half year ending April 30, 2031, as it is expected to mark a "
     "12 billion yen parent company current loss in the first half.", [(-1.2e10, "2031-03-12", "2031-04")]),
])
def test_english_results_spans_and_prior_years(text, rows):
    figures = extract_figures(text, published="2031-03-12", language="en", article_id="0" * 16)
    assert [(m.value, m.as_of, m.period) for m in metrics_of(figures, text, "2031-03-12")] == rows


def test_a_figure_another_noun_reaches_is_not_named_by_earlier_words():
    text = "Acme Holding Corp said it expects record fourth quarter earnings and for sales to exceed 10 mln dlrs."
    assert _rows(text, "en", "2031-03-12") == []
    assert [r[0] for r in _rows("Acme Corp expects 2031 earnings to exceed 5 mln dlrs.", "en", "2031-03-12")] == [
        "net_profit"]


@pytest.mark.parametrize(("text", "rows"), [
    # a Japanese company's "current profit" (recurring profit) is before tax; a time between a change and the level
    # it reaches leaves the level the change's subject
    ("Acme Optical Co Ltd predicted a parent company current profit of 5.50 billion yen in the year to October 31, "
     "2031.", [("pre_tax_profit", 5.5e9)]),
    ("Acme Ltd has forecast that group net profits will rise 75.9 pct in the current year to 38 billion yen.",
     [("net_profit_change", 75.9), ("net_profit", 3.8e10)]),
    # a figure the new one supersedes, foreign loans a country will use and a pledge to an aid fund are no rows
    ("Acme Corp said it increased its 2030 loss to 26.6 mln dlrs from the previously announced 23.8 mln dlrs loss.",
     [("net_profit", -2.66e7)]),
    ("Acme Corp said it increased its 2030 loss from continuing operations to 26.6 mln dlrs.",
     [("net_profit", -2.66e7)]),
    ("Beta Republic will use 14.6 billion yuan in foreign loans in 2031, up from 7.87 billion in 2030.", []),
    ("He said Acme Republic had made an additional 450 mln dlr pledge to the International Development Association.",
     []),
])
def test_current_profit_levels_after_a_time_and_what_is_no_result(text, rows):
    assert [(r[0], r[2]) for r in _rows(text, "en", "2031-06-02")] == rows


@pytest.mark.parametrize(("text", "rows"), [
    # what follows "on" is named by its own words: turnover is revenue, sales are no row
    ("In 2030, Acme Corp reported that pretax profit rose 48 pct to 120 mln stg on turnover 12 pct higher at 1.8 "
     "billion.", [("pre_tax_profit_change", 48.0, "2030"), ("pre_tax_profit", 1.2e8, "2030"),
                  ("revenue_change", 12.0, "2030")]),
    ("For its fiscal year ending August 2030, Acme Corp reported 25.1 mln dlrs in earnings on sales of 1.6 billion "
     "dlrs.", [("net_profit", 2.51e7, "2030-08")]),
    # "last year" and "it earned for the same quarter last year" after a base: a year before the sentence's period
    ("Acme Corp said revenues for the third quarter, ended March 31, totaled 776.0 mln dlrs, up 12 pct from 693.4 mln "
     "dlrs last year.", [("revenue", 7.76e8, "2031-Q1"), ("revenue_change", 12.0, "2031-Q1"),
                         ("revenue", 6.934e8, "2030-Q1")]),
])
def test_english_figures_after_on_and_bases_last_year(text, rows):
    assert [(r[0], r[2], r[3]) for r in _rows(text, "en", "2031-04-10")] == rows


@pytest.mark.parametrize(("text", "rows"), [
    # a year inside the result's noun, "in calendar 2030" and a flow at the year's end hold for the year
    ("Acme Motors Ltd reported a 19.64 mln dlr net loss in calendar 2030 from a 5.80 mln dlr profit in 2029.",
     [("net_profit", -1.964e7, "2030"), ("net_profit", 5.8e6, "2029")]),
    ("Acme NV reported an 8.1 pct increase in net 2030 profit.", [("net_profit_change", 8.1, "2030")]),
    ("Earlier, Acme Corp reported a 2030 year end net loss of 3.0 mln dlrs.", [("net_profit", -3e6, "2030")]),
])
def test_a_year_inside_a_results_phrase_dates_it(text, rows):
    assert [(r[0], r[2], r[3]) for r in _rows(text, "en", "2031-03-27")] == rows


def test_a_figure_in_brackets_is_dated_after_them_and_a_per_transaction_average_is_no_turnover():
    text = ("For the FPS, the average daily turnover reached 505,000 real-time transactions (worth HK$5.2 billion and "
            "RMB95 million) in December 2030. The FPS recorded 60,000 transactions a day, with an average value per "
            "transaction of HK$20,700.")
    rows = [(r[0], r[2], r[3]) for r in _rows(text, "en", "2031-04-01")]
    assert ("payment_system_transaction_value", 5.2e9, "2030-12") in rows
    assert ("payment_system_transaction_value", 9.5e7, "2030-12") in rows
    assert not [r for r in rows if r[1] == 20700.0]


@pytest.mark.parametrize(("text", "rows"), [
    # a sentence that opens on the period a year before is about that period
    ("Acme Corp said first quarter earnings rose. In the comparable quarter a year ago, Acme Corp earned 8.5 mln "
     "dlrs or 87 cts on revenues of 203 mln dlrs.", [("net_profit", 8.5e6, "2030"), ("revenue", 2.03e8, "2030")]),
    # a loss from placing loans on non-accrual is an item; goods valued, a discount, locked-up deposits, money raised
    # and remittances are no rows
    ("Acme Bank said fee income rose, offsetting the bank's 7.4 mln dlr loss incurred from placing 540 mln dlrs of "
     "loans on a non-accrual status.", []),
    ("Acme Corp said it installed a supercomputer valued at eight mln dlrs at Beta Corp.", []),
    ("Acme State Bank will purchase all of the failed bank's assets at a discount of 3.575 mln dlrs.", []),
    ("The Reserve Bank raised the banks' liquidity ratio, immobilising nearly five billion rupees of deposits.", []),
    ("As earlier reported, Acme Ltd will raise 228.5 mln dlrs for working capital and investment.", []),
    ("Remittances of more than 10,000 dlrs earned from any other source need government approval.", []),
])
def test_a_year_ago_opening_and_more_that_is_no_result(text, rows):
    assert [(r[0], r[2], r[3]) for r in _rows(text, "en", "2031-03-12")] == rows


def test_a_when_clause_a_year_before_and_a_part_of_the_funds_income():
    text = ("Acme Resources Inc said it believes earnings could double this year as compared to a year ago when the "
            "company reported income of 32 mln dlrs on 143 mln dlrs in revenues.")
    assert [(r[0], r[2], r[3]) for r in _rows(text, "en", "2031-03-12")] == [
        ("net_profit", 3.2e7, "2030"), ("revenue", 1.43e8, "2030")]
    # the other investment income its subsidiaries hold is a part of the Exchange Fund's, no row of it
    assert _rows("外匯基金投資控股附屬公司持有的其他投資收益276億港元。", "zh-Hant", "2031-04-01") == []


def test_the_year_whose_results_a_title_reports_dates_its_undated_figures():
    text = ("ACME INDUSTRIES 2030 PROFIT EXCEEDS EXPECTATIONS\n\nAcme Industries Plc 2030 pretax profits of 48.0 mln "
            "stg exceeded market expectations, dealers said.\n\nAnalysts noted that Acme's profits of 18.9 mln stg had "
            "been given a boost by pension benefits. An analyst estimates Acme's profits will be 20.5 mln stg.")
    rows = [(r[0], r[2], r[3], r[4]) for r in _rows(text, "en", "2031-04-08")]
    assert ("net_profit", 1.89e7, "2030", "report") in rows
    # a forecast in such an article holds when it was made (the period the article reports is not its target)
    assert ("net_profit", 2.05e7, "2031-04-08", "published") in rows
    # "SEES PROFIT IN 2031" written in 2031 names no year whose results are out: results the sentence does not date
    # get no as_of (not the day of writing)
    title = "ACME SEES PROFIT IN 2031\n\nAcme Corp said it expects to return to profitability in 2031.\n\n"
    rows = _rows(title + "Acme Corp's profits of 18.9 mln stg rose.", "en", "2031-02-26")
    assert [(r[3], r[4]) for r in rows] == [(None, None)]
    # "Results for 2030 show …" in the lead names it too
    lead = "GULF BANKS SET FOR LEAN SPELL\n\nBank profits are under pressure. Results for 2030 show a decline.\n\n"
    rows = _rows(lead + "Acme Bank reported a 13 pct drop in net profit.", "en", "2031-04-26")
    assert [r[3] for r in rows] == ["2030"]


def test_assets_in_an_aside_hold_now_and_a_loss_experience_estimate_is_no_result():
    text = ("In anticipation of changes that take effect in 2033, Acme Pacific has negotiated the future purchase of "
            "Beta Bank, with assets of 615 mln dlrs.")
    assert [(r[0], r[3]) for r in _rows(text, "en", "2031-03-12")] == [("total_assets", "2031-03-12")]
    bought = "Acme Pacific bought Beta Bank, with assets of four billion dlrs, in the fourth quarter of 2030."
    assert [(r[0], r[3]) for r in _rows(bought, "en", "2031-03-12")] == [("total_assets", "2030-Q4")]
    assert _rows("Acme Bank said it is keeping its 2031 loan loss experience estimate unchanged from the last quarter "
                 "at one billion dlrs.", "en", "2031-06-02") == []


@pytest.mark.parametrize(("text", "rows"), [
    # "income of X or N dlrs on sales of Y in 2029" compared with a profit: the earlier year's net profit, dated by
    # the words after the pair (the share goes unsaid after "or 1.46 dlrs")
    ("In 2030, Acme Corp earned 219.2 mln dlrs, or 2.30 dlrs a share, on revenues of 4.55 billion dlrs compared with "
     "income of 142 mln dlrs or 1.46 dlrs on sales of 4.21 billion dlrs in 2029.",
     [("net_profit", 2.192e8, "2030"), ("revenue", 4.55e9, "2030"), ("net_profit", 1.42e8, "2029")]),
    # the year-before words closing the second of two parallel clauses date the first clause's base too
    ("Acme Inc said its revenues for the third quarter ended February 28 were up 21 pct to 14.1 mln dlrs from 11.7 "
     "mln dlrs and nine month revenues were up 25 pct to 39.7 mln dlrs from 31.8 mln dlrs a year before.",
     [("revenue_change", 21.0, "2031-02"), ("revenue", 1.41e7, "2031-02"), ("revenue", 1.17e7, "2030-02"),
      ("revenue_change", 25.0, "2031-02"), ("revenue", 3.97e7, "2031-02"), ("revenue", 3.18e7, "2030-02")]),
    # a base a forecast is to exceed, "posted a year ago" after a per-share aside
    ("Acme Graphics Inc expects earnings for the fourth quarter ending April 30 to exceed the 127,587 dlrs, or seven "
     "cts a share posted a year ago.", [("net_profit", 127587.0, "2030-04")]),
    # a hyphenated quarter before its year is that quarter
    ("Moody's cited Acme and Co's debt following its fourth-quarter 2030 loss of 560 mln dlrs.",
     [("net_profit", -5.6e8, "2030-Q4")]),
])
def test_english_results_bases_in_pairs_parallel_clauses_and_quarters_before_a_year(text, rows):
    assert [(r[0], r[2], r[3]) for r in _rows(text, "en", "2031-03-12")] == rows


@pytest.mark.parametrize("text", [
    # a result on a condition, an item after the period it falls in, goods and holdings valued, a conversion offer
    "Acme Bancorp said that if interest is not paid on its loans to Brazil for the rest of 2031, its profits for the "
    "year will be cut by 6.9 mln dlrs.",
    "Acme Industries Inc said it expects a loss of about two mln dlrs in its third quarter ended February 28 from the "
    "proposed sale of its health care unit.",
    "Acme Communications Corp signed an agreement with Beta Telephone Inc to deliver switching equipment valued at "
    "about 3.0 mln dlrs.",
    "At current market prices, Acme's 20.9 mln Beta Mines shares would be valued at about 319 mln dlrs.",
    "Acme Restaurant Corp said a conversion offer will reduce its debt-to-equity ratio to 55 pct from 380 pct.",
])
def test_conditions_items_after_a_period_goods_holdings_and_other_ratios_are_no_rows(text):
    assert _rows(text, "en", "2031-03-12") == []


def test_a_name_goes_on_after_a_legal_form_and_of():
    rows = _rows("The <Acme Petroleum Co of Australia Ltd> reported a 16.15 mln dlr net loss for 2030.", "en",
                 "2031-03-12")
    assert [(r[0], r[1], r[2]) for r in rows] == [("net_profit", "acme_petroleum_co_of_australia", -1.615e7)]


@pytest.mark.parametrize(("text", "rows"), [
    # a span of the first months of a year, before the year or right after the figure
    ("Acme AG's group turnover rose to 518.6 mln marks in the first two months of 2031, 5.2 pct more than in the "
     "same 2030 period.", [("revenue_change", 5.2, "2031-02", "P2M")]),
    ("Acme Corp's net profit rose to 51 mln dlrs in the first nine months of 2030.",
     [("net_profit", 5.1e7, "2030-09", "P9M")]),
    # year-end words in a sentence without a date: the last year end before publication
    ("Acme Trust had year-end assets of over 40 mln dlrs.", [("total_assets", 4e7, "2030-12-31", None)]),
    # a forecast for a span that ends after publication holds when made; the span's end is its period
    ("Acme Co Ltd has predicted group net profit of 11 billion yen in the year ending March 31, 2032, up 0.5 pct from "
     "a year earlier.", [("net_profit", 1.1e10, "2031-03-12", "2032-03-31"),
                         ("net_profit_change", 0.5, "2031-03-12", "2032-03")]),
    # a loss word further back signs a range
    ("Acme Bank Corp said it expects to report a loss for the first quarter in the range of 55 mln to 65 mln dlrs.",
     [("net_profit", -6.5e7, "2031-03-12", "2031-Q1")]),
])
def test_english_spans_year_ends_forecast_periods_and_losses_further_back(text, rows):
    figures = extract_figures(text, published="2031-03-12", language="en", article_id="0" * 16)
    assert [(m.metric, m.value, m.as_of, m.period) for m in metrics_of(figures, text, "2031-03-12")] == rows


@pytest.mark.parametrize("text", [
    # what a move does to the results, the price of a sale, loans counted one by one
    "Acme Corp is placing its loans to Brazil on non-accrual, a move that will reduce first quarter earnings by 7.2 "
    "mln dlrs.",
    "Acme Products Inc, earlier reporting a loss, said it agreed to sell its Beta Manufacturing Inc unit for 100,000 "
    "dlrs cash.",
    "Acme Trust said it agreed to fund or extend four loans totaling 70.9 mln dlrs.",
])
def test_impacts_sale_prices_and_single_loans_are_no_rows(text):
    assert _rows(text, "en", "2031-03-12") == []


def test_an_alias_at_the_end_of_a_longer_name_is_no_mention_of_the_listed_bank():
    rows = _rows("In 2030 the Finance Ministry took over the Asia Trust Bank Ltd, which had deposits of 13.8 billion "
                 "baht.", "en", "2031-03-12")
    assert [(r[0], r[1], r[2]) for r in rows] == [("deposits", "asia_trust_bank", 1.38e10)]


@pytest.mark.parametrize(("text", "rows"), [
    # what "sales" reaches, and its base, are no profit of the sentence's subject
    ("Acme Corp reported a 16.15 mln dlr net loss for 2030 after sales fell to 2.27 billion dlrs from 2.94 billion.",
     [("net_profit", "acme", -1.615e7, "2030")]),
    # a base's words are its level's: a line of business on both
    ("Acme Lynch and Co said investment banking revenues were strong in the first quarter, rising to 257.4 mln dlrs "
     "from 152.9 mln in the first quarter 2030.", []),
    # the date after a pair "X on revenues of Y it reported for 2030"
    ("Acme Financial Corp said 2031 earnings will be lower than the earnings of 300.8 mln dlrs on revenues of 3.77 "
     "billion dlrs it reported for 2030.",
     [("net_profit", "acme_financial", 3.008e8, "2030"), ("revenue", "acme_financial", 3.77e9, "2030")]),
    # an organisation in a "which" clause is not the subject; a person's loss is no company's
    ("Acme AG, which yesterday agreed to take a stake in the Beta und Gamma AG car parts group, saw group turnover "
     "fall nine pct in 2030 to 16.60 billion marks.", [("revenue_change", "acme", -9.0, "2030")]),
    ("The settlement involved a personal 3.8 mln dlr loss to former chairman Boyd Acme.", []),
])
def test_what_sales_reach_bases_of_lines_of_business_pairs_and_asides(text, rows):
    assert [(r[0], r[1], r[2], r[3]) for r in _rows(text, "en", "2031-10-20")] == rows


@pytest.mark.parametrize(("text", "rows"), [
    # results news compares with the same period a year before unless it says otherwise; "For the year" in news of
    # January to April is the year just over
    ("For the year, Acme reported a net loss of 14 cts or 116,793 dlrs compared to a net income of 23 cts or 203,372 "
     "dlrs.", [(-116793.0, "2030"), (203372.0, "2029")]),
    ("Acme Corp said it earned 5 mln dlrs in the fourth quarter, up from 4 mln dlrs.",
     [(5e6, "2030-Q4"), (4e6, "2029-Q4")]),
    ("Acme Corp said it earned 5 mln dlrs in the fourth quarter, up from 4 mln dlrs in the third quarter.",
     [(5e6, "2030-Q4"), (4e6, "2030-Q3")]),
    # a year-ago period with a modifier; "Ford, which earned" names Ford; a parent company is no organisation
    ("In the year-ago six-month period, Acme earned 9.7 mln dlrs or 1.43 dlrs a share on sales of 359.7 mln dlrs.",
     [(9.7e6, "2030")]),
])
def test_english_results_bases_a_year_before_and_the_year_just_over(text, rows):
    assert [(r[2], r[3]) for r in _rows(text, "en", "2031-03-24")] == rows


def test_one_word_before_a_which_clause_of_results_is_a_name_and_a_parent_company_is_none():
    rows = _rows("Beta Motors said its profit fell. Acme, which earned 3.28 billion dlrs in 2030, said it pays "
                 "bonuses.", "en", "2031-03-24")
    assert [(r[0], r[1], r[2]) for r in rows] == [("net_profit", "acme", 3.28e9)]
    assert _rows("Parent Company net profit 12.8 mln Swiss francs vs 7.5 mln.", "en", "2031-03-24") == []


@pytest.mark.parametrize("text", [
    # a figure a correction replaces, a ratio a rule sets, a listed bank's name inside a longer one
    "Acme Mining Corp said it has corrected its 2030 fourth quarter net income to 485,380 dlrs from 528,790 dlrs "
    "reported earlier today.",
    "Bankers said this role could be undermined by a five pct capital adequacy ratio that goes into\neffect next year.",
    "Societe Generale de Belgique said its current profits rose by 19 pct last year.",
])
def test_replaced_figures_rules_and_longer_names_are_no_rows(text):
    rows = _rows(text, "en", "2031-03-12")
    assert [r[2] for r in rows] == ([485380.0] if "corrected" in text else [])


def test_a_year_ago_result_in_the_quarter_and_pro_forma_results():
    rows = _rows("Acme Products Inc said it expects to report a loss of about 195,000 dlrs in its third quarter ended "
                 "March 31, compared to a year ago loss in the quarter of 169,000 dlrs.", "en", "2031-04-10")
    assert [(r[2], r[3]) for r in rows][-1] == (-169000.0, "2030-Q1")
    assert _rows("Last year, Acme earned 43.9 mln dlrs on a pro forma basis, as if the company were a stand-alone "
                 "entity.", "en", "2031-04-10") == []


def test_a_quarter_without_a_year_long_over_at_publication_is_a_fiscal_quarter_with_no_as_of():
    # the last calendar third quarter ended five months before: a fiscal quarter whose months the text does not give
    rows = _rows("Acme Homes Inc said revenues in the third quarter rose eight pct to 38 mln dlrs.", "en", "2031-03-20")
    assert [(r[0], r[3]) for r in rows] == [("revenue_change", None), ("revenue", None)]
    # news of October: the third quarter just ended
    rows = _rows("Acme Homes Inc said revenues in the third quarter rose eight pct to 38 mln dlrs.", "en", "2031-10-20")
    assert [(r[0], r[3]) for r in rows] == [("revenue_change", "2031-Q3"), ("revenue", "2031-Q3")]


@pytest.mark.parametrize("text", [
    # what sales reach, a class of banks by a threshold, loans converted into a stake
    "Profits from paper grew 29 pct to 217 mln stg, with Acme Teape's sales rising 36 pct to pass one billion stg.",
    "The bill would give regulators more power to arrange mergers for failing banks with 500 mln dlrs or more in "
    "assets.",
    "Acme Express Bank said it plans to convert 100 mln dlrs of its own loans into an equity stake in hotel projects.",
])
def test_sales_passing_a_level_thresholds_and_converted_loans_are_no_rows(text):
    assert _rows(text, "en", "2031-03-12") == []


@pytest.mark.parametrize(("text", "rows"), [
    # "last year" right after the figure; a year before "fiscal year" and a results noun is a date
    ("Acme Europe's net earnings soared by 71 per cent last year to 559 mln dlrs, its chairman said.",
     [(71.0, "2030"), (5.59e8, "2030")]),
    ("Acme Ltd said its 2030 fiscal year net loss of 276.4 mln dlrs, or 19.22 dlrs per share, was due to writedowns.",
     [(-2.764e8, "2030")]),
    # a profit-sharing distribution, a payment to the Internal Revenue Service: no results
    ("Acme made a profit-sharing distribution of 372 mln dlrs, or 2,100 dlrs per worker.", []),
    ("Acme Automation Inc agreed to pay 4.5 mln dlrs to the Internal Revenue Service in taxes.", []),
])
def test_last_year_after_a_figure_fiscal_years_and_payments_that_are_no_results(text, rows):
    assert [(r[2], r[3]) for r in _rows(text, "en", "2031-03-20")] == rows


@pytest.mark.parametrize(("text", "rows"), [
    # a base measures what its level does
    ("In the year to end-October, Acme Plc reported a rise in pretax profits to 164.1 mln stg from 136.0 mln "
     "previously.", [("pre_tax_profit", 1.641e8), ("pre_tax_profit", 1.36e8)]),
    # what a move does to the results, said of them; a charge to earnings
    ("Acme Trust Corp said that first-quarter net income will be reduced by about seven mln dlrs as a result.", []),
    ("Acme Trust Corp said its first quarter earnings were reduced by 875,000 dlrs by placing loans on a cash basis.",
     []),
    ("Acme Manufacturing Corp said it expects a charge to earnings in the first quarter of 17.3 mln dlrs.", []),
])
def test_bases_take_their_levels_key_and_impacts_said_of_the_results_are_no_rows(text, rows):
    assert [(r[0], r[2]) for r in _rows(text, "en", "2031-04-20")] == rows


def test_a_count_after_from_is_no_base():
    rows = _rows("The first cohort of the GenAI Sandbox, which comprises 15 use cases from 10 banks and four "
                 "technology partners, was announced in December 2030.", "en", "2031-04-20")
    assert ("genai_sandbox_banks", "hkma_genai_sandbox_cohort_1", 10.0) in [(r[0], r[1], r[2]) for r in rows]


@pytest.mark.parametrize(("text", "rows"), [
    # an operating line is no net profit; pre-tax operating earnings are pre-tax profit
    ("Acme Cinema Corp said lower attendance lowered its first fiscal quarter operating earnings nine pct to 15.9 mln "
     "dlrs.", []),
    ("For the year ended July 31, 2030, Acme reported pre-tax operating earnings of 14.8 mln dlrs, or 1.08 dlrs a "
     "share.", [("pre_tax_profit", 1.48e7)]),
    # "One of X's businesses" names no organisation "one of X"; a contract's worth is no profit
    ("One of Acme Electric Co's biggest businesses will ride a wave of increasing profits because of a new contract "
     "worth 650 mln dlrs, analysts said.", []),
])
def test_operating_lines_pre_tax_operating_earnings_and_contracts(text, rows):
    assert [(r[0], r[2]) for r in _rows(text, "en", "2031-03-16")] == rows


def test_a_rise_named_after_its_amount_and_an_organisation_in_a_participle_aside():
    rows = _rows("<Acme Group Plc>, defending itself against a bid from Beta Mills Plc, forecast a 3.4 mln stg rise in "
                 "profits in the 2030/31 year.", "en", "2031-03-27")
    assert [(r[0], r[1], r[2]) for r in rows] == [("net_profit_change", "acme_group", 3.4e6)]


@pytest.mark.parametrize(("text", "published", "rows"), [
    # the month a "when" clause is about
    ("Total loans and advances in Hong Kong were 517.19 billion dlrs at the end of January 2031, up from December "
     "when they rose 1.2 pct.", "2031-02-20", [("loans", 5.1719e11, "2031-01-31"), ("loans_change", 1.2, "2030-12")]),
    # "for the year" whose only year is its base's; "last calendar year"
    ("Acme Industries said revenues for the year were 30.7 mln dlrs, up from 23.0 mln dlrs in 2029.", "2031-04-07",
     [("revenue", 3.07e7, "2030"), ("revenue", 2.3e7, "2029")]),
    ("Acme Corp's net income rose last calendar year to 105 mln dlrs.", "2031-03-20", [("net_profit", 1.05e8, "2030")]),
    # a part of a total the sentence opens with
    ("Of Acme's total revenues expected for the 2031 first quarter, about 43 mln dlrs will be derived from electric "
     "operations, he said.", "2031-03-20", []),
])
def test_when_clauses_years_of_bases_calendar_years_and_parts_of_a_total(text, published, rows):
    assert [(r[0], r[2], r[3]) for r in _rows(text, "en", published)] == rows


@pytest.mark.parametrize(("text", "rows"), [
    # the revenues of a year-before result are that year's too
    ("In 2030, Acme Oil had net losses of 345 mln dlrs on revenues of 10.02 billion dlrs, compared to a profit the "
     "year earlier of 308 mln dlrs on revenues of 13.82 billion dlrs.",
     [(-3.45e8, "2030"), (1.002e10, "2030"), (3.08e8, "2029"), (1.382e10, "2029")]),
    # a current annual rate holds when written; a figure a revision replaced is no row
    ("It said Acme Envirosystems' current annual gross revenues are about 14 mln dlrs.", [(1.4e7, "2031-03-19")]),
    ("Acme Energy Corp said it has revised its loss for the year ended January 31 to 4.7 mln dlrs from the loss of "
     "3.1 mln dlrs reported in March.", [(-4.7e6, "2031-01")]),
    # an options market's turnover is no company's revenue; a profit from a deal is an item
    ("Acme Index Fund options will see a 30 pct yearly turnover growth until 2035, an analyst estimated.", []),
    ("Acme International, a subsidiary of Acme Corp Holdings Ltd, will receive net profits of about 16 mln dlrs "
     "from the deal.", []),
])
def test_companions_of_bases_current_rates_revisions_and_market_turnover(text, rows):
    assert [(r[2], r[3]) for r in _rows(text, "en", "2031-03-19")] == rows


@pytest.mark.parametrize(("text", "language", "rows"), [
    # the margin by which a figure beats another year's is no level of that year
    ("The investment income of HK$264 billion last year is a record high for the Exchange Fund, surpassing the "
     "previous record in 2027 (HK$142.2 billion) by HK$121.8 billion.", "en", [2.64e11]),
    # (the record in brackets is named by 成績, which the catalogue does not hold: no row, as the English aside)
    ("去年錄得的2,640億港元投資收入是外匯基金有史以來最高紀錄，"
     "比2027年的次高成績（1,422億港元）高出1,218億港元。", "zh-Hant", [2.64e11]),
    # an insurer's earned premiums are no profit
    ("The Acme Insurance Companies had assets at the end of 2030 of 137.4 mln dlrs and earned premiums of 46.1 mln "
     "dlrs.", "en", []),
])
def test_margins_over_a_record_and_earned_premiums_are_no_rows(text, language, rows):
    assert [r[2] for r in _rows(text, language, "2031-04-30") if r[0] != "total_assets"] == rows


@pytest.mark.parametrize(("text", "rows"), [
    # a result compared with another year's is the year after it; a "when" clause dates a change in an appositive
    ("Acme Motors, which saw its earnings drop to 2.94 billion dlrs from 2029's 3.99 billion, said the profit was "
     "not sufficient.", [("net_profit", 2.94e9, "2030")]),
    ("Acme AG said profit in 2030 fell by around half compared with 2029, when it achieved a record 221 mln marks "
     "net profit, a rise of 19.5 pct on the previous year.", [("net_profit_change", 19.5, "2029")]),
])
def test_the_year_after_a_years_base_and_when_clauses_with_an_appositive(text, rows):
    assert [(r[0], r[2], r[3]) for r in _rows(text, "en", "2031-03-20")] == rows


def test_a_loss_reported_in_the_year_ago_quarter_is_a_year_before():
    rows = _rows("Acme Systems Inc said it expects to report an improved first quarter compared to the 377,000 dlr "
                 "loss reported in the year ago quarter.", "en", "2031-03-05")
    assert [(r[2], r[3]) for r in rows] == [(-377000.0, "2030-Q1")]

def _catalogue_word_pieces() -> list[str]:
    from fintech_metrics.parsers import metrics

    words = sorted({*metrics._word_index()[1], *metrics._phrase_words()})
    # whole words, a word cut short, the word glued to letters, separators, CJK and a non-ASCII letter
    return [*words[::7], *(w[:-1] for w in words[::11]), "x", "3", " ", "-", "\n", ".", "銀", "行", "é", "corporate"]


@given(st.lists(st.sampled_from(_catalogue_word_pieces()), max_size=10).map("".join))
def test_the_word_scans_of_a_sentence_find_what_the_whole_tries_find(text):
    from fintech_metrics.parsers import metrics, scanning

    lowered = text.lower()
    assert [(m.span(), m.group()) for m in scanning.word_matches(metrics._word_scan(), lowered)] == \
        [(m.span(), m.group()) for m in metrics._word_index()[0].finditer(lowered)]
    assert metrics._names_any_word(lowered) == (metrics._any_word().search(lowered) is not None)


@given(st.text(alphabet=".,，；;。！？!?\n 1a", max_size=12), st.integers(0, 12), st.integers(0, 12))
def test_the_clause_and_sentence_ends_match_as_their_class_patterns(text, pos, endpos):
    import re

    from fintech_metrics.parsers import metrics

    # the patterns before they were written as one-character alternatives (for `re` to skip ahead)
    for pattern, before in ((metrics._CLAUSE_END, r"[，；;。]|,(?!\d)"),
                            (metrics._SENTENCE_END, r"\.(?:\s|$)|\n\n|[。！？!?]")):
        found, expected = pattern.search(text, pos, endpos), re.compile(before).search(text, pos, endpos)
        assert (found and found.span()) == (expected and expected.span())


@pytest.mark.parametrize(("text", "expected"), [
    # general business news: a drug maker's plant and a food chain's launch are no fintech commitments
    ("Zentrix Corp has committed 75 mln dlrs to the expansion of its medical products plant in Ohio, the governor "
     "said.",
     []),
    ("Halvard Foods Inc said it will invest 40 mln dlrs over the next year to launch a new product line.", []),
    # a financial firm's commitment is the sector's wherever it is told
    ("Halvard Capital Corp said it will invest 40 mln dlrs in a new venture fund for payment start-ups.",
     [("investment_commitment", "halvard_capital", 4e7, "2030-05-02", "published")]),
    # in an article about the sector, any company's commitment is
    ("Zentrix Ltd said it will invest 40 mln dlrs in its fintech lab in Hong Kong.",
     [("investment_commitment", "zentrix", 4e7, "2030-05-02", "published")]),
], ids=["drug-maker", "food-chain", "financial-name", "fintech-article"])
def test_an_unlisted_company_s_commitment_is_a_row_in_the_sector_only(text, expected):
    assert _rows(text, "en", "2030-05-02") == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a price paid for assets, its asides between the sale and the price
    ("Westfield Bank sold most of its assets last month to Harbour Bank, a unit of Ocean Holdings Corp, of Boston, "
     "for 63.5 mln dlrs.", []),
    # the assets of a place's other firms, or of a nationality's banks there, are not its banking sector's
    ("SINGAPORE, March 3 - Singapore's holding companies have total assets of more than 10 billion dlrs, the report "
     "said.", []),
    ("HONG KONG, March 3 - Japanese banks in Hong Kong had total assets of 54.4 billion dlrs at end-1986.", []),
    ("HONG KONG, March 3 - Banks in Hong Kong had total assets of 54.4 billion dlrs at end-1986.",
     [("total_assets", "hong_kong", 5.44e10, "1986-12-31", "sentence")]),
], ids=["sale-price", "holding-companies", "nationality-banks", "the-banks"])
def test_total_assets_are_a_bank_s_or_the_banking_sector_s(text, expected):
    assert _rows(text, "en", "1987-03-03") == expected


def test_a_place_inside_an_organisation_s_name_is_not_the_place():
    # METRICS.md 4.3, rule 2: the bank's full name contains Shanghai; its profit is HSBC's, never Shanghai's
    assert _rows("The Hongkong and Shanghai Banking Corp reported a net profit of 2.99 billion dlrs for 1986.",
                 "en", "1987-03-05") == [("net_profit", "hsbc", 2.99e9, "1986", "sentence")]
    assert _rows("Shanghai Commercial Bank's total assets rose to 40 billion dlrs at end-1986.", "en",
                 "1987-03-05") == [("total_assets", "shanghai_commercial_bank", 4e10, "1986-12-31", "sentence")]


def test_government_figures_in_a_story_about_one_bank_are_the_place_s():
    text = ("Analysts expect HSBC to report a higher profit for 1986.\n\nThey said HSBC benefited from the strength of "
            "the Hong Kong economy. Government figures show that total loans and advances rose by 13.8 pct in 1986.")
    assert [r for r in _rows(text, "en", "1987-03-05") if r[0] == "loans_change"] == [
        ("loans_change", "hong_kong", 13.8, "1986", "sentence")]


def test_the_bank_s_result_is_not_its_place_s_banking_sector_s():
    # one bank, unnamed in its sentence, in a story that names a place: no row for the place
    text = ("Harbour Bank said it will close its Hong Kong office.\n\nFor the year ended October 31, the bank posted "
            "a loss of 4.4 mln dlrs against year-earlier profit of 7.5 mln dlrs.")
    assert [r for r in _rows(text, "en", "1987-03-05") if r[1] == "hong_kong"] == []


def test_a_fiscal_quarter_whose_months_the_text_does_not_give_is_undated():
    # METRICS.md 2.4: never guess; "fiscal 1987 third quarter" is no calendar quarter, nor its base a year before
    text = ("Acme Corp reported fiscal 1987 third quarter earnings of 2.4 mln dlrs, versus three mln dlrs the prior "
            "third quarter.")
    assert _rows(text, "en", "1987-04-07") == [("net_profit", "acme", 2.4e6, None, None),
                                               ("net_profit", "acme", 3e6, None, None)]
    # the quarter's end month given: a calendar quarter after all
    text = "Acme Corp said it expects a loss for the first quarter of fiscal 1987, after a loss of 2.4 mln dlrs for " \
           "the fourth quarter ended December 31, 1986."
    assert _rows(text, "en", "1987-03-10") == [("net_profit", "acme", -2.4e6, "1986-Q4", "sentence")]


@pytest.mark.parametrize(("text", "expected"), [
    # a month that ended on its last day is that calendar month (a flow takes the period it covers)
    ("Acme Corp reported net earnings for the month ended January 31 of 17.3 mln dlrs.",
     [("net_profit", "acme", 1.73e7, "1987-01", "sentence")]),
    # a non-profit body's money names no profit
    ("Acme Bank and the non-profit Harbour Foundation will organize a fund with a 100 mln dlr pool.", []),
    # a bond issue is money raised, no commitment to spend
    ("Halvard Capital Corp will issue a 30 billion yen, 10-year bond on April 23, its lead manager said.", []),
], ids=["month-ended", "non-profit", "bond-issue"])
def test_newswire_results_words(text, expected):
    assert _rows(text, "en", "1987-03-10") == expected


@pytest.mark.parametrize(("text", "published", "expected"), [
    # a base "in the same year ago period" is the quarter a year before
    ("Acme Corp said it expects a loss for the second quarter ending June 30, against a profit of eight mln dlrs in "
     "the same year ago period.", "1987-06-29", [("net_profit", "acme", 8e6, "1986-Q2", "sentence")]),
    # results reported for a quarter that had not ended when the story was written: a fiscal quarter, undated
    ("Harbour Bank, in reporting a 19 pct drop in first quarter earnings, said it expects better results.",
     "1987-03-03", [("net_profit_change", "harbour_bank", -19.0, None, None)]),
    # "from 1985's X to Y in 1986": the level is 1986's, and the year after the start value's when no year follows
    ("Acme's pre-tax profits rose from 1985's 110.1 mln stg to 178.1 mln stg in 1986.", "1987-03-20",
     [("pre_tax_profit", "acme", 1.781e8, "1986", "sentence")]),
    ("Acme's pre-tax profits rose from 1985's 110.1 mln stg to 178.1 mln stg.", "1987-03-20",
     [("pre_tax_profit", "acme", 1.781e8, "1986", "sentence")]),
    # a payment that depends on future profits is no profit
    ("Halvard Corp said it valued its buyout of Acme Corp at 757 mln dlrs, not counting a contingent payment that "
     "could reach 350 mln dlrs based on Acme's future profits.", "1987-03-09", []),
], ids=["same-year-ago-period", "unfinished-quarter", "from-possessive-year", "from-possessive-year-alone",
        "contingent-payment"])
def test_newswire_results_dates(text, published, expected):
    assert _rows(text, "en", published) == expected


def test_a_class_of_firms_is_no_name_but_may_begin_one():
    assert _rows("Manufacturers' earnings will rise 7.7 pct in the first half, the survey said.", "en",
                 "1987-03-16") == []
    assert _rows("Manufacturers Hanover Corp said net income rose to 100 mln dlrs in 1986.", "en", "1987-03-16") == [
        ("net_profit", "manufacturers_hanover", 1e8, "1986", "sentence")]


def test_a_results_base_after_to_x_from_is_the_same_period_a_year_before():
    text = "In the six months to end-September, Acme reported a rise in pretax profits to 20.14 mln stg from 18.55 mln."
    assert _rows(text, "en", "1986-11-20") == [("pre_tax_profit", "acme", 2.014e7, "1986-09", "sentence"),
                                               ("pre_tax_profit", "acme", 1.855e7, "1985-09", "sentence")]


def test_a_date_closing_a_coordinated_clause_of_another_kind_dates_the_result():
    assert _rows("The Acme Group earned 24.2 mln dlrs and employed 800 people during 1986, the company said.", "en",
                 "1987-03-16") == [("net_profit", "acme_group", 2.42e7, "1986", "sentence")]


def test_a_name_with_a_slash_is_one_name():
    rows = _rows("CBS/Fox Video Co expects revenues for 1987 to exceed 400 mln dlrs, up from 361 mln dlrs last year.",
                 "en", "1987-06-02")
    assert {r[1] for r in rows} == {"cbs_fox_video"}


def test_one_institution_s_loans_are_not_the_place_s():
    text = ("Harbour International Bank opened a branch in Hong Kong last year.\n\nAssistant general manager John "
            "Smith said the group's outstanding loans at end-1986 totalled 620 mln Hong Kong dlrs, up from 530 mln at "
            "end-1985.")
    assert _rows(text, "en", "1987-03-20") == []


def test_a_results_table_line_s_item_names_its_figure():
    # the item (a loss on a discontinued business) is more than 60 characters before the figure, across a wrap
    text = "\n".join([
        "ACME ROYAL PROFIT UP SHARPLY AT 143.8 MLN STG", "", "Year to Dec 31",
        "    Pretax profit 143.8 mln stg vs 3.5 mln",
        "    NOTE - Company's full name is Acme Royal Assurance Plc",
        "    Underwriting profit on long-term insurance business 21.6", "mln stg vs 19.1 mln",
        "    Loss on discontinued international professional indemnity", "business nil vs 40.6 mln stg",
        "    Investment income 213.8 mln stg vs 193.6 mln"])
    assert [r for r in _rows(text, "en", "1987-04-01") if abs(r[2]) == 4.06e7] == []


def test_a_part_of_the_company_is_not_the_company():
    text = ("Acme Mutual Insurance Co said its property-casualty companies had a net loss of 56 mln dlrs last year "
            "while its life insurance operations earned 66.8 mln dlrs.")
    assert _rows(text, "en", "1987-03-05") == []
    assert _rows("Acme Corp said it had a net loss of 56 mln dlrs last year.", "en", "1987-03-05") == [
        ("net_profit", "acme", -5.6e7, "1986", "sentence")]


def test_the_second_of_a_respective_pair_has_the_first_one_s_words():
    # 分別: the pair's nouns (dividend and FX income) come before the first figure; fee income is another clause's
    text = "2016年，零售銀行的費用與佣金收入下跌11.3%，但股息收入及外匯與衍生工具業務收入分別上升123.5%及39.7%。"
    assert [r[:3] for r in _rows(text, "zh-Hant", "2017-04-30")] == [("fee_income_change", "hk_retail_banks", -11.3)]


def test_a_subject_that_holds_an_earlier_figure_is_not_the_figure_s():
    text = ("FPS continued to grow, with 15.8 million registrations reached by the end of 2030 and the number of "
            "transactions rising to 1.65 million.")
    assert [r[:3] for r in _rows(text, "en", "2031-04-30")] == [("payment_system_registrations", "fps", 1.58e7),
                                                                ("payment_system_transactions", "fps", 1.65e6)]


@pytest.mark.parametrize(("text", "language", "expected"), [
    # the noun right after a bare count is what it counts, not the previous figure's noun
    ("金管局合辦「香港金融科技周2030」，吸引來自超過130個經濟體逾120萬觀眾。", "zh-Hant",
     [("event_economies", "hong_kong_fintech_week", 130.0), ("event_attendees", "hong_kong_fintech_week", 1.2e6)]),
    ("Hong Kong FinTech Week 2030 attracted over 1.2 million viewers from more than 130 economies.", "en",
     [("event_attendees", "hong_kong_fintech_week", 1.2e6), ("event_economies", "hong_kong_fintech_week", 130.0)]),
    # estimated investment opportunities, earmarked sums, credit lines and a liquidity facility: none is the metric
    ("國際金融公司估計未來10年新興市場綠色投資機會高達23萬億美元。", "zh-Hant", []),
    ("金管局繼續支持香港中小企。銀行亦在貸款組合中預留約3,900億港元專項資金，"
     "支持中小企在市場環境變化中持續發展。", "zh-Hant", []),
    ("金管局繼續支持香港中小企。截至目前，已有超過39,000家中小企獲得信貸支援及新批貸款，"
     "涉及信貸額度合共950億港元。", "zh-Hant", []),
    ("金管局推出1,000億元人民幣貿易融資流動資金安排，為銀行提供資金。", "zh-Hant", []),
], ids=["zh-viewers", "en-viewers", "opportunities", "earmarked", "credit-lines", "liquidity-facility"])
def test_hkma_report_words(text, language, expected):
    assert [r[:3] for r in _rows(text, language, "2031-04-30")] == expected


def test_renminbi_deposits_and_loans_and_a_report_year_base():
    # renminbi customer deposits are the RMB deposit pool; a base "a year ago" in a report-year sentence is a year back
    text = ("At the end of the year, outstanding renminbi customer deposits stood at RMB 1,010 billion, as compared "
            "with RMB 1,158 billion a year ago.")
    assert _rows(text, "en", "2031-04-30") == [("rmb_deposits", "hong_kong", 1.01e12, "2030-12-31", "sentence"),
                                               ("rmb_deposits", "hong_kong", 1.158e12, "2029-12-31", "sentence")]
    # renminbi loans are a sub-total by currency, and accounts at virtual banks no count of virtual banks
    assert _rows("人民幣銀行貸款餘額亦按年增長58%至2,970億元人民幣。", "zh-Hant", "2031-04-30") == []
    assert _rows("截至2030年底，在虛擬銀行開設的帳戶共有420,000個。", "zh-Hant", "2031-04-30") == []


def test_chinese_renminbi_deposit_pool_and_its_base_a_year_before():
    text = "年底，人民幣客戶存款及存款證餘額合共為10,100億元人民幣，對比一年前的11,580億元人民幣。"
    figures = extract_figures(text, published="2031-04-30", language="zh-Hant", article_id="0" * 16)
    assert [(m.metric, m.value, m.as_of) for m in metrics_of(figures, text, "2031-04-30", report="2030")] == [
        ("rmb_deposits", 1.01e12, "2030-12-31"), ("rmb_deposits", 1.158e12, "2029")]
    # 由上一年的0.98%: the start of a from-to is the year before's
    text = "在加息環境下，零售銀行淨息差由上一年的0.98%擴闊至2030年的1.31%。"
    figures = extract_figures(text, published="2031-04-30", language="zh-Hant", article_id="0" * 16)
    assert [(m.metric, m.value, m.as_of) for m in metrics_of(figures, text, "2031-04-30", report="2030")] == [
        ("net_interest_margin", 0.98, "2029"), ("net_interest_margin", 1.31, "2030")]


def test_bond_connect_turnover_is_no_payment_system_s_in_a_passage_about_fps():
    text = "轉數快在2030年的交易量持續增長。在2030年，「債券通」平均每日交易額增加82%，至約193億元人民幣。"
    assert [r[:4] for r in _rows(text, "zh-Hant", "2031-04-30")] == [
        ("bond_connect_turnover_change", "bond_connect", 82.0, "2030"),
        ("bond_connect_turnover", "bond_connect", 1.93e10, "2030")]


def test_a_result_against_a_year_s_result_is_the_year_after():
    assert _rows("Acme Bank recorded a loss of 480 mln dlrs against a 1985 profit of 11.9 billion.", "en",
                 "1987-03-23")[0] == ("net_profit", "acme_bank", -4.8e8, "1986", "sentence")


def test_an_annual_report_s_undated_base_is_the_year_before():
    text = "The classified loan ratio of the banking sector in Hong Kong decreased to 0.67%, from 0.85%."
    figures = extract_figures(text, published="2031-04-30", language="en", article_id="0" * 16)
    assert [(m.metric, m.value, m.as_of) for m in metrics_of(figures, text, "2031-04-30", report="2030")] == [
        ("npl_ratio", 0.67, "2030"), ("npl_ratio", 0.85, "2029")]


def test_a_phrase_a_metric_excludes_does_not_name_it_from_afar():
    # "operating profit" holds "profit" but is no net profit, however far the phrase stands from the figures
    text = ("Operating profit at the group's Zeta Pipeline Corp unit fell 4.5 pct to 150 mln dlrs from lower "
            "sales.\n\nAcme Corp said net income rose to 12 mln dlrs.")
    rows = _rows(text, "en", "1990-03-01")
    assert [(r[0], r[1], r[2]) for r in rows] == [("net_profit", "acme", 1.2e7)]


@pytest.mark.parametrize(("text", "as_of"), [
    # revenues joined to a result by "on" are the result's year's, not the year the sentence looks ahead to
    ("Orbis Mining Ltd expects higher 2031 profit and revenues than last year's earnings of 19.1 mln dlrs on 250.2 "
     "mln dlrs of revenues.", ["2030", "2030"]),
    # a time after the pair is both figures'
    ("Last year, Orbis Mining Ltd lost 243,064 dlrs on revenues of 7,012,195 dlrs in the second quarter.",
     ["2030-Q2"]),
])
def test_revenues_a_result_is_earned_on_hold_for_its_period(text, as_of):
    assert [r[3] for r in _rows(text, "en", "2031-03-01")] == as_of


@pytest.mark.parametrize(("text", "rows"), [
    # the i-th figure of a "respectively" list is the i-th noun's, a change as the first is, dated as the list is
    ("Orbis Corp said revenues and earnings rose 15 pct and 13 pct, respectively, in 2030.",
     [("revenue_change", "orbis", 15.0, "2030"), ("net_profit_change", "orbis", 13.0, "2030")]),
    ("Orbis Corp plans to increase revenues and earnings at an annual compounded growth rate of 15 pct and about 13 "
     "pct, respectively.", [("revenue_change", "orbis", 15.0, "2031-03-01"),
                            ("net_profit_change", "orbis", 13.0, "2031-03-01")]),
])
def test_a_respectively_list_pairs_its_figures_with_its_nouns(text, rows):
    assert [r[:4] for r in _rows(text, "en", "2031-03-01")] == rows


@pytest.mark.parametrize(("text", "published", "rows"), [
    # a wire dateline's day is when the story was filed, not the period its first sentence reports
    ("ACME OIL PROFIT DROPS\n\nHOUSTON, April 24 - Acme Oil Co said first quarter net income dropped 61 pct over "
     "the prior-year quarter.", "2031-04-25", [("net_profit_change", "acme_oil", -61.0, "2031-Q1", "sentence")]),
    ("HONG KONG, Nov 3 (Reuters) - Acme Holdings said first-half net profit rose 12 pct.", "2031-11-04",
     [("net_profit_change", "acme_holdings", 12.0, "2031-H1", "sentence")]),
])
def test_a_wire_dateline_dates_the_story_not_its_first_sentences_figures(text, published, rows):
    assert _rows(text, "en", published) == rows


def test_a_base_after_the_revenues_a_result_was_earned_on_is_the_results():
    text = ("For 2030, Orbis Corp's earnings dropped to 139 mln dlrs, or five cts a share, on revenues of 34.1 "
            "billion dlrs, from 1.56 billion dlrs, or 1.37 dlrs a share, on revenues of 34.4 billion dlrs in 2029.")
    assert [r[:4] for r in _rows(text, "en", "2031-03-01")] == [
        ("net_profit", "orbis", 1.39e8, "2030"), ("revenue", "orbis", 3.41e10, "2030"),
        ("net_profit", "orbis", 1.56e9, "2029"), ("revenue", "orbis", 3.44e10, "2029")]


def test_what_a_company_sees_ahead_is_a_forecast():
    text = "Orbis Inc said it sees 15 pct growth in earnings for the year ending April 30, 2032."
    figures = extract_figures(text, published="2031-04-08", language="en", article_id="0" * 16)
    assert [(m.metric, m.value, m.forecast) for m in metrics_of(figures, text, "2031-04-08")] == [
        ("net_profit_change", 15.0, True)]


@pytest.mark.parametrize(("text", "rows"), [
    # a cause after the figure is not what it is of
    ("Orbis Corp said revenues were higher in the first quarter, but net earnings fell 22.8 pct in part due to "
     "higher expenses.", [("net_profit_change", "orbis", -22.8)]),
    # operating profits are no net profit, in the plural too
    ("Orbis Corp expects to report operating profits in fiscal 2031 that exceed 2030 results of 41.5 mln dlrs.", []),
])
def test_what_a_results_figure_is_of(text, rows):
    assert [r[:3] for r in _rows(text, "en", "2031-04-13")] == rows


@pytest.mark.parametrize(("text", "rows"), [
    # what a multilateral lender provides a country is lending or aid, not a commitment to invest
    ("The World Bank said it will provide 37.1 mln dlrs to Utopia through its concessionary lending affiliate.", []),
    ("The Asian Development Bank pledged 300 million US dollars to a regional programme.", []),
    ("Acme Fintech Ltd said it will invest 40 million US dollars in a new AI lab over the next three years.",
     [("investment_commitment", "acme_fintech", 4e7)]),
])
def test_a_multilateral_lender_makes_no_investment_commitment(text, rows):
    assert [r[:3] for r in _rows(text, "en", "2031-04-13")] == rows


@pytest.mark.parametrize(("text", "rows"), [
    # a figure after a cause connective is the cause's, not the result's named before it
    ("Orbis Petroleum Ltd said the 2030 loss was mainly due to write downs totalling 2.084 billion dlrs.", []),
    # a change from a year is the next year's
    ("Excluding these, Orbis Corp turnover rose four pct from 2029.", [("revenue_change", "orbis", 4.0, "2030")]),
])
def test_causes_and_years_of_comparison(text, rows):
    assert [r[:4] for r in _rows(text, "en", "2031-03-20")] == rows


@pytest.mark.parametrize(("text", "rows"), [
    # the second of a list of amounts over periods is the first's measure, not the words after it
    ("Orbis Corp said it expects to report a loss of about 57 mln dlrs for the fourth quarter and 68 mln dlrs for "
     "the full year on revenues of about 10 mln dlrs for the quarter and 52 mln dlrs for the year.",
     [("net_profit", -5.7e7), ("net_profit", -6.8e7), ("revenue", 1e7), ("revenue", 5.2e7)]),
    # a share of profit of related companies, doubtful debts: no net profit, no loan book
    ("Orbis Plc: share of profit less losses of related companies 104.4 mln stg vs 165.0 mln.", []),
    ("Orbis Bank was trying to recall loans and to collect another four to five billion baht of doubtful debts.",
     []),
])
def test_lists_and_items_of_the_results(text, rows):
    assert [(r[0], r[2]) for r in _rows(text, "en", "2031-03-03")] == rows


@pytest.mark.parametrize(("text", "as_of", "forecast"), [
    # results one expects to report are of a period that has begun: the fourth quarter in March is last year's
    ("Orbis Inc said it expects to report a loss of about 800,000 dlrs for the fourth quarter.", "2030-Q4", False),
    # a quarter about to begin is still ahead
    ("Orbis Inc said it expects to record a net loss of about 11 mln dlrs in the second quarter.", "2031-03-13",
     True),
])
def test_the_quarter_results_are_expected_for(text, as_of, forecast):
    figures = extract_figures(text, published="2031-03-13", language="en", article_id="0" * 16)
    assert [(m.as_of, m.forecast) for m in metrics_of(figures, text, "2031-03-13")] == [(as_of, forecast)]


@pytest.mark.parametrize(("text", "as_of"), [
    # a date deep in an annual report's lead is an event's, not the paragraph's
    ("To promote the safety of the retail payment industry, the HKMA designated four retail payment systems under "
     "the Ordinance in August. The HKMA also supervised 16 stored value facility (SVF) licensees.",
     [("svf_licensees", "2030", "report")]),
    # a lead that states a level at a day dates its paragraph
    ("The total assets of the Exchange Fund reached HK$3,618.7 billion at the end of 2030. Outstanding investment "
     "commitments of the LTGP amounted to HK$133.8 billion.",
     [("total_assets", "2030-12-31", "sentence"), ("outstanding_investment_commitments", "2030-12-31", "lead")]),
    ("金管局於8月根據《條例》指定4個零售支付系統，以加強監管。金管局亦對16個儲值支付工具持牌人進行監管。",
     [("svf_licensees", "2030", "report")]),
])
def test_an_annual_reports_paragraph_is_dated_by_the_date_opening_its_lead(text, as_of):
    # (the Chinese lead opens with its event's month: 於8月 dates the paragraph's events, not its levels)
    language = "en" if text.isascii() else "zh-Hant"
    figures = extract_figures(text, published="2031-04-30", language=language, article_id="0" * 16)
    rows = metrics_of(figures, text, "2031-04-30", report="2030")
    assert [(m.metric, m.as_of, m.as_of_source) for m in rows] == as_of


def test_a_chinese_date_compared_with_does_not_date_the_figure():
    # 與2029年底相比: the base's date; the ratio holds at the end of 2030
    text = "香港銀行體系穩健。2030年底本地註冊認可機構的綜合總資本比率與2029年底相比維持穩定，為20.7%。"
    figures = extract_figures(text, published="2031-04-30", language="zh-Hant", article_id="0" * 16)
    rows = metrics_of(figures, text, "2031-04-30", report="2030")
    assert [(m.metric, m.entity, m.value, m.as_of) for m in rows] == [
        ("capital_adequacy_ratio", "hong_kong", 20.7, "2030-12-31")]


@pytest.mark.parametrize(("text", "language"), [
    # an annual report's months without a year are its year's, not the year it was published in
    ("The Faster Payment System continued to grow, with the number of registrations exceeding ten million in March.",
     "en"),
    ("快速支付系統「轉數快」繼續穩步增長，登記數目在3月份突破1,000萬個。", "zh-Hant"),
])
def test_an_annual_reports_yearless_month_is_in_its_year(text, language):
    figures = extract_figures(text, published="2031-04-30", language=language, article_id="0" * 16)
    rows = metrics_of(figures, text, "2031-04-30", report="2030")
    assert [(m.metric, m.value, m.as_of) for m in rows] == [("payment_system_registrations", 1e7, "2030-03")]


@pytest.mark.parametrize("text", [
    "Orbis Corp said it has acquired a number of security companies, with aggregate revenues of about 3,500,000 dlrs.",
    "Orbis Corp said it added three trucking operations to its affiliate program totaling about 6.7 mln dlrs in "
    "annual revenue.",
])
def test_the_revenues_of_several_businesses_are_no_companys(text):
    assert _rows(text, "en", "2031-03-18") == []


def test_a_period_which_ended_dates_the_figure_from_further_away():
    # (the paragraph's lead dates it otherwise)
    text = ("ORBIS TO MERGE\n\nIn August, Orbis Corp agreed to merge with Acme Corp. Headquartered in Utopia, Orbis "
            "reported over 70 mln dlrs in revenues in its last fiscal year, which ended May 2031.")
    assert [r[:4] for r in _rows(text, "en", "2031-08-20")] == [("revenue", "orbis", 7e7, "2031-05")]


def test_licensees_a_taskforce_includes_are_not_the_places_licensees():
    text = ("The taskforce was expanded to include all major retail banks plus six Stored Value Facility licensees "
            "last year.")
    assert _rows(text, "en", "2031-04-30") == []


@pytest.mark.parametrize("text", [
    "Orbis Corp said gains on the sale of loans, which have been the company's main source of profit during the past "
    "two years, fell to 12.4 mln dlrs in the third quarter of 2030.",
    "UTOPIA TO ISSUE BONDS\n\nSINGAPORE, March 26 - The Singapore government plans to issue bonds. The rest will be "
    "used up when bonds are issued to absorb advance deposits of 13.9 billion dlrs from a pension savings scheme.",
])
def test_an_item_of_profit_and_advance_deposits_make_no_rows(text):
    assert _rows(text, "en", "2031-03-26") == []


@pytest.mark.parametrize(("text", "rows"), [
    # several banks' aggregate assets are no one bank's
    ("Orbis BancGroup said it signed letters of intent to acquire First Federal Bank and Commercial National Bank, "
     "with aggregate assets totaling 130 mln dlrs.", []),
    # results under other principles, and the base they are set against, are hypothetical
    ("Under U.S. accounting practises, Orbis Mines would have reported a 2030 loss of 192.9 mln dlrs vs a yr-ago "
     "loss of 24.9 mln dlrs.", []),
])
def test_aggregates_and_hypothetical_results_make_no_rows(text, rows):
    assert [r[:3] for r in _rows(text, "en", "2031-03-30")] == rows


def test_the_asian_dollar_market_deals_in_us_dollars():
    text = ("SINGAPORE, April 3 - The Asian dollar market in Singapore grew in March. Central to it is the market's "
            "pool of funds, with deposits of Singapore banks estimated at 212 billion dlrs in March.")
    figures = extract_figures(text, published="2031-04-03", language="en", article_id="0" * 16)
    assert {m.currency for m in metrics_of(figures, text, "2031-04-03")} == {"USD"}


@pytest.mark.parametrize(("text", "row"), [
    # a result in a "when" clause about a past period is that period's, whatever forecast the sentence makes
    ('Orbis Inc said its second quarter is "likely to be in the black, but down from the comparable year-ago '
     'quarter," when Orbis earned 117 mln dlrs.', ("net_profit", 1.17e8, "2030-Q2", False)),
    ("Orbis Corp expects 2031 profits to exceed 2030 results and recover to 2029 levels when the company earned 152 "
     "mln dlrs.", ("net_profit", 1.52e8, "2029", False)),
])
def test_a_result_in_a_when_clause_holds_for_its_past_period(text, row):
    figures = extract_figures(text, published="2031-06-17", language="en", article_id="0" * 16)
    assert [(m.metric, m.value, m.as_of, m.forecast) for m in metrics_of(figures, text, "2031-06-17")] == [row]


@pytest.mark.parametrize(("text", "language", "rows"), [
    # an aside between a loss and its amount keeps the loss's sign
    ("Orbis Corp said it expects to report a loss, without tax benefit, of about 16 mln dlrs for the fiscal year "
     "ended November 30, 2030.", "en", [("net_profit", -1.6e7)]),
    # loans a platform facilitated, or a co-lending portfolio a body commits to, are no loan book
    ("As at end-2030, the platform had facilitated over 1,000 SME loans in Hong Kong amounting to more than HK$1.9 "
     "billion.", "en", []),
    ("金管局與國際金融公司簽訂協議，就香港參與的聯合貸款組合管理計劃作出10億美元承諾。", "zh-Hant", []),
])
def test_signs_and_loans_that_are_no_loan_book(text, language, rows):
    assert [(r[0], r[2]) for r in _rows(text, language, "2031-03-06")] == rows


@pytest.mark.parametrize(("text", "language", "rows"), [
    # a figure in brackets after a noun is that noun's, not the next item's
    ("The profits of retail banks rose. The growth was driven by dividends received from subsidiaries (+123.5%) and "
     "net interest income (+2.8%).", "en", [("net_interest_income_change", 2.8)]),
    ("零售銀行的盈利上升，增長由附屬公司派發的股息收入（+123.5%）及淨利息收入（+2.8%）所帶動。", "zh-Hant",
     [("net_interest_income_change", 2.8)]),
    # the transactions of one use of a payment system are a part of its transactions
    ("As of December 2030, 1.8 million government bill payment transactions involving HK$2.2 billion had been made "
     "through the FPS.", "en", []),
    ("截至2030年12月經轉數快繳付政府帳單的交易達180萬宗，涉及22億港元。", "zh-Hant", []),
])
def test_bracketed_items_and_parts_of_a_systems_transactions(text, language, rows):
    assert [(r[0], r[2]) for r in _rows(text, language, "2031-04-30")] == rows
