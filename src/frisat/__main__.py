from frisat.cli import main

main()
