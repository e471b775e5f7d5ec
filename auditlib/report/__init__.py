"""Reports of a checked document: JSON, text, CSV, HTML, the evidence crops, exports."""
