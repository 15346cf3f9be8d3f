from evalgraph.cli.commands import main

main()
