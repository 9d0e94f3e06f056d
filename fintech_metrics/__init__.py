"""fintech-metrics: figures and metrics from fintech news articles."""

__version__ = "0.1.0"
