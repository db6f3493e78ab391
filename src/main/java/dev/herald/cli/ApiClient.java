package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.StringJoiner;

/** Herald's /v1 API over java.net.http: every non-2xx answer and every I/O failure becomes a one-line {@link CliException}. */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String DEFAULT_URL = "http://127.0.0.1:8080";
    static final Path KEY_FILE = Path.of("data", "api-key");

    /** An answer: its body as the API sent it (for --json) and parsed. */
    record Answer(int status, String body, JsonNode json) {
    }

    private final String baseUrl;
    private final String addressFrom;
    private final String apiKey;
    // HTTP/1.1: the JDK's default first tries an HTTP/1.1-to-h2c upgrade, and Herald's server (Vert.x) then
    // loses a large answer now and then (docs/api.md, "HTTP versions").
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code addressFrom} says where the address came from ("--server", "HERALD_URL"), for the error about a bad one. */
    ApiClient(String baseUrl, String addressFrom, String apiKey) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.addressFrom = addressFrom;
        this.apiKey = apiKey;
    }

    /** The options, else the environment variables, else the defaults: resolved here, not by picocli (see HeraldCli). */
    static ApiClient from(HeraldCli options) {
        String env = System.getenv("HERALD_URL");
        String[] address = given(options.server) ? new String[] {options.server, "--server"}
                : given(options.url) ? new String[] {options.url, "--url"}
                : given(env) ? new String[] {env, "HERALD_URL"} : new String[] {DEFAULT_URL, "the default"};
        String key = given(options.apiKey) ? options.apiKey : System.getenv("HERALD_API_KEY");
        if (!given(key)) {
            try {
                key = Files.readString(KEY_FILE).strip();
            } catch (NoSuchFileException e) {
                throw new CliException("no API key: give --api-key, set HERALD_API_KEY, or run where Herald keeps data/api-key");
            } catch (IOException e) {
                throw new CliException("cannot read the API key from " + KEY_FILE + ": " + e.getMessage());
            }
        }
        if (!isHttpUrl(address[0])) {
            throw new CliException("invalid Herald address " + address[0] + " (from " + address[1]
                    + "): give an http(s) URL such as " + DEFAULT_URL);
        }
        return new ApiClient(address[0], address[1], key);
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return uri.getHost() != null
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean given(String value) {
        return value != null && !value.isBlank();
    }

    /**
     * Sends one request. {@code subject} ("webhook hook_x") names what a 404 is about, so it reads
     * "webhook hook_x not found" whatever the API's wording.
     */
    Answer send(String method, String path, Object body, String subject) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + apiKey)
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build();
        } catch (IllegalArgumentException | IOException e) {
            throw new CliException("invalid Herald address " + baseUrl + " (from " + addressFrom + "): " + e.getMessage());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("connection timed out");
        } catch (HttpTimeoutException e) {
            throw unreachable("no answer within 60 s");
        } catch (ConnectException e) {
            // The JDK reports an unknown host as a ConnectException without a message.
            throw unreachable(causedBy(e, UnresolvedAddressException.class) ? "unknown host " + request.uri().getHost()
                    : e.getMessage() == null || e.getMessage().isBlank() ? "connection refused" : e.getMessage());
        } catch (IOException e) {
            throw unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            throw new CliException(errorLine(response.statusCode(), json, subject, baseUrl));
        }
        return new Answer(response.statusCode(), response.body(), json);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private CliException unreachable(String why) {
        return new CliException("cannot reach Herald at " + baseUrl + ": " + why);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }

    /** From the API's {"error":{"code","message","field"}}; anything else (a proxy's page) by its status. */
    static String errorLine(int status, JsonNode json, String subject, String baseUrl) {
        JsonNode error = json.path("error");
        String code = error.path("code").asText("");
        String message = error.path("message").asText("");
        if (status == 404 && subject != null && (code.equals("not_found") || message.isEmpty())) {
            return subject + " not found";
        }
        if (message.isEmpty()) {
            return baseUrl + " answered HTTP " + status + " without Herald's error JSON (is it Herald's API?)";
        }
        String field = error.path("field").asText("");
        return field.isEmpty() || message.contains(field) ? message : message + " (field " + field + ")";
    }

    /** "?a=1&b=2" from name, value pairs whose value is not null, URL-encoded; "" when none. */
    static String query(Object... namesAndValues) {
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                q.add(namesAndValues[i] + "=" + URLEncoder.encode(namesAndValues[i + 1].toString(), StandardCharsets.UTF_8));
            }
        }
        return q.toString();
    }

    /** An id as a path segment: encoded, so an id with '/' or '?' cannot reach another endpoint. */
    static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
