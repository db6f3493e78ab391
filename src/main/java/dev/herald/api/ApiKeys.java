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
        List<String> keys = configured(configured);
        if (!keys.isEmpty()) {
            return keys;
        }
        SecretFile file = new SecretFile(keyFile(dataDir), "API key");
        SecretFile.Secret key = file.readOrCreate(() -> SecretFile.random("hk_", 24));
        if (key.created()) {
            // The curl line to try it follows once the server listens (ServerAddresses): its address is known then.
            LOG.info("\n\n  No herald.api.keys configured: generated an API key ({}), kept in {}\n",
                    SecretFile.lastFour(key.value()), file.path());
        } else {
            LOG.info("API key {} from {} (no herald.api.keys configured)", SecretFile.lastFour(key.value()), file.path());
        }
        return List.of(key.value());
    }

    /** Where the generated key is kept; null when {@code configured} (herald.api.keys) names keys. */
    public static Path generatedKeyFile(String configured, Path dataDir) {
        return configured(configured).isEmpty() ? keyFile(dataDir) : null;
    }

    private static Path keyFile(Path dataDir) {
        return dataDir.resolve("api-key");
    }

    private static List<String> configured(String setting) {
        return Arrays.stream(setting.split(",")).map(String::trim).filter(k -> !k.isEmpty()).toList();
    }
}
