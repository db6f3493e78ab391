package dev.herald.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The dashboard's files, read once at start from classpath {@code ui/} (a folder in development,
 * the jar in production) into memory: a few tens of KB. Only these names are ever served, so no
 * request path reaches the class loader or the file system.
 */
public final class UiFiles {

    static final String ROOT = "ui";

    /** Served types by extension; a file with another extension is not served. */
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");

    public record File(String name, String contentType, byte[] bytes) {
    }

    private final Map<String, File> files;

    UiFiles(Map<String, File> files) {
        this.files = Collections.unmodifiableMap(new TreeMap<>(files));
    }

    /** The file of that name (relative to {@code ui/}, '/' separated), or null. */
    public File get(String name) {
        return name == null ? null : files.get(name);
    }

    public static UiFiles load() {
        URL root = UiFiles.class.getClassLoader().getResource(ROOT + "/index.html");
        if (root == null) {
            throw new IllegalStateException("the dashboard's files (classpath " + ROOT + "/) are missing; set herald.ui.enabled=false to run without it");
        }
        try {
            URI uri = root.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return new UiFiles(read(jar.getPath("/" + ROOT)));
                } catch (java.nio.file.FileSystemAlreadyExistsException e) {
                    // Someone else opened the jar as a file system: read through theirs, leave it open.
                    return new UiFiles(read(FileSystems.getFileSystem(uri).getPath("/" + ROOT)));
                }
            }
            return new UiFiles(read(Path.of(uri).getParent()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard's files", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, File> read(Path dir) throws IOException {
        Map<String, File> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String name = dir.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                String type = TYPES.get(extension(name));
                if (type != null) {
                    out.put(name, new File(name, type, Files.readAllBytes(p)));
                }
            }
        }
        return out;
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
