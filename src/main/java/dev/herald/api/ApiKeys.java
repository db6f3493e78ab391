package dev.herald.api;

import dev.herald.store.SecretFile;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The API keys: those of herald.api.keys, or else one generated on first start and kept
 * in {@code <data dir>/api-key} (mode 0600), so it survives restarts. The log says where
 * the key is and its last 4 characters, never the key.
 */
public final class ApiKeys {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);

    private ApiKeys() {
    }

    /** {@code configured} is herald.api.keys (comma separated). */
    public static List<String> resolve(String configured, Path dataDir) {
        List<String> keys = Arrays.stream(configured.split(",")).map(String::trim).filter(k -> !k.isEmpty()).toList();
        if (!keys.isEmpty()) {
            return keys;
        }
        SecretFile file = new SecretFile(dataDir.resolve("api-key"), "API key");
        SecretFile.Secret key = file.readOrCreate(() -> SecretFile.random("hk_", 24));
        if (key.created()) {
            LOG.info("\n\n  No herald.api.keys configured: generated an API key ({}), kept in {}\n"
                    + "  Use it as:  curl -H \"Authorization: Bearer $(cat {})\" http://localhost:8080/v1/webhooks\n",
                    SecretFile.lastFour(key.value()), file.path(), file.path());
        } else {
            LOG.info("API key {} from {} (no herald.api.keys configured)", SecretFile.lastFour(key.value()), file.path());
        }
        return List.of(key.value());
    }
}
