"""The layout stage: the GB/T 9704 profile and the Word document built from outline blocks.

``build_document`` is imported on first use: ``validate`` loads the profile and must not pay
for python-docx (~30 ms) by importing this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from annual_report.layout.profile import Profile, ProfileError, load_profile

if TYPE_CHECKING:
    from annual_report.layout.docx import build_document

__all__ = ["Profile", "ProfileError", "build_document", "load_profile"]


def __getattr__(name: str) -> Any:
    if name == "build_document":
        from annual_report.layout.docx import build_document

        return build_document
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
