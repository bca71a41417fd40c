"""Where the bundled data and the database are: the one place the database is chosen."""
import os
from pathlib import Path

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
