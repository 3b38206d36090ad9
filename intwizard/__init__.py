"""intwizard."""
