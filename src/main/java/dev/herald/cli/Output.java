package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** What a command prints: the API's JSON as is with --json, else aligned tables and "name: value" lines. */
final class Output {

    private final PrintWriter out;
    private final boolean json;

    Output(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    /** With --json the answer's body unchanged (so scripts can pipe it to jq), else what {@code human} prints. */
    void answer(ApiClient.Answer answer, Runnable human) {
        if (json) {
            out.println(answer.body());
        } else {
            human.run();
        }
        out.flush();
    }

    void line(String text) {
        out.println(text);
    }

    /** "name: value" lines, names padded to one width. */
    void fields(String[][] rows) {
        int width = 0;
        for (String[] r : rows) {
            width = Math.max(width, r[0].length());
        }
        for (String[] r : rows) {
            out.println(pad(r[0] + ":", width + 1) + " " + r[1]);
        }
    }

    /** A table with a header row; columns as wide as their widest cell. */
    void table(String[] headers, Iterable<JsonNode> rows, List<Function<JsonNode, String>> columns) {
        List<String[]> cells = new ArrayList<>();
        cells.add(headers);
        for (JsonNode row : rows) {
            cells.add(columns.stream().map(c -> c.apply(row)).toArray(String[]::new));
        }
        int[] widths = new int[headers.length];
        for (String[] r : cells) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        for (String[] r : cells) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                b.append(i == r.length - 1 ? r[i] : pad(r[i], widths[i]) + "  ");
            }
            out.println(b.toString().stripTrailing());
        }
    }

    /** A page of a list: its {@code rows} array as a table, then how to get the next page. */
    void page(JsonNode page, String rows, String[] headers, List<Function<JsonNode, String>> columns) {
        table(headers, page.path(rows), columns);
        more(page);
    }

    /** Says how to get the next page when the API has more. */
    private void more(JsonNode page) {
        if (page.path("has_more").asBoolean(false)) {
            out.println("(more: --cursor " + page.path("next_cursor").asText() + ")");
        }
    }

    /** A JSON value as a cell: "-" for null or absent, arrays joined with commas. */
    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "-";
        }
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            value.forEach(v -> parts.add(v.asText()));
            return String.join(",", parts);
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
