"""annual-report: YAML data → a GB/T 9704-2012 annual work summary (.docx)."""

__version__ = "0.1.0"
