"""Placeholder: filled by the issue that owns this concept."""
__all__: list[str] = []
