package dev.herald.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A secret Herald generates once and keeps in the data directory (the API key, the
 * embedded broker's login): readable by its owner only, read back on every start. An
 * empty or unreadable file stops the start; it never becomes an empty secret.
 */
public final class SecretFile {

    private static final Logger LOG = LoggerFactory.getLogger(SecretFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The value, and whether this start generated it. */
    public record Secret(String value, boolean created) {
    }

    private final Path file;
    private final String what;

    /** {@code what} names the secret in messages, e.g. "API key". */
    public SecretFile(Path file, String what) {
        this.file = file;
        this.what = what;
    }

    public Path path() {
        return file;
    }

    /** The secret in the file, or a new one from {@code generate}, written with mode 0600, when there is no file. */
    public Secret readOrCreate(Supplier<String> generate) {
        if (Files.exists(file)) {
            return new Secret(read(), false);
        }
        String value = generate.get();
        try {
            create(value);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write the " + what + " file " + file + ": " + e, e);
        }
        return new Secret(value, true);
    }

    /** The secret in the file; refuses an empty or unreadable file with a message naming the file, never its content. */
    public String read() {
        tightenIfShared();
        String value;
        try {
            value = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new IllegalStateException("The " + what + " file " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + "). Make it readable by the user running Herald, or delete it to have a new one generated.", e);
        }
        if (value.isEmpty()) {
            throw new IllegalStateException("The " + what + " file " + file
                    + " is empty. Delete it to have a new one generated, or write the " + what + " into it.");
        }
        return value;
    }

    /** The last 4 characters, enough to tell secrets apart in a log without revealing one. */
    public static String lastFour(String secret) {
        return "..." + secret.substring(Math.max(0, secret.length() - 4));
    }

    /** {@code bytes} random bytes, URL-safe Base64 without padding, after {@code prefix}. */
    public static String random(String prefix, int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * Written to a temporary file created with mode 0600 (never readable by others, not even
     * for a moment) and renamed into place, so a crash leaves no half-written secret behind.
     */
    private void create(String value) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attrs = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attrs);
        try {
            Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A file written by an older Herald (mode 0644) is closed to group and others. */
    private void tightenIfShared() {
        if (!Files.isRegularFile(file) || !FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(perms)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
                LOG.warn("The {} file {} was open to others ({}); it is now rw-------", what, file,
                        PosixFilePermissions.toString(perms));
            }
        } catch (IOException e) {
            // Not ours to change (another owner): reading it may still work; say so and go on.
            LOG.warn("The {} file {} may be open to others and could not be made rw-------: {}", what, file, e.toString());
        }
    }
}
