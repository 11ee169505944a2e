"""Bundled import mappings (JSON), loaded by `newsgold.formats.mapping.load_mapping`."""
