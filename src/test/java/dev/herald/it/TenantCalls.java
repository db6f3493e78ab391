package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Applications' webhooks and rows for the tests of issue 27, until the applications API is merged. */
final class TenantCalls {

    static final ObjectMapper JSON = new ObjectMapper();

    private TenantCalls() {
    }

    /** A webhook of {@code application} (null: the operator's own); made through the API, then given to it. */
    static String hook(HeraldApp herald, String application, String url, String events, String schedule) throws Exception {
        HttpResponse<String> r = herald.call("POST", "/v1/webhooks", "{\"url\":\"" + url + "\",\"events\":" + events
                + (schedule == null ? "" : ",\"retry_schedule\":" + schedule) + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String id = JSON.readTree(r.body()).get("id").asText();
        if (application != null) {
            // Until the applications API is merged: the column the webhooks of an application have.
            sql(herald, "UPDATE webhook SET application_id = ? WHERE id = ?", application, id);
        }
        return id;
    }

    static void sql(HeraldApp herald, String statement, Object... params) throws Exception {
        try (java.sql.Connection c = DriverManager.getConnection("jdbc:h2:file:" + herald.dataDir.resolve("herald")
                + ";DB_CLOSE_ON_EXIT=FALSE", "sa", ""); PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }

    static void assertError(HttpResponse<String> r, int status, String code, String field) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        if (field == null) {
            assertThat(error.path("field").isMissingNode() || error.get("field").isNull()).as(r.body()).isTrue();
        } else {
            assertThat(error.get("field").asText()).isEqualTo(field);
        }
    }

    static List<JsonNode> envelopes(Receiver receiver, String path) {
        return receiver.to(path).stream().map(q -> {
            try {
                return JSON.readTree(q.body());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
