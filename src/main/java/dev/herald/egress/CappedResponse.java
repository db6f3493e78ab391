package dev.herald.egress;

import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * A receiver's answer as it arrives: the status and headers, and the body up to {@code cap} bytes.
 * At the cap the answer is complete for Herald and the rest is not read: the exchange is aborted,
 * which closes the connection, since reading a body of any length to reuse it is not worth it.
 * The head stays readable ({@link #head}) when the body then fails or the deadline cuts it.
 */
public final class CappedResponse implements AsyncResponseConsumer<CappedResponse> {

    private final int cap;
    private volatile HttpResponse head;
    private FutureCallback<CappedResponse> result;
    private byte[] body = new byte[0];
    private int length;
    private boolean full;

    public CappedResponse(int cap) {
        this.cap = cap;
    }

    /** The status line and headers, once received; null before. */
    public HttpResponse head() {
        return head;
    }

    public int status() {
        return head.getCode();
    }

    public Header[] headers() {
        return head.getHeaders();
    }

    /** The body up to the cap. */
    public byte[] body() {
        return length == body.length ? body : Arrays.copyOf(body, length);
    }

    /** True when the cap was reached: more may have followed, unread. */
    public boolean full() {
        return full;
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context,
                                FutureCallback<CappedResponse> resultCallback) {
        head = response;
        result = resultCallback;
        if (entity == null) {
            resultCallback.completed(this);
        }
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
        // 1xx answers carry nothing for the log.
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        capacityChannel.update(Integer.MAX_VALUE);
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        int take = Math.min(src.remaining(), cap - length);
        if (length + take > body.length) {
            // Most receivers answer with a few bytes: the buffer starts small and grows.
            body = Arrays.copyOf(body, Math.min(cap, Math.max(length + take, Math.max(256, body.length * 4))));
        }
        src.get(body, length, take);
        length += take;
        if (length >= cap) {
            full = true;
            result.completed(this);
            // Ends the exchange unfinished: the client discards its connection instead of reading on.
            throw new CapReached();
        }
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        result.completed(this);
    }

    @Override
    public void failed(Exception cause) {
        // The exchange's callback hears of it.
    }

    @Override
    public void releaseResources() {
        // Nothing held beyond the bytes kept.
    }

    /** The body reached the cap; the exchange already completed with what was kept. */
    public static final class CapReached extends IOException {
        CapReached() {
            super("response body cap reached");
        }
    }
}
