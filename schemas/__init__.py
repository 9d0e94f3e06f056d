"""One module per table: its Pandera model, its key, and (derived from the model) its DuckDB DDL."""

from .articles import ArticleModel
from .figures import FigureModel
from .quarantine import QuarantineModel
from .runs import RunModel
from .tables import TABLES, Table, ddl

__all__ = ["TABLES", "ArticleModel", "FigureModel", "QuarantineModel", "RunModel", "Table", "ddl"]
