package dev.herald.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A leaf command: the client and output built from the root's inherited --url, --api-key and --json. */
abstract class ApiCommand implements Runnable {

    @Spec
    CommandSpec spec;

    private HeraldCli options() {
        return (HeraldCli) spec.root().userObject();
    }

    ApiClient api() {
        return ApiClient.from(options());
    }

    Output output() {
        return new Output(spec.commandLine().getOut(), options().json);
    }
}
