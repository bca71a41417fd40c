"""The bundled sample year: imported on first start with an empty database, flagged as sample so the dashboard
can say so and offer to clear it."""
import datetime as dt

from analytics.config import SAMPLE_DATA, SAMPLE_RETURNS, SAMPLE_ROSTER
from analytics.intake.loader import load_uploaded
from analytics.intake.roster import load_roster
from analytics.labels import SAMPLE_LATE, SAMPLE_WHO
from analytics.periods import next_month
from analytics.store import Store


def bootstrap(store: Store) -> None:
    """On the first start of `store`, import the sample year."""
    if not store.flag("bootstrapped"):
        load_sample(store)


def load_sample(store: Store) -> dict:
    """Import the bundled year of returns, dated as if each arrived on the 3rd of the next month."""
    uploads = [(path.relative_to(SAMPLE_DATA).as_posix(), path.read_bytes())
               for path in sorted(SAMPLE_RETURNS.rglob("*")) if path.is_file()]
    result = load_uploaded(uploads, load_roster(SAMPLE_ROSTER))

    def arrived(section: str, month: str) -> dt.datetime:
        day = 9 if (section, month) in SAMPLE_LATE else 3
        return dt.datetime.fromisoformat(f"{next_month(month)}-{day:02d}T10:00:00")

    counts = store.import_batch(result, uploads, who=SAMPLE_WHO, at_by_month=arrived, sample=True)
    store.set_flag("sample", True)
    store.set_flag("bootstrapped", True)
    return counts
