"""The parts of crawler/sample_portal/render.py (import from there): content, table grids, and one
module per output format."""
