"""Fix producers for nginx rules."""
