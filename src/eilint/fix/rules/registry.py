"""Fix producers for registry rules."""
