package ai.payable.cli.datanet;

import picocli.CommandLine.Command;

/** {@code payable datanet}: DataNet declarations and signing submissions. */
@Command(
    name = "datanet",
    mixinStandardHelpOptions = true,
    description = "Register and list DataNets; sign submission files.",
    subcommands = {RegisterCommand.class, ListCommand.class, SignCommand.class})
public final class DatanetCommand {}
