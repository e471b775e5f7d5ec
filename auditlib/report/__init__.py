"""Renderings of a check result and of the model (JSON, text, CSV, HTML, the evidence
crops, exports): what people and other tools read."""
