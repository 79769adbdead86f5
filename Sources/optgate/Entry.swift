import OptGateCLI

@main
enum Entry {
    static func main() async {
        await OptGateCommand.main()
    }
}
