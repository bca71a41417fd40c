"""文明创建考评看板: loading, checking and scoring the sections' monthly returns. No Streamlit here.

The loader's names are imported when first asked for (PEP 562), not with the package: the reader's worker process
imports analytics.intake.reader, and with it this package, at every start, and needs neither pandas nor the loader."""
import importlib

_FROM = {"LoadResult": "analytics.intake.loader", "load_members": "analytics.intake.loader",
         "load_returns": "analytics.intake.loader", "load_uploaded": "analytics.intake.loader",
         "Roster": "analytics.intake.roster", "RosterError": "analytics.intake.roster",
         "load_roster": "analytics.intake.roster"}
__all__ = sorted(_FROM)


def __getattr__(name: str):
    if name not in _FROM:
        raise AttributeError(f"module 'analytics' has no attribute {name!r}")
    return getattr(importlib.import_module(_FROM[name]), name)
