from intwizard.cli import main

main(prog_name="intwizard")
