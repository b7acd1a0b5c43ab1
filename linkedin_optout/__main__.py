from linkedin_optout.cli import main

main()
