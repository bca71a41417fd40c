"""文明创建考评看板: loading, checking and scoring the sections' monthly returns. No Streamlit here."""
from analytics.intake.loader import LoadResult, load_members, load_returns, load_uploaded
from analytics.intake.roster import Roster, RosterError, load_roster

__all__ = ["LoadResult", "Roster", "RosterError", "load_members", "load_returns", "load_roster", "load_uploaded"]
