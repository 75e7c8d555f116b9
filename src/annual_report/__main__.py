from annual_report.cli import main

main()
