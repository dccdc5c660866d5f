from frisat.cli import app

app(prog_name="frisat")
