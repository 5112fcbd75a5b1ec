"""A local fake government portal for demos and crawl tests; render.py prints the reports it serves."""
