"""The core: schema, drafts, checks, storage and export. Imports no UI (textual, questionary)."""
