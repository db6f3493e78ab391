package dev.herald.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.herald.error.HeraldException;
import dev.herald.event.NewEvent;
import dev.herald.store.Json;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads {@code .ndjson} files dropped in the inbox for the file source route, line by line in
 * batches (the split's expression, method ndjsonBatches), so a file of any length streams through
 * {@code direct:ingest}; a {@code .json} file is read whole by {@link JsonFileBody}. Bad NDJSON lines do not stop the file:
 * each goes to {@code .error/<name>.rejected.ndjson} with its line number and reason.
 */
public final class InboxFiles {

    private static final Logger LOG = LoggerFactory.getLogger(InboxFiles.class);

    private final EventParser parser;
    private final int batchSize;

    public InboxFiles(EventParser parser, int batchSize) {
        this.parser = parser;
        this.batchSize = batchSize;
    }

    /** Batches of the good lines of an {@code .ndjson} file, for a streaming split. */
    public Iterator<EventParser.Batch> ndjsonBatches(Exchange exchange) throws IOException, InvalidPayloadException {
        File file = exchange.getMessage().getMandatoryBody(File.class);
        String sourceKey = exchange.getProperty(IngestService.SOURCE_KEY, String.class);
        Path rejects = file.toPath().resolveSibling(".error").resolve(file.getName() + ".rejected.ndjson");
        // A file read again (after a crash or re-dropped) rewrites its rejects from scratch.
        Files.deleteIfExists(rejects);
        return new Lines(file.toPath(), sourceKey == null ? "file:" + file.getName() : sourceKey, rejects);
    }

    private final class Lines implements Iterator<EventParser.Batch>, Closeable {
        private final Path file;
        private final String sourceKey;
        private final Path rejectsFile;
        private final InputStream in;
        private Writer rejects;
        private EventParser.Batch next;
        private int lineNumber;
        private int good;
        private int bad;
        private boolean done;

        Lines(Path file, String sourceKey, Path rejectsFile) throws IOException {
            this.file = file;
            this.sourceKey = sourceKey;
            this.rejectsFile = rejectsFile;
            this.in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                next = readBatch();
            }
            return next != null;
        }

        @Override
        public EventParser.Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            EventParser.Batch batch = next;
            next = null;
            return batch;
        }

        private EventParser.Batch readBatch() {
            List<NewEvent> events = new ArrayList<>(batchSize);
            try {
                byte[] line;
                while (events.size() < batchSize && (line = readLine()) != null) {
                    lineNumber++;
                    if (isBlank(line)) {
                        continue;
                    }
                    if (line.length > parser.maxEventBytes()) {
                        reject(line, HeraldException.tooLarge(null, "the line is longer than " + parser.maxEventBytes()
                                + " bytes (herald.ingest.max-bytes)"));
                        continue;
                    }
                    try {
                        events.add(parser.parseLine(line, sourceKey + ":" + lineNumber));
                        good++;
                    } catch (HeraldException e) {
                        reject(line, e);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!events.isEmpty()) {
                return new EventParser.Batch(events, false);
            }
            finish();
            return null;
        }

        private void finish() {
            done = true;
            close();
            LOG.info("Inbox file {}: {} events read, {} lines rejected", file.getFileName(), good, bad);
            if (good == 0) {
                throw HeraldException.invalid(null, bad == 0 ? "the file holds no events"
                        : "none of its " + bad + " lines is an event; each is listed with its reason in "
                        + rejectsFile.getFileName());
            }
        }

        /** A line as bytes without its line break; an over-long line is cut and refused, not held in memory. */
        private byte[] readLine() throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream(1024);
            int b;
            boolean any = false;
            while ((b = in.read()) != -1) {
                any = true;
                if (b == '\n') {
                    break;
                }
                if (buf.size() <= parser.maxEventBytes()) {
                    buf.write(b);
                }
            }
            if (!any) {
                return null;
            }
            byte[] line = buf.toByteArray();
            int len = line.length;
            if (len > 0 && line[len - 1] == '\r') {
                line = java.util.Arrays.copyOf(line, len - 1);
            }
            return line;
        }

        private void reject(byte[] line, HeraldException e) throws IOException {
            bad++;
            if (rejects == null) {
                Files.createDirectories(rejectsFile.getParent());
                rejects = Files.newBufferedWriter(rejectsFile, StandardCharsets.UTF_8);
            }
            ObjectNode row = Json.MAPPER.createObjectNode();
            row.put("line", lineNumber);
            ObjectNode error = row.putObject("error");
            error.put("code", e.code());
            error.put("message", e.getMessage());
            if (e.field() != null) {
                error.put("field", e.field());
            }
            boolean cut = line.length > parser.maxEventBytes();
            row.put("text", new String(line, 0, Math.min(line.length, 1024), StandardCharsets.UTF_8)
                    + (cut || line.length > 1024 ? "…" : ""));
            rejects.write(Json.write(row));
            rejects.write('\n');
        }

        @Override
        public void close() {
            try {
                in.close();
                if (rejects != null) {
                    rejects.close();
                    rejects = null;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
