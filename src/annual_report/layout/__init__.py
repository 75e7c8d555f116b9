"""The layout stage: the GB/T 9704 profile and the Word document built from outline blocks."""

from annual_report.layout.docx import build_document
from annual_report.layout.profile import Profile, ProfileError, load_profile

__all__ = ["Profile", "ProfileError", "build_document", "load_profile"]
