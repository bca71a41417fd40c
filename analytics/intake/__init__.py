"""Reading monthly returns: files → sheets → tables → checked rows → tidy records, or issues naming file, sheet, row and cell."""
