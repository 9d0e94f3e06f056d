"""English figure rules on short sentences written for the test, the English twin of the shipped article,
and robustness properties (never raises, no catastrophic backtracking)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fintech_metrics.ingest import detect_language
from fintech_metrics.parsers import en_dates, extract_figures, scanning
from fintech_metrics.parsers.en import find_figures_en


def en(text: str, published: str | None = "2025-11"):
    return extract_figures(text, published=published, language="en")


def one(text: str, published: str | None = "2025-11"):
    figures = en(text, published)
    assert len(figures) == 1, [f.surface for f in figures]
    return figures[0]


@pytest.mark.parametrize("text, surface, value, noun", [
    ("The city hosts 1,200 fintech companies.", "1,200 fintech companies", 1200, "fintech companies"),
    ("Delegates came from more than 100 economies.", "more than 100 economies", 100, "economies"),
    ("Only 20 banks joined.", "Only 20 banks", 20, "banks"),
    ("Twenty banks applied.", "Twenty banks", 20, "banks"),
    ("It formed 27 use cases.", "27 use cases", 27, "use cases"),
    ("Some 5 million people use it.", "Some 5 million people", 5_000_000, "people"),
])
def test_counts(text, surface, value, noun):
    f = one(text)
    assert (f.surface, f.kind, f.value, f.subject) == (surface, "count", value, noun)
    assert text[f.start:f.end] == f.surface


@pytest.mark.parametrize("text, values", [
    # Each number of a coordinated noun phrase is a count; "one" there is a numeral, not an article.
    ("The fund backed three and one start-ups, respectively.", [3, 1]),
    ("It admitted six lenders and one broker this year.", [6, 1]),
    ("It licenses 21 issuers (five of which are banks).", [21, 5]),
    ("The three regional Automated Clearing House (ACH) networks merged.", [3]),
    ("Brokers expect 40 and 55 million new accounts.", [40e6, 55e6]),  # the scale written once
    ("The shortfall will be between 30 and 35 billion.", [35e9]),  # a range of a scaled quantity
    ("The storm shut 120 of the region's 900 branches.", [120, 900]),
    ("The number of daily card payments in May was 452,000.", [452000]),
])
def test_coordinated_counts(text, values):
    assert [f.value for f in en(text) if f.kind == "count"] == pytest.approx(values)


@pytest.mark.parametrize("text, surface, kind, value", [
    ("Only one licence is granted per firm.", "Only one licence", "count", 1),  # a numeral, not the article
    ("Wallets hold three-quarters of deposits.", "three-quarters", "percent", 75),
    ("Two-fifths of firms agreed.", "Two-fifths", "percent", 40),
])
def test_numerals_in_words(text, surface, kind, value):
    f = one(text)
    assert (f.surface, f.kind) == (surface, kind)
    assert f.value == pytest.approx(value)


def test_a_conversion_in_brackets_has_the_change_of_its_amount():
    level, converted = en("Income rose to HK$3.1 billion (about US$400 million).")
    assert (level.change, converted.change, converted.currency, converted.qualifier) == (
        "increase", "increase", "USD", "approx")


@pytest.mark.parametrize("text, values, change", [
    ("Rates rose respectively by 120, 45 and 10 basis points.", [1.2, 0.45, 0.1], "increase"),
    ("Fees of 3, 5 and 7 cents applied.", [0.03, 0.05, 0.07], None),
])
def test_a_list_of_numbers_shares_the_unit_of_the_last(text, values, change):
    figures = en(text)
    assert [f.value for f in figures] == pytest.approx(values)
    assert {f.change for f in figures} == {change} and len({f.kind for f in figures}) == 1


def test_or_after_a_comma_restates_an_amount():
    kinds = [(f.surface, f.kind) for f in en("Holdings fell to 680,000 shares, or 9.1 pct, from 550,000, or 7.4 pct.")]
    assert ("550,000", "percent") not in kinds


def test_a_list_shares_the_unit_written_after_it():
    figures = en("Fees rose to 4 and 6 billion yuan.")
    assert [(f.surface, f.kind, f.value, f.currency, f.change) for f in figures] == [
        ("rose to 4", "money", 4e9, "CNY", "increase"), ("6 billion yuan", "money", 6e9, "CNY", "increase")]


@pytest.mark.parametrize("text, surface, value, unit, currency", [
    ("Revenue hit US$600bn.", "US$600bn", 600e9, "US$", "USD"),
    ("It invested HK$100 million.", "HK$100 million", 100e6, "HK$", "HKD"),
    ("A fund of $3.5 billion.", "$3.5 billion", 3.5e9, "$", "USD"),
    ("It paid USD 1.2m.", "USD 1.2m", 1.2e6, "USD", "USD"),
    ("It raised 100 million Hong Kong dollars.", "100 million Hong Kong dollars", 100e6, "Hong Kong dollars", "HKD"),
    ("A loan of RMB 5 billion.", "RMB 5 billion", 5e9, "RMB", "CNY"),
    ("A deal worth €2bn.", "€2bn", 2e9, "€", "EUR"),
    ("Profit was 3.3 mln dlrs.", "3.3 mln dlrs", 3.3e6, "dlrs", "USD"),
    ("It is issuing a 75 mln Canadian dlr eurobond.", "75 mln Canadian dlr", 75e6, "Canadian dlr", "CAD"),
    ("Exports were 8.68 billion rupees.", "8.68 billion rupees", 8.68e9, "rupees", "INR"),
    ("It will float 150 billion won in bonds.", "150 billion won", 150e9, "won", "KRW"),
    ("Profit was 55 cts a share.", "55 cts", 0.55, "cts", "USD"),  # a subunit: a hundredth of the dollar
    ("Loans of 300 mln Hongkong dlrs.", "300 mln Hongkong dlrs", 300e6, "Hongkong dlrs", "HKD"),
    ("Loans of 120 mln H.K. dlrs.", "120 mln H.K. dlrs", 120e6, "H.K. dlrs", "HKD"),
    # South Asian scales: lakh 1e5, crore 1e7, lakh crore 1e12; Rs and the rupee sign are INR.
    ("Card spends reached Rs 8,315 crore.", "Rs 8,315 crore", 8.315e10, "Rs", "INR"),
    ("The scheme disbursed ₹1.4 lakh crore.", "₹1.4 lakh crore", 1.4e12, "₹", "INR"),
    ("Each grant is Rs. 3 lakh.", "Rs. 3 lakh", 3e5, "Rs.", "INR"),
    ("The subsidy is Rs.450 crore.", "Rs.450 crore", 4.5e9, "Rs.", "INR"),
    ("Wallets moved Rs 9.12 trillion.", "Rs 9.12 trillion", 9.12e12, "Rs", "INR"),
    # A code glued to the digits, an upper-case scale glued after a currency.
    ("Settlement reached RMB42 million.", "RMB42 million", 42e6, "RMB", "CNY"),
    ("Start-ups raised US$318M.", "US$318M", 318e6, "US$", "USD"),
])
def test_money(text, surface, value, unit, currency):
    f = one(text)
    assert (f.surface, f.kind, f.unit, f.currency) == (surface, "money", unit, currency)
    assert f.value == pytest.approx(value)


@pytest.mark.parametrize("text, surface, kind, value, unit", [
    ("Adoption reached 28%.", "28%", "percent", 28, "%"),
    ("Adoption reached 28 per cent.", "28 per cent", "percent", 28, "per cent"),
    ("Adoption reached 28 percent.", "28 percent", "percent", 28, "percent"),
    ("The share was 4.6 pct.", "4.6 pct", "percent", 4.6, "pct"),
    ("The gap is 3 percentage points.", "3 percentage points", "points", 3, "percentage points"),
    ("The spread is 25 basis points.", "25 basis points", "points", 0.25, "basis points"),
    ("The spread is 50bps.", "50bps", "points", 0.5, "bps"),
    ("Volume is 3 times the average.", "3 times", "multiple", 3, "times"),
    ("Volume grew threefold.", "threefold", "multiple", 3, "fold"),
    ("Volume is 3x the average.", "3x", "multiple", 3, "x"),
    ("The plan runs five years.", "five years", "duration", 5, "years"),
    ("It took 18 months.", "18 months", "duration", 18, "months"),
    ("A three-year plan.", "three-year", "duration", 3, "years"),
    ("Deposits grew for 14 consecutive months.", "14 consecutive months", "duration", 14, "months"),
    ("Trades settle in 2 trading days.", "2 trading days", "duration", 2, "business_days"),
    ("The review lasted six weeks.", "six weeks", "duration", 6, "weeks"),
    ("Spending over the next three years.", "next three years", "duration", 3, "years"),
])
def test_units(text, surface, kind, value, unit):
    f = one(text)
    assert (f.surface, f.kind, f.unit) == (surface, kind, unit)
    assert f.value == pytest.approx(value)


@pytest.mark.parametrize("text, surface, qualifier", [
    ("Over 300 firms took part.", "Over 300 firms", "more_than"),
    ("More than 75% agreed.", "More than 75%", "more_than"),
    ("Nearly 200 speakers came.", "Nearly 200 speakers", "approx"),
    ("About 50 banks joined.", "About 50 banks", "approx"),
    ("Around 40% agreed.", "Around 40%", "approx"),
    ("Approximately 10 firms left.", "Approximately 10 firms", "approx"),
    ("At least 5 banks joined.", "At least 5 banks", "at_least"),
    ("Up to 20 banks may join.", "Up to 20 banks", "at_most"),
    ("Almost 30% agreed.", "Almost 30%", "approx"),
    ("Some 12 regulators met.", "Some 12 regulators", "approx"),
    ("Less than 5% objected.", "Less than 5%", "less_than"),
    ("Fewer than 10 firms left.", "Fewer than 10 firms", "less_than"),
    ("Under 3% defaulted.", "Under 3%", "less_than"),
    ("Accuracy was as high as 99.9%.", "as high as 99.9%", "exact"),
    ("It has 1,000+ members.", "1,000+ members", "more_than"),
    ("Revenue will exceed US$600bn.", "exceed US$600bn", "more_than"),
    ("Card value crossed US$2 trillion.", "crossed US$2 trillion", "more_than"),  # a threshold verb
    ("Deposits are capped at S$75,000.", "capped at S$75,000", "at_most"),
    ("Regulators set a S$20 million deposit cap.", "S$20 million", "at_most"),  # the limit word after
    ("Issuers need a minimum paid-up capital of HK$25 million.", "HK$25 million", "at_least"),
    ("A maximum holding of 5% applies.", "5%", "at_most"),
    ("The ratio stayed well above the 8% minimum.", "8%", "exact"),  # a benchmark is not bounded
    ("The ratio stayed well above the statutory minimum requirement of 8%.", "8%", "exact"),
])
def test_qualifiers(text, surface, qualifier):
    f = one(text)
    assert (f.surface, f.qualifier) == (surface, qualifier)


@pytest.mark.parametrize("text, surface, qualifier", [
    ("Refunds are made within three business days.", "within three business days", "at_most"),
    ("Claims close within 10 working days.", "within 10 working days", "at_most"),
])
def test_duration_bounds(text, surface, qualifier):
    f = one(text)
    assert (f.surface, f.qualifier) == (surface, qualifier)


def test_a_limit_with_alternatives_bounds_each():
    assert [f.qualifier for f in en("Firms need a minimum capital of HK$30 million or 3% of assets.")] == [
        "at_least", "at_least"]


@pytest.mark.parametrize("text, surface, qualifier", [
    ("Forms are due on or before 15 July 2026.", "15 July 2026", "at_most"),
    ("Banks report no later than 30 September 2026.", "30 September 2026", "at_most"),
])
def test_date_bounds(text, surface, qualifier):
    f = one(text)
    assert (f.surface, f.qualifier) == (surface, qualifier)


@pytest.mark.parametrize("text, surface, value, value_from", [
    ("Between 10 and 20 banks joined.", "Between 10 and 20 banks", 20, 10),
    ("Fees are 10-20%.", "10-20%", 20, 10),
    ("It hired 10 to 20 engineers.", "10 to 20 engineers", 20, 10),
    ("A fund of US$1-2 billion.", "US$1-2 billion", 2e9, 1e9),
    ("From 2024 to 2032 the market grows.", "2024 to 2032", "2032", "2024"),
])
def test_ranges(text, surface, value, value_from):
    f = one(text)
    assert (f.surface, f.value, f.value_from, f.change) == (surface, value, value_from, None)


@pytest.mark.parametrize("text, surface, value, value_from, change", [
    ("The rate rose from 40% to 99%.", "rose from 40% to 99%", 99, 40, "increase"),
    ("The buffer was reduced from 2.5% to 2.0%.", "reduced from 2.5% to 2.0%", 2, 2.5, "decrease"),
    ("Loans fell from HK$5 billion to HK$4 billion.", "fell from HK$5 billion to HK$4 billion", 4e9, 5e9, "decrease"),
    ("The ratio rose to 8.8%.", "rose to 8.8%", 8.8, None, "increase"),
    ("Sales rose 15%.", "rose 15%", 15, None, "increase"),
    ("Sales grew by 15%.", "grew by 15%", 15, None, "increase"),
    ("Shares were up 5%.", "up 5%", 5, None, "increase"),
    ("Shares were down 3%.", "down 3%", 3, None, "decrease"),
    ("Deposits declined 2.1% year on year.", "declined 2.1% year on year", 2.1, None, "decrease"),
    ("Turnover jumped 12% year-on-year.", "jumped 12% year-on-year", 12, None, "increase"),
    ("Rates were cut by 25 basis points.", "cut by 25 basis points", 0.25, None, "decrease"),
    ("It posted a 15% increase.", "15% increase", 15, None, "increase"),
    ("It saw an increase of 7%.", "increase of 7%", 7, None, "increase"),
])
def test_changes(text, surface, value, value_from, change):
    f = one(text)
    assert (f.surface, f.change) == (surface, change)
    assert (f.value, f.value_from) == pytest.approx((value, value_from))


# "To Y from X" is not a from-to: Y takes the direction (of its verb, else of the two values) and X, the base
# of the comparison, is a figure of its own with no change; X takes the unit, currency and scale it leaves out.
@pytest.mark.parametrize("text, level, base", [
    ("Net income fell to 5.2 mln dlrs from 6.1 mln dlrs.", ("fell to 5.2 mln dlrs", 5.2e6, "decrease"),
     ("6.1 mln dlrs", 6.1e6)),
    ("The bank cut its prime rate to 7.5 pct from 7.75 pct.", ("7.5 pct", 7.5, "decrease"), ("7.75 pct", 7.75)),
    ("Staff rose to 1,200 employees from 1,000.", ("rose to 1,200 employees", 1200, "increase"), ("1,000", 1000)),
    ("Revenue rose to 5.5 billion dlrs from 4.9.", ("rose to 5.5 billion dlrs", 5.5e9, "increase"), ("4.9", 4.9e9)),
    ("Debt will rise to 1.1 billion dlrs from about 319.2 mln.", ("rise to 1.1 billion dlrs", 1.1e9, "increase"),
     ("319.2 mln", 319.2e6)),
    ("The margin widened to 1.9% in 2024 from 1.4%.", ("widened to 1.9%", 1.9, "increase"), ("1.4%", 1.4)),
])
def test_to_level_from_base(text, level, base):
    figures = [f for f in en(text) if f.kind != "date"]
    assert len(figures) == 2, [f.surface for f in figures]
    y, x = figures
    assert (y.surface, y.change, y.value_from) == (level[0], level[2], None)
    assert (x.surface, x.change, x.value_from, x.kind) == (base[0], None, None, y.kind)
    assert (y.value, x.value) == pytest.approx((level[1], base[1]))


@pytest.mark.parametrize("text, changes", [
    # The level reached after a change-by clause takes its direction.
    ("Costs rose 12.1 pct to 9.61 billion dlrs.", ["increase", "increase"]),
    ("Deposits climbed 4.5 pct in the\nquarter to 80 billion dlrs.", ["increase", "increase"]),  # a wrapped line
    ("Card payments dipped 2.4 per cent month-on-month to 310 million.", ["decrease", "decrease"]),
    ("Loans climbed 8 percent from a year earlier to 6.2 trillion yuan.", ["increase", "increase"]),
    # One change over a list.
    ("Fees and loans decreased by 4.2% and 7.5% respectively.", ["decrease", "decrease"]),
    ("It marked a rise of 11 per cent in value and 9 per cent in volume.", ["increase", "increase"]),
    ("Profit fell HK$80 million, or 15%.", ["decrease", "decrease"]),
    ("It booked a gain of 40,000 dlrs, or three cts a share.", ["increase", None]),  # a restatement, not a list
    # A signed figure in brackets takes the direction of the change noun it stands for.
    ("Profit grew on an increase in fee income (+12%).", ["increase"]),
    ("Assets were flat as growths in bond holdings (+6.1%) offset the rest.", ["increase"]),
    ("Mortgages were little changed (-0.3%).", [None]),
    ("Volume posted a 140% quarter-over-quarter jump.", ["increase"]),
    ("Fees and loans saw 12% and 30% increases, respectively.", ["increase", "increase"]),
    ("The S$80 million falls under the grant scheme.", [None]),  # "falls" is a verb here
    ("It forecasts a CAGR of 6% and an annual growth rate of 9.5%.", [None, None]),  # rates named as levels
    ("It grew with the addition of seven insurers and one broker.", ["increase", "increase"]),
])
def test_directions_carried(text, changes):
    assert [f.change for f in en(text)] == changes


@pytest.mark.parametrize("text, change", [
    ("The insurer reported an expanded loss of HK$75 million.", "increase"),  # the loss grew
    ("The lender posted a narrower loss of HK$12 million.", "decrease"),
    ("It booked a 9% improvement in its operating loss.", "decrease"),  # the loss shrank
    ("It booked a 9% improvement in margins.", "increase"),
])
def test_losses(text, change):
    assert one(text).change == change


def test_a_multiple_verb_gives_the_direction_but_stays_out_of_the_span():
    f = one("Card sales are tripling to US$9 billion.")
    assert (f.surface, f.change) == ("US$9 billion", "increase")


@pytest.mark.parametrize("text, surfaces, values", [
    # Hard-wrapped newswire: a line break inside a figure or between its words reads as a space.
    ("Earnings rose 8.5\npct to 2.1 billion\ndlrs in the quarter.", ["rose 8.5\npct", "2.1 billion\ndlrs"],
     [8.5, 2.1e9]),
    ("Assets rose to 7.5 mln H.K.\ndlrs from 6.2 mln.", ["rose to 7.5 mln H.K.\ndlrs", "6.2 mln"], [7.5e6, 6.2e6]),
    ("Fees were more\nthan 20 per\ncent higher.", ["more\nthan 20 per\ncent higher"], [20]),
])
def test_hard_wrapped_lines(text, surfaces, values):
    figures = en(text)
    assert [f.surface for f in figures] == surfaces
    assert [f.value for f in figures] == pytest.approx(values)


@pytest.mark.parametrize("text, surfaces", [
    # The change in percent and the level it reached are two figures; the base is a third.
    ("Costs rose 12.1 pct to 9.61 billion dlrs from 8.57 billion in the quarter.",
     ["rose 12.1 pct", "9.61 billion dlrs", "8.57 billion"]),
    ("It sold stakes to 3 companies from 5 countries.", ["3 companies", "5 countries"]),  # two counts
    ("It raised its stake to 10 pct from 1990 levels.", ["10 pct", "1990"]),  # from a date
    # After a change verb, "to" after a whole amount starts the level reached; with the unit written once,
    # "X to Y" is still a range of the change.
    ("Sales increased by 5% to 20%.", ["increased by 5%", "20%"]),
    ("The stock fell 50 cents to 12 dlrs.", ["fell 50 cents", "12 dlrs"]),
    ("Deposits rose 481 mln dlrs to 124.99 billion dlrs.", ["rose 481 mln dlrs", "124.99 billion dlrs"]),
    ("Costs will rise 10 to 15 pct.", ["rise 10 to 15 pct"]),
    ("Prices were cut to 2,699 dlrs from 2,999 dlrs and to 3,999 dlrs from 4,499 dlrs.",
     ["cut to 2,699 dlrs", "2,999 dlrs", "3,999 dlrs", "4,499 dlrs"]),
])
def test_earlier_value_after_the_figure(text, surfaces):
    assert [f.surface for f in en(text)] == surfaces


@pytest.mark.parametrize("text, published, surface, value, qualifier", [
    ("The event opened on 3 November 2025.", None, "3 November 2025", "2025-11-03", "exact"),
    ("Reserves peaked at 1986 year end.", None, "1986 year end", "1986-12-31", "exact"),
    ("The event opened on November 3, 2025.", None, "November 3, 2025", "2025-11-03", "exact"),
    ("The event opened on 3 November.", "2025-11", "3 November", "2025-11-03", "exact"),
    ("The event opened on 3 November.", None, "3 November", "--11-03", "exact"),
    ("Launched in Nov 2025.", None, "Nov 2025", "2025-11", "exact"),
    ("Launched in 2025.", None, "2025", "2025", "exact"),
    ("Growth in Q3 2025 was strong.", None, "Q3 2025", "2025-Q3", "exact"),
    ("Growth in the third quarter of 2025 was strong.", None, "third quarter of 2025", "2025-Q3", "exact"),
    ("It launches in the first half of 2026.", None, "first half of 2026", "2026-H1", "exact"),
    ("Trials start in early 2025.", None, "early 2025", "2025", "approx"),
    ("Trials start in mid-2025.", None, "mid-2025", "2025", "approx"),
    ("Deposits at end-June 2025 were stable.", None, "end-June 2025", "2025-06-30", "exact"),
    ("Done by the end of 2025.", None, "end of 2025", "2025-12-31", "exact"),  # "by" is not a cue
    ("Results for FY2025 are out.", None, "FY2025", "2025", "exact"),
    ("The 2024/25 budget passed.", None, "2024/25", "2025", "exact"),
    ("As of end-October 2025, it had grown.", None, "end-October 2025", "2025-10-31", "exact"),
    ("Revenue doubles by 2032.", None, "2032", "2032", "exact"),
    ("Rules apply before 2025.", None, "2025", "2025", "less_than"),
    # A month named alone is a date: the published year, or the year before for a later month.
    ("Card spending dipped in February.", "2025-04-02", "February", "2025-02", "exact"),
    ("Card spending peaked in November.", "2025-04-02", "November", "2024-11", "exact"),
    ("The October rally faded.", "2025-11", "October", "2025-10", "exact"),
    ("Listings slowed by early October.", "2025-11", "early October", "2025-10", "approx"),
    ("Loans grew in the June quarter.", "2025-11", "June quarter", "2025-Q2", "exact"),
    ("The annual review closed on 9 December.", "2021-04-30", "9 December", "2020-12-09", "exact"),
    ("Fees rose in Q2.", "2025-11", "Q2", "2025-Q2", "exact"),
    ("The bank will open a branch in September.", "2025-04-02", "September", "2025-09", "exact"),  # ahead
    ("Fees rose in 3Q24.", None, "3Q24", "2024-Q3", "exact"),
    ("Margins fell in 2H24.", None, "2H24", "2024-H2", "exact"),
    ("Payments grew in the financial year 2023-24.", None, "financial year 2023-24", "2024", "exact"),
    # Ranges of months: the end, with the start; a start without a year takes the end's.
    ("Loans grew between February and April 2023.", None, "between February and April 2023", "2023-04",
     "exact"),
    ("Loans grew between 2026 and 2028.", None, "between 2026 and 2028", "2028", "exact"),
    ("Published 2025-11-18.", None, "2025-11-18", "2025-11-18", "exact"),
])
def test_dates(text, published, surface, value, qualifier):
    f = one(text, published)
    assert (f.surface, f.kind, f.value, f.qualifier) == (surface, "date", value, qualifier)


@pytest.mark.parametrize("text, published, value, value_from", [
    ("Loans grew between February and April 2023.", None, "2023-04", "2023-02"),
    ("Fees climbed between November and February 2024.", None, "2024-02", "2023-11"),
    ("Between May and July the bank hired staff.", "2025-11", "2025-07", "2025-05"),
    ("In 2019 sales fell. From March to June they recovered.", None, "2019-06", "2019-03"),
])
def test_date_ranges(text, published, value, value_from):
    f = [f for f in en(text, published) if f.value_from is not None][0]
    assert (f.value, f.value_from) == (value, value_from)


def test_a_date_before_any_stated_year_takes_the_next_one_without_a_published_date():
    assert [f.value for f in en("On 9 May it said the fund, set up in 2021, had grown.", None)] == [
        "2021-05-09", "2021"]


def test_months_listed_before_a_year_take_it():
    figures = en("Bills were issued in November and December 2023, and in May, June and July 2019.", "2025-04")
    assert [f.value for f in figures] == ["2023-11", "2023-12", "2019-05", "2019-06", "2019-07"]


@pytest.mark.parametrize("text", [
    "Sales grew last year.", "Sales will grow next year.", "Sales grew this year, as in the previous year.",
    "April Jones joined the bank.", "May we add one thing?", "The fund was detailed in its Q3 2024 Payments Outlook.",
])
def test_not_dates(text):
    assert en(text) == []


def test_as_of_and_target_cues():
    (as_of, count) = en("As at 30 June 2025, there were 20 banks in the scheme.")
    assert as_of.value == "2025-06-30" and count.as_of == "2025-06-30"
    money, year = en("Revenue is expected to exceed US$600 billion by 2032.")
    assert (money.period, money.forecast, year.qualifier) == ("2032", True, "exact")


@pytest.mark.parametrize("text", [
    "Web3 and 5G and G20 matter.", "COVID-19 hit hard.", "The Fintech 2025 strategy launched.",
    "Project mBridge 2.0 went live.", "The 2025 strategy is new.", "See Chapter 3 and Section 4.2.",
    "Annex 1 lists them.", "The second cohort started.", "The 2nd and 3rd rounds.", "Call 2878 8196 today.",
    "It is one of the largest.", "Only one of them objected.", "It met at 10:30 am.", "See Table 2 on page 5.",
    "The index stood at 168.5.", "Version 2.0.1 shipped.", "Tier 1 capital rose.", "He met them three times a year.",
    "Banks are regulated.[3]", "The ratio was strong.4 Others agreed.", "The lab graded it 3B and 5K.",
    "The 3-month SOFR rose.", "The 10-year Treasury yield fell.", "Loans track the 1-year LPR.", "Posted 208 views",
])
def test_not_figures(text):
    assert en(text) == []


SUBJECTS = [
    ("Hong Kong's fintech revenue will exceed US$600bn.", "exceed US$600bn", "fintech revenue", "Hong Kong"),
    ("More than 75% of Hong Kong banks have integrated AI.", "More than 75%", "Hong Kong banks", "Hong Kong"),
    ("The HKMA said deposits rose 3.5% last year.", "rose 3.5%", "deposits", "HKMA"),
    ("Total assets of HK$5 trillion were recorded.", "HK$5 trillion", "Total assets", None),
    ("ZA Bank has 800,000 customers.", "800,000 customers", "customers", "ZA Bank"),
]


@pytest.mark.parametrize("text, surface, subject, entity", SUBJECTS)
def test_subject_and_entity(text, surface, subject, entity):
    f = next(f for f in en(text) if f.surface == surface)
    assert (f.subject, f.entity) == (subject, entity)


ARTICLE = (
    "Hong Kong FinTech Week opened on 3 November. Hong Kong is home to more than 1,200 fintech companies, and "
    "industry revenue is expected to exceed US$600 billion by 2032, growing 28% a year.\n"
    "A recent survey found that more than 75% of Hong Kong banks have integrated AI into their business.\n"
    "The second cohort of the GenAI Sandbox has drawn 20 banks and 14 technology firms, forming 27 use cases.\n"
)


def test_english_article_states_the_chinese_facts():
    figures = {f.surface: f for f in extract_figures(ARTICLE, published="2025-11", language=detect_language(ARTICLE))}
    expected = {  # the same kind/value/qualifier/currency/entity_key as the Chinese gold
        "more than 1,200 fintech companies": ("count", 1200, "more_than", None, "hong_kong"),
        "exceed US$600 billion": ("money", 600_000_000_000, "more_than", "USD", "hong_kong"),
        "more than 75%": ("percent", 75, "more_than", None, "hong_kong"),
        "20 banks": ("count", 20, "exact", None, "hkma_genai_sandbox_cohort_2"),
        "14 technology firms": ("count", 14, "exact", None, "hkma_genai_sandbox_cohort_2"),
        "27 use cases": ("count", 27, "exact", None, "hkma_genai_sandbox_cohort_2"),
    }
    for surface, want in expected.items():
        f = figures[surface]
        assert (f.kind, f.value, f.qualifier, f.currency, f.entity_key) == want, surface
    growth = figures["growing 28%"]
    assert (growth.kind, growth.value, growth.entity_key, growth.forecast) == ("percent", 28, "hong_kong", True)
    assert figures["exceed US$600 billion"].period == "2032"
    assert figures["3 November"].value == "2025-11-03"
    assert figures["2032"].value == "2032"
    assert len(figures) == 9


def test_cli_language_detection_reads_english_with_english_rules():
    assert detect_language(ARTICLE) == "en"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=300))
def test_never_raises_on_arbitrary_text(text):
    for f in find_figures_en(text, None):
        assert text[f.start:f.end]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["US$", "HK$", "1,200", "9" * 40, "\x00", "\ud800", "%", " per cent", " from ",
                                 " to ", "-", " banks", " more than ", "2025", " by ", "Q3 ", " November ", ".",
                                 "+", " bn", "three", "-year", " between ", " and "]), max_size=60))
def test_never_raises_on_figure_like_fragments(parts):
    text = "".join(parts)
    figures = find_figures_en(text, "2025-11")
    ends = [(f.start, f.end) for f in figures]
    assert ends == sorted(ends) and all(b[0] >= a[1] for a, b in zip(ends, ends[1:], strict=False))
    for f in figures:
        assert f.value == f.value  # not NaN
        if isinstance(f.value, float):
            assert abs(f.value) < float("inf")


@pytest.mark.parametrize("text, surface, value", [
    ("Margins were little changed (-0.2%).", "-0.2%", -0.2),
    ("Margins were little changed (–0.2%).", "–0.2%", -0.2),  # an en dash used as a minus
])
def test_signed_figures(text, surface, value):
    f = one(text)
    assert (f.surface, f.value, f.change) == (surface, value, None)


@pytest.mark.parametrize("unit", ["1" * 1_000_000, "1,2" * 250_000, "US$ " * 250_000, "more than " * 100_000,
                                  "a " * 500_000, "2025 to " * 125_000, "1.1." * 250_000, "rose from 1 " * 80_000])
def test_one_megabyte_adversarial_input_finishes(unit):
    # No timing assertion (the benchmark measures speed): a catastrophic backtrack would never return.
    figures = find_figures_en(unit, "2025-11")
    assert all(unit[f.start:f.end] for f in figures)




def test_a_scaled_number_is_a_quantity_without_a_noun():
    (figure, _) = extract_figures("The number of registrations grew to 13.6 million at the end of 2023.",
                                  language="en")
    assert (figure.surface, figure.kind, figure.value, figure.change) == ("grew to 13.6 million", "count",
                                                                          13_600_000, "increase")


@pytest.mark.parametrize("text, surface, value, value_from, change, as_of", [
    # Each level with its own date: the date between is a figure, so the figure keeps its span and takes the
    # earlier value; the date just after a figure is the date it holds at.
    ("Accounts rose from 1.2 million in 2023 to 2.5 million in 2024.", "2.5 million", 2.5e6, 1.2e6, "increase",
     "2024"),
    ("Deposits fell from HK$5 billion at end-2023 to HK$4 billion at end-2024.", "HK$4 billion", 4e9, 5e9,
     "decrease", "2024-12-31"),
    ("Deposits stood at HK$57.6 billion at the end of 2024.", "HK$57.6 billion", 57.6e9, None, None, "2024-12-31"),
    # The base written last is a figure of its own, with the date after it.
    ("Earnings rose to 138.2 mln dlrs from 87.8 mln in 1985.", "rose to 138.2 mln dlrs", 138.2e6,
     None, "increase", "2025-11"),
    ("Earnings rose to 138.2 mln dlrs from 87.8 mln in 1985.", "87.8 mln", 87.8e6, None, None, "1985"),
])
def test_dates_the_figures_hold_at(text, surface, value, value_from, change, as_of):
    f = next(f for f in en(text) if f.surface == surface)
    assert (f.change, f.as_of) == (change, as_of)
    assert (f.value, f.value_from) == pytest.approx((value, value_from))


_WORD_PIECES = ["the mainland", "mainland", "HKMA", "e-HKD", "digital yuan", "virtual banks", "world", " ", "-",
                ".", "\ud800", "x", "3", "\n", "said", "香港金管局", "“", "Bank"]


@given(st.lists(st.sampled_from(_WORD_PIECES), max_size=12).map("".join))
def test_the_split_word_scan_finds_what_the_whole_trie_finds(text):
    from fintech_metrics.parsers import lexicon, scanning

    pattern = lexicon.entity_pattern()[0]
    assert [m.span() for m in scanning.word_matches(lexicon.entity_scan(), text)] == \
        [m.span() for m in pattern.finditer(text)]


_EN_LOOK_BACK_PIECES = ["more than ", "about", "rose", "increased by", "up", "sharply ", "to ", "growth of ", "for",
                        "No.", "within ", "over", "the", " ", "\n", "5", ",", ".", "(", "ROSE", "edged up"]


@given(st.lists(st.sampled_from(_EN_LOOK_BACK_PIECES), max_size=6).map("".join))
def test_the_english_look_backs_are_searched_wherever_they_can_match(window):
    from fintech_metrics.parsers import en

    p = en._patterns()
    for name, (last_words, spaced) in en._look_back_ends().items():
        if p[name].search(window) is not None:
            stripped = window.rstrip()
            assert stripped.split()[-1].lower().endswith(last_words) and not (spaced and stripped == window)


# The English date trigger as it was before a day had to stand before a month's capital: the gate finds the same dates.
_ANY_DAY_TRIGGER = re.compile(en_dates._TRIGGER.pattern.replace(
    en_dates._DIGIT_TRIGGER, r"(?:19|20)\d\d|\d\d?(?i:st|nd|rd|th)?\s|[1-4](?:Q|(?i:st|nd|rd|th))|[12]H", 1))
_DATE_PIECES_EN = ["6", "12", "31", "2024", "1st", "3rd", "4TH", " ", "  ", "\n", "of ", "Of ", "December", "Dec",
                   "DEC", "March", "May", "Q", "H", "1H", "2Q", "quarter", "half", "year", "the", ",", ".", "-", "x"]


@given(st.lists(st.sampled_from(_DATE_PIECES_EN), max_size=10).map("".join))
def test_english_date_gate_finds_the_dates_the_wider_trigger_found(text: str) -> None:
    wider = scanning.gate(en_dates._DATES_GATE.pattern[1:en_dates._DATES_GATE.pattern.index("]")], _ANY_DAY_TRIGGER,
                          en_dates.DATE_EN, before=r"(?<!\w.)")
    assert [m.span() for m in scanning.finditer(en_dates._DATES_GATE, en_dates.DATE_EN, text)] \
        == [m.span() for m in scanning.finditer(wider, en_dates.DATE_EN, text)]


@pytest.mark.parametrize(("text", "value"), [
    # newswire spells a day under ten after its month
    ("Revenues for the five weeks ended March One were up 27 pct.", "2031-03-01"),
    ("In the first quarter ended May Three, sales rose.", "2030-05-03"),
])
def test_a_spelled_day_after_its_month(text, value):
    dates = [f for f in extract_figures(text, published="2031-03-06", language="en") if f.kind == "date"]
    assert [str(d.value) for d in dates] == [value]
