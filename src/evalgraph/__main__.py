from evalgraph.cli import main

main()
