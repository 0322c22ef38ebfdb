"""``eilint check --fix``: fixes as byte-span edits, produced per rule and applied
with the bytes outside every span left exactly as they were."""
