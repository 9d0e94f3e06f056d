"""Chinese breadth, Simplified and Traditional: sentences written for the test (no corpus text)."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from fintech_metrics.parsers import extract_figures

FIELDS = ("surface", "kind", "value", "unit", "currency", "qualifier", "change", "value_from")


def one(text: str, published: str | None = "2025-11-18"):
    figures = extract_figures(text, published=published)
    assert len(figures) == 1, [f.surface for f in figures]
    return figures[0]


@pytest.mark.parametrize("text, expected", [
    ("不良率为百分之二十八。", ("百分之二十八", "percent", 28, "百分之", None, "exact", None, None)),
    ("不良率為百分之二十八。", ("百分之二十八", "percent", 28, "百分之", None, "exact", None, None)),
    ("三成的银行已使用AI。", ("三成", "percent", 30, "成", None, "exact", None, None)),
    ("約兩成半的用戶。", ("約兩成半", "percent", 25, "成", None, "approx", None, None)),
    ("一至两成的企业。", ("一至两成", "percent", 20, "成", None, "exact", None, 10)),
    ("按揭利率1.47厘。", ("1.47厘", "percent", 1.47, "厘", None, "exact", None, None)),
    ("三分之一的银行。", ("三分之一", "percent", 33.3333333333, "分之", None, "exact", None, None)),
    ("利率下調25個基點。", ("下調25個基點", "points", 0.25, "個基點", None, "exact", "decrease", None)),
    ("交易量增长7倍。", ("增长7倍", "multiple", 7, "倍", None, "exact", "increase", None)),
    ("收入增長至8.8%。", ("增長至8.8%", "percent", 8.8, "%", None, "exact", "increase", None)),
    ("上限由四成上調至五成。", ("由四成上調至五成", "percent", 50, "成", None, "exact", "increase", 40)),
    ("总股本由8亿股减少为7.5亿股。", ("由8亿股减少为7.5亿股", "count", 750_000_000, "股", None, "exact", "decrease",
                                   800_000_000)),
    ("存款利率由5%降為4%。", ("由5%降為4%", "percent", 4, "%", None, "exact", "decrease", 5)),
    ("拼多多(PDD.O)涨2.86%。", ("涨2.86%", "percent", 2.86, "%", None, "exact", "increase", None)),
    ("用户数从100万增加到200万。",
     ("从100万增加到200万", "count", 2_000_000, None, None, "exact", "increase", 1_000_000)),
    ("乘用车销量2000萬輛。", ("2000萬輛", "count", 20_000_000, "輛", None, "exact", None, None)),
    ("年产能约3.6万吨。", ("约3.6万吨", "count", 36_000, "吨", None, "approx", None, None)),
    # Reports typeset a space between the digits and what follows them.
    ("外匯基金錄得1,919 億港元的投資收入。", ("1,919 億港元", "money", 191_900_000_000, "港元", "HKD", "exact", None,
                                          None)),
    ("年內進行了14 次即場訪問。", ("14 次即場訪問", "count", 14, "次", None, "exact", None, None)),
    ("計劃在未來 6 個月內完成。", ("未來 6 個月內", "duration", 6, "個月", None, "at_most", None, None)),
    # A bare multiplier is an idiom (千家萬戶), but not before a currency.
    ("逾千億港元資金流入。", ("逾千億港元", "money", 100_000_000_000, "港元", "HKD", "more_than", None, None)),
    ("恒指漲超1%。", ("漲超1%", "percent", 1, "%", None, "more_than", "increase", None)),
    ("恒指全年下挫13.6%。", ("下挫13.6%", "percent", 13.6, "%", None, "exact", "decrease", None)),
    ("出口回升至5%。", ("回升至5%", "percent", 5, "%", None, "exact", "increase", None)),
    ("10至20家银行参与。", ("10至20家银行", "count", 20, "家", None, "exact", None, 10)),
    ("10家到20家銀行參與。", ("10家到20家銀行", "count", 20, "家", None, "exact", None, 10)),
    ("占比10-20%。", ("10-20%", "percent", 20, "%", None, "exact", None, 10)),
    ("預計虧損1.5億元至1.8億元。", ("1.5億元至1.8億元", "money", 180_000_000, "元", "CNY", "exact", None, 150_000_000)),
    ("规模10至20亿元。", ("10至20亿元", "money", 2_000_000_000, "元", "CNY", "exact", None, 1_000_000_000)),
    ("美元6000亿的市场。", ("美元6000亿", "money", 600_000_000_000, "美元", "USD", "exact", None, None)),
    ("規模為港幣100億。", ("港幣100億", "money", 10_000_000_000, "港幣", "HKD", "exact", None, None)),
    ("投资HK$100亿。", ("HK$100亿", "money", 10_000_000_000, "HK$", "HKD", "exact", None, None)),
    ("募資US$5億。", ("US$5億", "money", 500_000_000, "US$", "USD", "exact", None, None)),
    ("人民币3.5万亿元的资产。", ("人民币3.5万亿元", "money", 3_500_000_000_000, "元", "CNY", "exact", None, None)),
    ("港币100亿元的基金。", ("港币100亿元", "money", 10_000_000_000, "元", "HKD", "exact", None, None)),
    ("新台幣5兆的市場。", ("新台幣5兆", "money", 5_000_000_000_000, "新台幣", "TWD", "exact", None, None)),
    ("投資100億瑞典克朗。", ("100億瑞典克朗", "money", 10_000_000_000, "瑞典克朗", "SEK", "exact", None, None)),
    ("承載7億多人的就業。", ("7億多人", "count", 700_000_000, "人", None, "more_than", None, None)),
    ("公司有三千多名員工。", ("三千多名員工", "count", 3000, "名", None, "more_than", None, None)),
    ("新增2例本地個案。", ("新增2例本地個案", "count", 2, "例", None, "exact", "increase", None)),  # a delta
    ("逾300間機構參與。", ("逾300間機構", "count", 300, "間", None, "more_than", None, None)),
    ("共有兩千名員工。", ("兩千名員工", "count", 2000, "名", None, "exact", None, None)),
    ("三成的銀行已使用AI。", ("三成", "percent", 30, "成", None, "exact", None, None)),
    ("在3个营业日内完成。", ("3个营业日内", "duration", 3, "个营业日", None, "at_most", None, None)),
    ("在3個營業日內完成。", ("3個營業日內", "duration", 3, "個營業日", None, "at_most", None, None)),
    ("须在两年内完成。", ("两年内", "duration", 2, "年", None, "at_most", None, None)),
    ("最近五个交易日累计上涨。", ("五个交易日", "duration", 5, "个交易日", None, "exact", None, None)),
    ("公司成立7年多。", ("7年多", "duration", 7, "年", None, "more_than", None, None)),
    ("过渡期为两个半月。", ("两个半月", "duration", 2.5, "个月", None, "exact", None, None)),
    ("该股下跌至五年半低位。", ("五年半", "duration", 5.5, "年", None, "exact", None, None)),
    ("收入季增 40 億元。", ("增 40 億元", "money", 4_000_000_000, "元", "CNY", "exact", "increase", None)),
    ("近3个月成交额。", ("3个月", "duration", 3, "个月", None, "exact", None, None)),
    ("历时近两年才完成。", ("历时近两年", "duration", 2, "年", None, "approx", None, None)),
    ("銀行前七月盈利。", ("前七月", "duration", 7, "月", None, "exact", None, None)),
    ("基金首3季錄得收益。", ("首3季", "duration", 3, "季", None, "exact", None, None)),
    ("利潤四二八．六億元。", ("四二八．六億元", "money", 42_860_000_000, "元", "CNY", "exact", None, None)),
    ("佔比三十二．五％。", ("三十二．五％", "percent", 32.5, "％", None, "exact", None, None)),
    ("規模近二一○○億元。", ("近二一○○億元", "money", 210_000_000_000, "元", "CNY", "approx", None, None)),
    ("使用率達七成五。", ("達七成五", "percent", 75, "成", None, "exact", None, None)),
])
def test_figures_both_scripts(text, expected):
    figure = one(text)
    assert tuple(getattr(figure, k) for k in FIELDS) == expected
    assert text[figure.start:figure.end] == figure.surface


@pytest.mark.parametrize("text, surface, value, qualifier, value_from, unit", [
    ("今年第三季度录得增长。", "今年第三季度", "2025-Q3", "exact", None, None),
    ("今年第三季度錄得增長。", "今年第三季度", "2025-Q3", "exact", None, None),
    ("去年12月推出。", "去年12月", "2024-12", "exact", None, None),
    ("去(2024)年推出。", "去(2024)年", "2024", "exact", None, None),
    ("今（12）日開幕。", "今（12）日", "2025-11-12", "exact", None, None),
    ("昨(17)日公布。", "昨(17)日", "2025-11-17", "exact", None, None),
    ("本月15日開幕。", "本月15日", "2025-11-15", "exact", None, None),
    ("上月20日完成。", "上月20日", "2025-10-20", "exact", None, None),
    ("金管局於8月推出計劃。", "8月", "2025-08", "exact", None, None),
    ("第三季度录得增长。", "第三季度", "2025-Q3", "exact", None, None),
    ("2026年底前完成。", "2026年底前", "2026-12-31", "at_most", None, None),
    ("2026年10月前完成。", "2026年10月前", "2026-10", "less_than", None, None),
    ("2021至2023年间完成。", "2021至2023年", "2023", "exact", "2021", None),
    ("2021年至2023年間完成。", "2021年至2023年", "2023", "exact", "2021", None),
    ("2021年度至2023年度的收入。", "2021年度至2023年度", "2023", "exact", "2021", None),
    ("2021年度到2023年的收入增加。", "2021年度到2023年", "2023", "exact", "2021", None),
    ("2025財年收入。", "2025財年", "2025", "exact", None, "財年"),
    ("2024/25財政年度的收入。", "2024/25財政年度", "2025", "exact", None, "財政年度"),
    ("2025年年中推出。", "2025年年中", "2025", "approx", None, None),
    ("2024年第三季末的存款。", "2024年第三季末", "2024-09-30", "exact", None, None),
    # Taiwan's Minguo years.
    ("民國113年的交易額。", "民國113年", "2024", "exact", None, None),
    ("113年6月底的存款。", "113年6月底", "2024-06-30", "exact", None, None),
    ("113年度的盈餘。", "113年度", "2024", "exact", None, None),
    ("去年第四季底的貸款。", "去年第四季底", "2024-12-31", "exact", None, None),
    ("截至2025年第1季度末。", "2025年第1季度末", "2025-03-31", "exact", None, None),
])
def test_dates_both_scripts(text, surface, value, qualifier, value_from, unit):
    figure = one(text)
    assert (figure.surface, figure.kind, figure.value, figure.qualifier, figure.value_from, figure.unit) == (
        surface, "date", value, qualifier, value_from, unit)


@pytest.mark.parametrize("text, surfaces", [
    # The noun after a measure word stops before the next figure, its qualifier and function words.
    ("來自290所中學共32,000人次參與。", [("290所中學", "中學"), ("共32,000人次", None)]),
    ("6家銀行共14項新技術項目。", [("6家銀行", "銀行"), ("共14項新技術項目", "新技術項目")]),
    ("指定9間認可機構作為提供行。", [("9間認可機構", "認可機構")]),
    ("舉辦4場國際研討會。", [("4場國際研討會", "國際研討會")]),
    ("5家Web3公司参与。", [("5家Web3公司", "Web3公司")]),
    ("23种产品价格上涨。", [("23种产品价格", "产品价格")]),
])
def test_measured_noun_ends_where_the_next_figure_starts(text, surfaces):
    assert [(f.surface, f.subject) for f in extract_figures(text, published="2025-11-18")] == surfaces


def test_first_three_quarters_is_not_before_the_year():
    date = extract_figures("2025年前三季度录得增长。")[0]
    assert (date.surface, date.value, date.qualifier) == ("2025年", "2025", "exact")


def test_a_bare_day_is_in_the_month_last_named():
    figures = extract_figures("公司1月22日發表聲明，23日起取消31次航班。", published="2022-03")
    assert [(f.surface, f.value) for f in figures] == [
        ("1月22日", "2022-01-22"), ("23日", "2022-01-23"), ("31次航班", 31)]


@pytest.mark.parametrize("text", ["今年上半年推出。", "去年完成。", "明年上半年推出。", "上月底完成。", "當月交易。"])
def test_deictic_dates_without_a_numeral_are_not_figures(text):
    assert extract_figures(text, published="2025-11-18") == []


def test_a_deictic_date_still_dates_its_sentence():
    [figure] = extract_figures("去年交易额达300亿元。", published="2025-11-18")
    assert (figure.value, figure.as_of) == (30_000_000_000, "2024")


@pytest.mark.parametrize("text, expected", [
    ("假期(2024年10月1日至7日)客流大增。", [("2024年10月1日至7日", "2024-10-07", "2024-10-01")]),
    ("活动于2024年3月1日至4月30日举行。", [("2024年3月1日至4月30日", "2024-04-30", "2024-03-01")]),
])
def test_date_ranges(text, expected):
    assert [(f.surface, f.value, f.value_from) for f in extract_figures(text, published="2025-05")] == expected


@pytest.mark.parametrize("text, expected", [
    ("讀畢需時 3 分鐘", []),  # page chrome
    ("推出「移动支付三年倍增计划」。", []),  # a number inside a programme's name
    ("USD1稳定币获批。", []),  # a token named with a digit
    ("营收超过300亿，资产规模达5000亿。", [(30_000_000_000, "money", "CNY"), (500_000_000_000, "money", "CNY")]),
    ("用户数超过300万。", [(3_000_000, "count", None)]),
    ("设有6个零售支付系统。", [(6, "count", None)]),
])
def test_not_figures_and_bare_amounts(text, expected):
    figures = extract_figures(text, published="2025-05", language="zh-Hans")
    assert [(f.value, f.kind, f.currency) for f in figures] == expected
    assert all("零售" not in f.surface for f in figures)


@pytest.mark.parametrize("text", ["10年期国债收益率上升。", "三个月拆息回落。", "两年期債券收益率。"])
def test_a_tenor_is_not_a_duration(text):
    assert [f.surface for f in extract_figures(text, published="2025-11") if f.kind == "duration"] == []


@pytest.mark.parametrize("text, expected", [
    # N大 and a one-character noun are counts; 一 after a limit word is counted.
    ("集團的五大業務和前三大市場。", [("五大", "count", 5, None, "exact"), ("三大", "count", 3, None, "exact")]),
    ("覆蓋七省及兩市。", [("七省", "count", 7, None, "exact"), ("兩市", "count", 2, None, "exact")]),
    ("每月須至少一次申報。", [("至少一次申報", "count", 1, None, "at_least")]),
    # A list shares the unit and currency written after its last item, and the cue written before its first.
    ("數目依次為80、65與30家。", [("80", "count", 80, None, "exact"), ("65", "count", 65, None, "exact"),
                              ("30家", "count", 30, None, "exact")]),
    ("支出分别为4.2亿、3.5亿及2.8亿港元。", [("4.2亿", "money", 420_000_000, "HKD", "exact"),
                                     ("3.5亿", "money", 350_000_000, "HKD", "exact"),
                                     ("2.8亿港元", "money", 280_000_000, "HKD", "exact")]),
    ("费用分别约3100万港元、2200万港元及900万港元。", [("约3100万港元", "money", 31_000_000, "HKD", "approx"),
                                            ("2200万港元", "money", 22_000_000, "HKD", "approx"),
                                            ("900万港元", "money", 9_000_000, "HKD", "approx")]),
    ("手續費約30元至80元。", [("約30元至80元", "money", 80, "CNY", "approx")]),
    # A scale written once after a list serves items of the same size, not a whole amount before it.
    ("出口分别为3.2、2.8和1.5万亿元。", [("3.2", "money", 3_200_000_000_000, "CNY", "exact"),
                                 ("2.8", "money", 2_800_000_000_000, "CNY", "exact"),
                                 ("1.5万亿元", "money", 1_500_000_000_000, "CNY", "exact")]),
    ("上限分别为3,000及2万元。", [("3,000", "money", 3000, "CNY", "exact"),
                              ("2万元", "money", 20_000, "CNY", "exact")]),
    # Cents, tokens, slash fractions.
    ("每股派息12.5港仙。", [("12.5港仙", "money", 0.125, "HKD", "exact")]),
    ("每份約 0.5 枚比特幣。", [("約 0.5 枚比特幣", "money", 0.5, "BTC", "approx")]),
    ("費率為1/500。", [("1/500", "percent", 0.2, None, "exact")]),
    # The benchmark of a comparison is exact; a threshold verb is more_than (涨穿 also an increase).
    ("比率為18%，高於10.5%的監管要求。", [("18%", "percent", 18, None, "exact"),
                                   ("高於10.5%", "percent", 10.5, None, "exact")]),
    ("收益率涨穿2%关口。", [("涨穿2%", "percent", 2, None, "more_than")]),
])
def test_counts_lists_and_units(text, expected):
    assert [(f.surface, f.kind, f.value, f.currency, f.qualifier) for f in extract_figures(text)] == expected


@pytest.mark.parametrize("text, expected", [
    # A direction stated once covers every number it governs.
    ("三類收入分別增長12%、7.5%及3%。", [(3, None), (12, "increase"), (7.5, "increase"), (3, "increase")]),
    ("存款減少2.1億元或4%。", [(210_000_000, "decrease"), (4, "decrease")]),
    # The level reached after a change-by clause, and the level a yield closes at, take its direction.
    ("用戶增加8%至320萬。", [(8, "increase"), (3_200_000, "increase")]),
    ("收益率跌3.5个基点，报1.25%。", [(0.035, "decrease"), (1.25, "decrease")]),
    ("貸款減少5%至2024年底的900億港元。", [(5, "decrease"), ("2024-12-31", None), (90_000_000_000, "decrease")]),
    # A signed figure in brackets takes the direction of its change word; a written minus is a negative value.
    ("利息收入增加（+18%），費用收入則持平（–0.2%）。", [(18, "increase"), (-0.2, None)]),
    ("存款（+3.1%）及貸款（+1.2%）的增幅不大。", [(3.1, "increase"), (1.2, "increase")]),
    ("收益率跌2个基点，报-0.15%。", [(0.02, "decrease"), (-0.15, "decrease")]),
    ("收益率盘中跌至日低-0.2%。", [(-0.2, "decrease")]),  # a level word between 至 and the level
    # Points after a verb and the rate it moves; a difference from a base (较去年高2个百分点).
    ("央行下调存款准备金率0.5个百分点。", [(0.5, "decrease")]),
    ("占比为40%，较去年高2个百分点，比上月少3家。", [(40, None), (2, "increase"), (3, "decrease")]),
    # A change verb before the counted noun (新增客户3万户), and a cue before the whole a share is of.
    ("本月新增客户3万户。", [(30_000, "increase")]),
    ("其占比超過全行業的40%。", [(40, None)]),
    # A dash after a unit joins a range; after a word that introduces a value it is a minus.
    ("营收29亿元-31亿元，亏损为-5亿元。", [(3_100_000_000, None), (-500_000_000, None)]),
    # Verbs and nouns of change.
    ("盈利年成長6.5%，保費收入衰退4.2%，跌幅為3%。", [(6.5, "increase"), (4.2, "decrease"), (3, "decrease")]),
    ("基金增持某銀行H股1500萬股。", [(15_000_000, "increase")]),
    ("淨息差由2022年的1.2%擴闊至2023年的1.5%。", [("2022", None), ("2023", None), (1.5, "increase")]),
])
def test_directions_in_context(text, expected):
    assert [(f.value, f.change) for f in extract_figures(text, published="2025-03-01")] == expected


def test_a_cue_before_the_whole_still_qualifies_the_share():
    [share] = extract_figures("其占比超過全行業的40%。")
    assert (share.surface, share.qualifier) == ("40%", "more_than")


@pytest.mark.parametrize("text, published, values", [
    # A month later in the year than the published month is last year's (an annual report out in April).
    ("系統於9月推出，並在11月擴展。", "2022-04-30", ["2021-09", "2021-11"]),
    ("預計9月推出新服務。", "2022-04-30", ["2022-09"]),  # the sentence looks ahead
    ("「人才培育」計劃於9月試行。", "2022-04-30", ["2021-09"]),  # a named plan is a noun: no look ahead
    ("平台已於3月上線。", "2022-04-30", ["2022-03"]),
    ("計劃在12月27日完成。", "2024-04-30", ["2024-12-27"]),
    ("該行在第三季度錄得盈利。", "2024-04-30", ["2023-Q3"]),
    # 当年/同年 is the year last written; a weekday fixes the year; no published date: the latest year written.
    ("公司2016年上市，同年3月完成增资。", "2023-05", ["2016", "2016-03"]),
    ("周五（3月6日）指数收跌，低于2018年5月2日的低点。", None, ["2020-03-06", "2018-05-02"]),
    ("2018年营收增长。4月10日公司公告。", None, ["2018", "2018-04-10"]),
    # A year written just before in the sentence holds for the year-less dates after it.
    ("2020年1-9月盈利增长。", "2021-06-15", ["2020", "2020-09"]),
    ("2022年，央行分别于7月与12月降准。", "2021-06-15", ["2022", "2022-07", "2022-12"]),
    ("周一（1月31日）收盘。", "2021-06-15", ["2022-01-31"]),  # the nearest year where it is a Monday
])
def test_the_year_of_a_year_less_date(text, published, values):
    assert [f.value for f in extract_figures(text, published=published) if f.kind == "date"] == values


def test_year_less_dates_without_a_published_date():
    assert [f.value for f in extract_figures("於8月推出。今年上半年完成。")] == ["--08"]  # no year written anywhere


@pytest.mark.parametrize("text", [
    "电话：2878 8196。", "股票代码00700。", "騰訊（0700.HK）股價。", "推出5G服務。",
    "推出H5頁面。", "第二期已開始。", "首個超級應用。", "一個新時代。", "其中之一。", "千家萬戶都在用。", "環顧四周。",
    "文章編號20251118。", "一成不變。", "長3厘米。", "股票代碼：00700.HK。", "T+1日交收。",
    "利润实现两位数增长。", "盈利錄得三位數增長。", "二手车经纪。", "汽車零部件。", "两度参与奥运会。",
])
def test_not_figures_both_scripts(text):
    assert [f.surface for f in extract_figures(text, published="2025-11") if f.kind != "date"] == []


@given(st.text(alphabet=st.characters(codec=None), max_size=200))
@settings(max_examples=100, deadline=None)
def test_never_raises_on_any_text(text):
    for figure in extract_figures(text, published="2025-11"):
        assert text[figure.start:figure.end] == figure.surface


@given(st.lists(st.sampled_from(["1", "，", ",", "一", "万", "亿", "兆", "成", "至", "-", "%", "家", "分之", "百", "多",
                                 "HK$", "港幣", "年", "月", "日", "底", "前", "从", "增长", "至", "倍", "个", "\x00",
                                 "\ud800", "。", "\n", "超过", "约", "１", "．", "负"]), max_size=60))
@example(parts=["1"] * 11 + ["日"])  # found by hypothesis: a day of 11,111,111,111 overflowed date()
@settings(max_examples=150, deadline=None)
def test_never_raises_on_number_like_noise(parts):
    text = "".join(parts)
    for figure in extract_figures(text, published="2025-11"):
        assert text[figure.start:figure.end] == figure.surface


@given(st.lists(st.sampled_from(["2021年度", "2021年", "2021", "2023年度", "2023年", "至", "到", "-", "財年", "3月",
                                 "12日", "底前", "第三季度", "上半年", "截至", "家", "%", "，"]), max_size=30))
@settings(max_examples=300, deadline=None)
def test_figures_never_overlap(parts):
    text = "".join(parts)
    spans = [(f.start, f.end) for f in extract_figures(text, published="2025-11")]
    assert spans == sorted(spans)
    assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:], strict=False)), (text, spans)


@pytest.mark.parametrize("text", ["一" * 10**6, "1," * 500_000, "9" * 400 + "家", "一" * 5000 + "家"])
def test_megabyte_adversarial_strings_finish(text):
    # No timing assertion (bench/growth.py measures it): a catastrophic backtrack would never return.
    for figure in extract_figures(text):
        assert text[figure.start:figure.end] == figure.surface


@pytest.mark.parametrize("text, surface, value, value_from, change, as_of", [
    # Each level with its own date (由2023年的X增至2024年的Y): the dates stay figures, Y keeps its span and
    # takes X and the change; 至 after the verb is the verb's, so the date before Y is Y's as-of date.
    ("客戶人數由2023年的200萬增至2024年的250萬。", "250萬", 2_500_000, 2_000_000, "increase", "2024"),
    ("不良率由去年底的5%降至今年6月的4%。", "4%", 4, 5, "decrease", "2025-06"),
    ("營收增至2024年的10億元。", "10億元", 1_000_000_000, None, "increase", "2024"),
])
def test_changes_between_dated_levels(text, surface, value, value_from, change, as_of):
    f = next(f for f in extract_figures(text, published="2025-11-18") if f.surface == surface)
    assert (f.value, f.value_from, f.change, f.as_of) == (value, value_from, change, as_of)


_DATE_PIECES = [
    "在", "于", "截至", "至", "到", "由", "预计到", "直至", "上", "下", "本", "当", "前", "后", "第",
    "今年", "去年", "前年", "本年", "上月", "上个月", "下個月", "当月", "上半年", "下半年", "三季度", "第二季",
    "2025", "年", "12", "月", "15", "日", "底", "初", "二〇二五", "十一", "一些", "1,234",
    "市", "是", "，", " ", "-", "/",
]


@given(st.lists(st.sampled_from(_DATE_PIECES), max_size=14).map("".join))
@example("截至今年6月底")  # a cue before a relative year
@example("上个月15日在上市")  # a relative month; 在上 and 上市 start no date
def test_the_date_scan_skips_only_positions_where_no_date_starts(text):
    from fintech_metrics.parsers import dates, scanning

    gated = [m.span() for m in scanning.finditer(dates._DATE_GATE, dates.DATE_ZH, text)]
    assert gated == [m.span() for m in dates.DATE_ZH.finditer(text)]
