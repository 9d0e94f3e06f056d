"""One module per table: its Pandera model, its key, and (derived from the model) its DuckDB DDL."""

from .articles import ArticleModel
from .figures import FigureModel
from .metrics import MetricModel
from .quarantine import QuarantineModel
from .runs import RunModel
from .tables import TABLES, Table, ddl
from .views import VIEWS, View, view_ddl

__all__ = [
    "TABLES", "VIEWS", "ArticleModel", "FigureModel", "MetricModel", "QuarantineModel", "RunModel", "Table", "View",
    "ddl", "view_ddl",
]
