"""Limits that keep hostile or broken files from taking the process down, in one place.

A clerk can raise `max_file_mb` (CLI `--max-file-mb`); the others protect the reader itself.
"""
import os
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_file_mb: float = 20            # one return, or one member of a zip, before it is read
    max_zip_mb: float = 200            # a zip of returns, before it is opened
    max_zip_members: int = 5000
    max_unpacked_mb: float = 200       # all parts of one workbook once inflated (zip bombs)
    max_batch_mb: float = 200          # one upload batch (a session holds at most one): every file together
    max_sheet_rows: int = 20_000       # a sheet's extent, checked before the reader allocates it
    max_sheet_columns: int = 200
    reader_memory_mb: float = 1024     # what the reading process may allocate beyond its size once started
    reader_seconds: float = 60         # one file's reading there (analytics/reader.py)
    header_search_rows: int = 15       # RETURN_FORMAT.md accepted 1
    max_issues_per_file: int = 200     # the rest are counted, not listed

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * MB)

    @property
    def max_unpacked_bytes(self) -> int:
        return int(self.max_unpacked_mb * MB)


DEFAULT_LIMITS = Limits()

SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"
SAMPLE_ROSTER = SAMPLE_DATA / "roster.xlsx"
SAMPLE_RETURNS = SAMPLE_DATA / "returns"
SAMPLE_BAD_RETURNS = SAMPLE_DATA / "bad"

# The one place the database is chosen: WENMING_DB_URL (e.g. postgresql+psycopg://user@host/wenming),
# else an SQLite file in data/, which git ignores.
DATA_DIR = Path(__file__).resolve().parents[1] / "data"
DATABASE_URL_VARIABLE = "WENMING_DB_URL"


def database_url() -> str:
    if url := os.environ.get(DATABASE_URL_VARIABLE):
        return url
    DATA_DIR.mkdir(exist_ok=True)
    return f"sqlite:///{DATA_DIR / 'dashboard.sqlite'}"
