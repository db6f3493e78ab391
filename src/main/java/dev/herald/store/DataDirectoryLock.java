package dev.herald.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One Herald per data directory: a second one would fail deep inside H2 (the database file is
 * locked) or, worse, take the first one's herald.running for a crash and remove it. The lock is
 * taken before anything in the directory is touched and held until the stop; the operating system
 * drops it when the process dies. {@value #FILE} holds the owner's process id for the message of the
 * next start. The file is never deleted: a start that deleted it could let two others lock two files.
 */
public final class DataDirectoryLock implements AutoCloseable {

    public static final String FILE = "herald.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IllegalStateException naming the directory and its owner's pid when another Herald holds it */
    public static DataDirectoryLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("the data directory " + dir.toAbsolutePath().normalize() + " is in use by another Herald"
                        + owner(dir) + ": stop it first, or give this one its own herald.data.dir");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)));
            return new DataDirectoryLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the data directory " + dir + " (" + file + ")", e);
        }
    }

    /** " (pid N)" from the directory's lock file, or "" when it names none. */
    static String owner(Path dir) {
        try {
            String pid = Files.readString(dir.resolve(FILE), StandardCharsets.US_ASCII).trim();
            return pid.matches("[0-9]{1,19}") ? " (pid " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** " (a Herald, pid N)" when another process holds {@code dir}'s lock now; else "" (the pid there may be stale). */
    public static String heldBy(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return "";
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe != null) {
                probe.release();
                return "";
            }
            String owner = owner(dir);
            return owner.isEmpty() ? " (a Herald)" : " (a Herald" + owner.replace(" (", ", ");
        } catch (OverlappingFileLockException | IOException sameProcessOrUnreadable) {
            return "";
        }
    }

    @Override
    public synchronized void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
