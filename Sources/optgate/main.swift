import OptGateCLI

OptGateCommand.main()
