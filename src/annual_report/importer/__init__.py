"""`import`: an office's existing summary (Word, WPS, text) → a year of ``data/``.

``read`` turns the file into paragraphs with the formatting that carries structure, ``tree``
finds the outline in them (parts, headings, leads, tables, signature and date), ``write``
turns the outline into the year's YAML files.
"""
