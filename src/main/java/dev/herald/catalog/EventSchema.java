package dev.herald.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;

import dev.herald.error.Excerpt;
import dev.herald.error.HeraldException;
import dev.herald.store.Json;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.PatternSyntaxException;

/**
 * A type's JSON Schema (2020-12), compiled once. A schema is checked against the 2020-12
 * meta-schema and all its {@code $ref}s are resolved when it is compiled, so a bad one is refused
 * when stored, not at the first event. It never loads anything from outside: the only IRIs it may
 * name are the meta-schemas, which the library ships (a {@code $ref} to http:, file: or classpath:
 * is refused, nothing is fetched).
 */
public final class EventSchema {

    private static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().pathType(PathType.JSON_POINTER)
                    .regularExpressionFactory(BoundedRegex.INSTANCE).build())
                    // Refuses before any loader runs: no fetch, no file or classpath read for a user's $ref.
                    .schemaLoader(l -> l.fetchRemoteResources(false)
                            .block(iri -> !iri.toString().startsWith("https://json-schema.org/draft/2020-12/"))));
    private static final Schema META = REGISTRY.getSchema(SchemaLocation.of(DIALECT));

    private final Schema schema;

    private EventSchema(Schema schema) {
        this.schema = schema;
    }

    /** Compiles a schema as stored (it was checked when it was). */
    public static EventSchema parse(String stored) {
        return compile(Json.readBody(stored.getBytes(StandardCharsets.UTF_8)));
    }

    /** Compiles {@code node}, or refuses it with a 400 on field {@code schema}. */
    public static EventSchema compile(JsonNode node) {
        if (node == null || !(node.isObject() || node.isBoolean())) {
            throw HeraldException.invalid("schema", "schema must be a JSON Schema (2020-12): an object or a boolean");
        }
        JsonNode declared = node.path("$schema");
        if (!declared.isMissingNode() && !(declared.isTextual() && declared.asText().replaceAll("#$", "").equals(DIALECT))) {
            throw HeraldException.invalid("schema", "Herald takes JSON Schema 2020-12: leave $schema out or set it to \""
                    + DIALECT + "\"");
        }
        List<Error> invalid = META.validate(node);
        if (!invalid.isEmpty()) {
            throw HeraldException.invalid("schema", "not a valid JSON Schema 2020-12: " + describe(invalid.get(0)));
        }
        try {
            Schema compiled = REGISTRY.getSchema(node);
            // Resolves every $ref now (a missing or outside one fails here, not at ingest), and applies the
            // schema once: what the library resolves only while validating ($dynamicRef) fails here too.
            compiled.initializeValidators();
            compiled.validate(Json.MAPPER.createObjectNode());
            return new EventSchema(compiled);
        } catch (StackOverflowError e) {
            throw HeraldException.invalid("schema", "the schema cannot be used: a $ref leads back to itself without"
                    + " a step into the data (e.g. {\"$ref\":\"#\"})");
        } catch (RuntimeException e) {
            // The library reports a bad schema in several ways (SchemaException, PatternSyntaxException, ...).
            throw HeraldException.invalid("schema", "the schema cannot be used: " + reason(e));
        }
    }

    private static String reason(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PatternSyntaxException p) {
                return "a pattern is not a regular expression Java reads: " + Excerpt.of(p.getDescription())
                        + " in " + Excerpt.of(p.getPattern());
            }
        }
        return Excerpt.of(String.valueOf(e.getMessage()).replace('\n', ' '))
                + " (a $ref must point inside the schema: Herald loads nothing from outside)";
    }

    /** The first way {@code data} breaks the schema, as "JSON pointer: what is wrong"; empty when it fits. */
    public Optional<String> firstError(JsonNode data) {
        List<Error> errors;
        try {
            errors = schema.validate(data);
        } catch (RuntimeException | StackOverflowError e) {
            // Refused with the reason rather than failed as an internal error a JMS source would retry for ever
            // (a StackOverflowError: data nested deeper than a recursive schema can follow on this thread).
            return Optional.of("\"\": the schema cannot be applied (" + Excerpt.of(String.valueOf(e.getMessage())) + ")");
        }
        return errors.isEmpty() ? Optional.empty() : Optional.of(describe(errors.get(0)));
    }

    /** {@code /amount: string found, integer expected}; the root is the empty pointer, written "". */
    private static String describe(Error e) {
        String pointer = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
        return (pointer.isEmpty() ? "\"\"" : pointer) + ": " + e.getMessage();
    }
}
