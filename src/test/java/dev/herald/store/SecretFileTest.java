package dev.herald.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The files Herald keeps its generated secrets in: owner-only, read back as written, never silently empty. */
class SecretFileTest {

    @TempDir
    Path dir;

    @Test
    void aNewSecretIsWrittenOwnerOnlyAndReadBackOnTheNextStart() throws Exception {
        SecretFile file = new SecretFile(dir.resolve("sub/api-key"), "API key");
        SecretFile.Secret first = file.readOrCreate(() -> "hk_first");
        assertThat(first).isEqualTo(new SecretFile.Secret("hk_first", true));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
        assertThat(Files.readString(file.path())).isEqualTo("hk_first\n");
        // No temporary file is left beside it.
        try (var files = Files.list(file.path().getParent())) {
            assertThat(files).containsExactly(file.path());
        }

        SecretFile.Secret again = file.readOrCreate(() -> "hk_second");
        assertThat(again).isEqualTo(new SecretFile.Secret("hk_first", false));
    }

    @Test
    void anEmptyFileStopsTheStartNamingTheFile() throws Exception {
        Path empty = Files.writeString(dir.resolve("api-key"), " \n");
        SecretFile file = new SecretFile(empty, "API key");
        assertThatThrownBy(() -> file.readOrCreate(() -> "hk_new"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("API key file " + empty + " is empty");
        assertThat(Files.readString(empty)).as("left as it was").isEqualTo(" \n");
    }

    @Test
    void anUnreadableFileStopsTheStartNamingTheFileNotItsContent() throws Exception {
        // A folder where the file should be: unreadable as text even for root (who ignores modes).
        Path folder = Files.createDirectory(dir.resolve("jms-password"));
        assertThatThrownBy(() -> new SecretFile(folder, "JMS password").read())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("JMS password file " + folder + " cannot be read");
    }

    @Test
    void aFileOpenToOthersIsClosedToThem() throws Exception {
        Path old = Files.writeString(dir.resolve("api-key"), "hk_from_an_older_herald\n");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(new SecretFile(old, "API key").read()).isEqualTo("hk_from_an_older_herald");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(old))).isEqualTo("rw-------");
    }

    @Test
    void lastFourShowsOnlyTheEnd() {
        assertThat(SecretFile.lastFour("hk_abcdefgh")).isEqualTo("...efgh");
        assertThat(SecretFile.random("hk_", 24)).startsWith("hk_").hasSize(3 + 32);
    }
}
