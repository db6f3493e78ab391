package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.function.BiConsumer;

/** A leaf command: the client and output built from the root's inherited --server, --api-key and --json. */
abstract class ApiCommand implements Runnable {

    @Spec
    CommandSpec spec;

    private HeraldCli options() {
        return (HeraldCli) spec.root().userObject();
    }

    ApiClient api() {
        HeraldCli options = options();
        if (options.server != null && options.url != null && !options.server.equals(options.url)) {
            // A usage error (exit 2): which of the two was meant cannot be guessed.
            throw new ParameterException(spec.commandLine(), "Herald's address given twice: --server " + options.server
                    + " and --url " + options.url + " (--url is the old name of --server; give one)");
        }
        return ApiClient.from(options);
    }

    Output output() {
        return new Output(spec.commandLine().getOut(), options().json);
    }

    /** One request, its answer printed: the API's JSON as is with --json, else what {@code human} makes of it. */
    void call(String method, String path, Object body, String subject, BiConsumer<Output, JsonNode> human) {
        ApiClient.Answer answer = api().send(method, path, body, subject);
        Output out = output();
        out.answer(answer, () -> human.accept(out, answer.json()));
    }
}
