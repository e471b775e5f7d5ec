"""Renderings of a check result and of the model: what people and other tools read."""
