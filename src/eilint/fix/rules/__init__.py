"""Fix producers, one module per rule family (registered in ``fix.registry``)."""
