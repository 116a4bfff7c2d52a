"""Map export: fact-sheet images of a view (PNG, SVG, PDF), one at a time or as an atlas."""
