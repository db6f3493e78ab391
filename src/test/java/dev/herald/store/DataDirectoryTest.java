package dev.herald.store;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class DataDirectoryTest {

    @Test
    void aNewDataDirectoryAndItsMissingParentsAreOwnerOnly() throws Exception {
        Path base = Files.createTempDirectory("herald-datadir");
        Path dir = base.resolve("srv").resolve("data");
        DataDirectory.ensure(dir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void anExistingDirectoryIsLeftAsItIs() throws Exception {
        Path dir = Files.createTempDirectory("herald-datadir");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        DataDirectory.ensure(dir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwxr-x---");
    }
}
