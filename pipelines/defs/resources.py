"""Resources: where the pipeline reads and writes.

Fields left unset fall back to `pipelines.settings` *at call time* (ARTICLES_DIR, WAREHOUSE_PATH,
PARTS_DIR), so `make run`, `make ui` and tests point the same definitions at other folders through
the environment, and a test can also pass explicit paths.
"""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource

from pipelines import settings

#: Gazetteer copies live beside the article folders; no partition key can start with "_".
GAZETTEER_SUBDIR = "_gazetteer"


class PipelinePaths(ConfigurableResource):
    """Input folder, Parquet parts, gazetteer copies and the published warehouse file."""

    articles_dir: str | None = None
    warehouse_path: str | None = None
    parts_dir: str | None = None

    def articles(self) -> Path:
        return Path(self.articles_dir).resolve() if self.articles_dir else settings.articles_dir()

    def warehouse(self) -> Path:
        return (
            Path(self.warehouse_path).resolve()
            if self.warehouse_path
            else settings.warehouse_path()
        )

    def parts(self) -> Path:
        if self.parts_dir:
            return Path(self.parts_dir).resolve()
        if self.warehouse_path:
            return self.warehouse().parent / "parts"
        return settings.parts_dir()

    def gazetteer(self) -> Path:
        return self.parts() / GAZETTEER_SUBDIR


def default_resources() -> dict[str, object]:
    return {"paths": PipelinePaths()}
