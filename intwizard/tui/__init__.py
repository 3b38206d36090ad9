"""The Textual wizard (``intwizard new`` / ``intwizard resume``). Imported lazily by the CLI."""
