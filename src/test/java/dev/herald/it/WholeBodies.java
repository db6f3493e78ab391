package dev.herald.it;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static dev.herald.it.HostileValues.ascii;
import static dev.herald.it.HostileValues.bytes;

/** Bodies that are wrong as a whole: empty, blank, not JSON, a bare scalar, too deep, too many events. */
final class WholeBodies {

    private static final String[] TEXTS = {
            "", " ", "\r\n\t ", "null", "true", "1", "-0", "\"str\"", "[]", "{}", "[{}]", "[[]]", "[null]",
            "not json", "<event><type>x</type></event>", "type=fuzz.event.created&data=1", "{", "}", "[", "]",
            "{\"type\":", "{\"type\" \"x\"}", "{type:'x'}", "{\"a\":1,}", "[1,]", "//comment\n{}", "/* c */ {}",
            "--fuzz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--fuzz--\r\n", "\"\\ud800\"",
            "{\"type\":\"fuzz.event.created\",\"data\":{}}garbage", "{}{}", "[][]", "NaN", "1e999999",
    };

    private WholeBodies() {
    }

    static Mutations.Result pick(Random r) {
        switch (r.nextInt(10)) {
            case 0:
                return new Mutations.Result(HostileValues.deepNesting(r, HostileValues.DEEP), "whole body 10,000 deep");
            case 1:
                return new Mutations.Result(HostileValues.hugeNumber(r), "whole body a huge number");
            case 2:
                return new Mutations.Result(ascii("[".repeat(HostileValues.DEEP)), "10,000 unclosed [");
            case 3:
                return tooManyEvents(r);
            case 4:
                return randomBytes(r);
            case 5:
                return new Mutations.Result(bytes(0xEF, 0xBB, 0xBF), "BOM only");
            default:
                String t = TEXTS[r.nextInt(TEXTS.length)];
                return new Mutations.Result(t.getBytes(StandardCharsets.UTF_8), "whole body " + Mutations.preview(ascii(t)));
        }
    }

    /** The batch limit is 1000 events: at and past it, some with an error deep in the batch. */
    private static Mutations.Result tooManyEvents(Random r) {
        int n = r.nextBoolean() ? 1001 : 1000;
        int broken = r.nextBoolean() ? r.nextInt(n) : -1;
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",");
            b.append(i == broken ? "{\"type\":1,\"data\":{}}" : "{\"type\":\"fuzz.event.batch\",\"data\":{\"i\":" + i + "}}");
        }
        return new Mutations.Result(ascii(b.append(']').toString()), n + " events" + (broken >= 0 ? ", #" + broken + " broken" : ""));
    }

    private static Mutations.Result randomBytes(Random r) {
        byte[] b = new byte[1 + r.nextInt(300)];
        r.nextBytes(b);
        if (r.nextBoolean()) {
            b[0] = '{';
        }
        return new Mutations.Result(b, "random bytes " + Mutations.preview(b));
    }
}
