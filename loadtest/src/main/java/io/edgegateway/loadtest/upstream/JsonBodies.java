package io.edgegateway.loadtest.upstream;

import java.util.List;
import java.util.Map;

/** The JSON bodies the mock upstream answers with, written by hand to keep the jar free of a JSON library. */
final class JsonBodies {

    private JsonBodies() {
    }

    /** {@code {"method":..,"uri":..,"headers":{"name":["v1","v2"]},"received":N}}, header names lower-cased. */
    static String echo(RecordedRequest request) {
        StringBuilder json = new StringBuilder(256);
        json.append("{\"method\":");
        string(json, request.method());
        json.append(",\"uri\":");
        string(json, request.uri());
        json.append(",\"headers\":{");
        boolean firstHeader = true;
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            if (!firstHeader) {
                json.append(',');
            }
            firstHeader = false;
            string(json, header.getKey());
            json.append(":[");
            for (int i = 0; i < header.getValue().size(); i++) {
                if (i > 0) {
                    json.append(',');
                }
                string(json, header.getValue().get(i));
            }
            json.append(']');
        }
        return json.append("},\"received\":").append(request.bodyBytes()).append("}\n").toString();
    }

    /** {@code {"received":N}}. */
    static String received(long bytes) {
        return "{\"received\":" + bytes + "}\n";
    }

    /** {@code {"error":"..."}}. */
    static String error(String message) {
        StringBuilder json = new StringBuilder("{\"error\":");
        string(json, message);
        return json.append("}\n").toString();
    }

    private static void string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
