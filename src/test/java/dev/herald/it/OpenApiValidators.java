package dev.herald.it;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two standard checks of an OpenAPI document. swagger-parser reads it as OpenAPI tools do and
 * reports what it cannot use (a $ref that does not resolve, a missing or misplaced key), but
 * lets some errors pass without a word (it drops an empty {@code required} list); the
 * OpenAPI Initiative's JSON Schema of OpenAPI 3.0 (bundled by Vert.x OpenAPI) catches those.
 */
final class OpenApiValidators {

    private OpenApiValidators() {
    }

    /** swagger-parser's result; its messages are in {@code getMessages()}. */
    static SwaggerParseResult swaggerParser(String json) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIV3Parser().readContents(json, null, options);
    }

    /** Where and how the document breaks the OpenAPI JSON Schema of its version; empty when it does not. */
    static List<String> jsonSchema(String json) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            JsonObject contract = new JsonObject(json);
            OpenAPIVersion version = OpenAPIVersion.fromContract(contract);
            OutputUnit result = version.getRepository(vertx, "app:///")
                    .compose(repository -> version.validateContract(vertx, repository, contract))
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            List<String> errors = new ArrayList<>();
            if (!Boolean.TRUE.equals(result.getValid())) {
                for (OutputUnit e : result.getErrors() == null ? List.<OutputUnit>of() : result.getErrors()) {
                    errors.add(e.getInstanceLocation() + ": " + e.getError() + " (" + e.getKeywordLocation() + ")");
                }
                if (errors.isEmpty()) {
                    errors.add("invalid, without details: " + result.toJson());
                }
            }
            return errors;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
