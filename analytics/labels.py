"""What the dashboard, the exports and the CLI call things: column headings, state names, titles and sentences.

Words clerks type (aliases, marks, areas, categories) are in intake/vocab.py; what a file's validation report says
is in intake/messages.py. A label is looked up here, never retyped where it is shown.
"""

MONTH_LABEL = "{year}年{month}月"

# Columns and states, as pages and exports head them (engineer C) ---


# Figures, the year in force and the CLI: summary, scoring, veto, workspace, cli (engineer C) ---


# Exports and charts (engineer B) ---
