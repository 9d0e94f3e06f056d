"""`fintech-metrics evaluate`: the scoring rules on hand-made gold and predictions, and the command on a folder of
made-up annotated articles (tests/fixtures/evaluate)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from fintech_metrics.cli import app
from fintech_metrics.evaluation import score_figures, score_metrics

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "evaluate"
runner = CliRunner()

TEXT = "The bank's profit rose 10% to HK$2 billion in 2024, and it has 3 branches. It ranks No. 1."


def _gold(surface: str, kind: str, value, **fields) -> dict:
    start = TEXT.index(surface)
    return {"surface": surface, "start": start, "end": start + len(surface), "kind": kind, "value": value,
            "currency": None, "qualifier": "exact", "change": None, "value_from": None, **fields}


def _pred(surface: str, kind: str, value, **fields) -> dict:
    start = TEXT.index(surface)
    return {"surface": surface, "start": start, "end": start + len(surface), "kind": kind, "value": value,
            "unit": None, "currency": None, "qualifier": "exact", "change": None, "value_from": None, **fields}


GOLD = {
    "figures": [
        _gold("10%", "percent", 10, change="increase"),
        _gold("HK$2 billion", "money", 2e9, currency="HKD", change="increase"),
        _gold("2024", "date", "2024"),
        _gold("3 branches", "count", 3),
    ],
    "negatives": [{"surface": "No. 1", "start": TEXT.index("No. 1"), "end": TEXT.index("No. 1") + 5,
                   "why": "a rank"}],
}


def test_figures_are_matched_by_overlap_and_counted_as_right_wrong_extra_missed():
    preds = [
        _pred("rose 10%", "percent", 10, change="increase"),  # right: spans need only overlap
        _pred("HK$2 billion", "money", 2e9, currency="CNY"),  # wrong on currency and change
        _pred("2024", "date", "2024"),  # right
        # extra, and it reports the negative
        {**_pred("No. 1", "count", 1), "surface": "1", "start": TEXT.index("No. 1") + 4},
    ]
    score = score_figures(GOLD, TEXT, preds)
    t = score.tally
    assert (t.gold, t.pred, t.correct, t.wrong, t.extra, t.missed, t.negatives) == (4, 4, 2, 1, 1, 1, 1)
    assert (t.precision, t.recall, round(t.f1, 6)) == (0.5, 0.5, 0.5)
    assert dict(score.by_field) == {"currency": 1, "change": 1}
    assert [(e.what, e.surface, e.fields) for e in score.errors] == [
        ("wrong", "HK$2 billion", ("currency", "change")),
        ("missed", "3 branches", ()),
        ("negative", "No. 1", ()),
        ("extra", "1", ()),
    ]
    assert {k: (v.gold, v.pred, v.correct) for k, v in score.by_kind.items()} == {
        "percent": (1, 1, 1), "money": (1, 1, 0), "date": (1, 1, 1), "count": (1, 1, 0)}


def test_a_prediction_prefers_the_gold_figure_it_gets_right_and_defaults_count_as_written():
    gold = {"figures": [_gold("HK$2 billion", "money", 2e9, currency="HKD", change="increase"),
                        _gold("2024", "date", "2024")], "negatives": []}
    # one long prediction overlapping both gold figures: it takes the one it gets right (the date), not the longer
    # overlap; a missing qualifier is "exact", a missing currency null
    wide = {"start": TEXT.index("HK$2"), "end": TEXT.index("2024") + 4, "kind": "date", "value": "2024"}
    score = score_figures(gold, TEXT, [wide])
    assert (score.tally.correct, score.tally.missed) == (1, 1)


def test_a_duration_is_wrong_when_its_time_unit_differs():
    text = "It took 10 weeks."
    gold = [{"surface": "10 weeks", "start": 8, "end": 16, "kind": "duration", "value": 10, "time_unit": "week"}]
    assert score_figures(gold, text, [{"start": 8, "end": 16, "kind": "duration", "value": 10,
                                       "unit": "weeks"}]).tally.correct == 1
    assert score_figures(gold, text, [{"start": 8, "end": 16, "kind": "duration", "value": 10,
                                       "unit": "years"}]).by_field == {"unit": 1}


def _row(surface: str, metric: str, entity: str | None, value: float, **fields) -> dict:
    start = TEXT.index(surface)
    return {"start": start, "end": start + len(surface), "surface": surface, "metric": metric, "entity": entity,
            "value": value, "unit": None, "currency": None, "qualifier": "exact", "change": None,
            "value_from": None, "as_of": "2024", "as_of_source": "sentence", "period": None, "forecast": False,
            **fields}


def test_metric_rows_are_right_on_metric_entity_and_value_then_each_field_is_compared():
    gold = [
        _row("10%", "net_profit_change", "example_bank", 10, unit="yoy", currency="HKD", change="increase"),
        _row("HK$2 billion", "net_profit", "example_bank", 2e9, currency="HKD", change="increase"),
        _row("3 branches", "branches", "example_bank", 3),
    ]
    preds = [
        _row("rose 10%", "net_profit_change", "example_bank", 10, unit=None, currency="HKD", change="increase",
             as_of="2025-03", as_of_source="published"),  # right; unit, as_of and as_of_source wrong
        _row("HK$2 billion", "net_profit", None, 2e9, currency="HKD", change="increase"),  # wrong entity
        _row("2024", "revenue", "example_bank", 2024),  # extra: no gold row there
    ]
    score = score_metrics(gold, preds)
    t = score.tally
    assert (t.gold, t.pred, t.correct, t.wrong, t.extra, t.missed) == (3, 3, 1, 1, 1, 1)
    assert (round(t.precision, 4), round(t.recall, 4), round(t.f1, 4)) == (0.3333, 0.3333, 0.3333)
    assert dict(score.key_errors) == {"entity": 1}
    assert score.fields_total == 1
    assert {f: score.fields_right[f] for f in ("unit", "currency", "as_of", "as_of_source", "forecast")} == {
        "unit": 0, "currency": 1, "as_of": 0, "as_of_source": 0, "forecast": 1}
    assert [(e.what, e.surface, e.fields) for e in score.errors] == [
        ("field", "10%", ("unit", "as_of", "as_of_source")),
        ("wrong", "HK$2 billion", ("entity",)),
        ("extra", "2024", ()),
        ("missed", "3 branches", ()),
    ]


def test_evaluate_prints_scores_by_language_and_kind_and_the_metric_rows():
    result = runner.invoke(app, ["evaluate", str(FIXTURES), "--by-field"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "en           1     5     5       4     1     0      0    0  0.800  0.800  0.800" in lines
    assert "zh-Hans      1     5     5       5     0     0      0    0  1.000  1.000  1.000" in lines
    assert "all          2    10    10       9     1     0      0    0  0.900  0.900  0.900" in lines
    assert "count              5     5       4     1     0      0    0  0.800  0.800  0.800" in lines
    assert ("wrong fields (wrong predictions: 1): value=0 kind=0 currency=0 qualifier=0 change=1 value_from=0 "
            "unit=0") in lines
    assert "  en       value=0 kind=0 currency=0 qualifier=0 change=1 value_from=0 unit=0" in lines
    assert lines[-1].startswith("figures: 2 files, 10 figures: P=0.900 R=0.900 F1=0.900")
    metric_rows = lines[lines.index("metric rows (right when metric, entity and value agree)") + 2:][:2]
    assert [line.split()[0] for line in metric_rows] == ["zh-Hans", "all"]


def test_evaluate_errors_are_printed_beside_their_sentence():
    result = runner.invoke(app, ["evaluate", str(FIXTURES), "--errors"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    i = lines.index("b_en:93 figure WRONG change '2 branches'")
    assert lines[i + 1:i + 5] == [
        "    gold: kind=count value=2 change=increase",
        "    ours: kind=count value=2",
        "    note: deliberately not what the text says: the fixture needs one wrong field to show how evaluate "
        "reports it",
        "    sentence: It opened 2 branches and hired about 40 staff.",
    ]


def test_evaluate_json():
    result = runner.invoke(app, ["evaluate", str(FIXTURES), "--format", "json", "--errors"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["figures"]["all"]["f1"] == 0.9
    assert data["figures"]["by_language"]["en"]["wrong"] == 1
    assert data["figures"]["wrong_fields"]["change"] == 1
    assert set(data["metrics"]) == {"zh-Hans", "all"}
    wrong = [e for e in data["errors"] if e["scope"] == "figure"]
    assert [(e["article"], e["what"], e["fields"]) for e in wrong] == [("b_en", "wrong", ["change"])]


def test_evaluate_refuses_a_folder_without_gold(tmp_path: Path):
    result = runner.invoke(app, ["evaluate", str(tmp_path)])
    assert result.exit_code == 2
    assert "no *.gold.json" in result.stderr
