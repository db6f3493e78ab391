package dev.herald.cli;

import picocli.CommandLine.Command;

/**
 * Listed for --help only: Herald.main runs the server itself for 'serve' (and for no arguments)
 * before picocli sees the arguments, so this never runs from the jar.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the Herald server (the same as no arguments); -Dherald.* settings configure it.")
final class ServeCommand implements Runnable {

    @Override
    public void run() {
        throw new CliException("serve: run it as 'java -jar herald.jar serve'");
    }
}
