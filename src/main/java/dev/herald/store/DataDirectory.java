package dev.herald.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The data directory holds the database (events, delivery logs and, without herald.secrets.key,
 * signing secrets), the generated keys and the broker journal: created readable by its owner
 * only, so other users of the machine cannot read the files H2 and Artemis create in it.
 */
public final class DataDirectory {

    private DataDirectory() {
    }

    /** Creates {@code dir} (and missing parents) owner-only; an existing directory is left as it is. */
    public static Path ensure(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createDirectories(dir);
    }
}
