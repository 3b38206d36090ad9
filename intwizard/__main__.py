from intwizard.cli.entry import run

run()
