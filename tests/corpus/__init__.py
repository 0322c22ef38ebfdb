"""The bad-input corpus (issue #8): one directory per case, see README.md."""
