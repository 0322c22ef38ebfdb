"""Fix producers for clustering rules."""
