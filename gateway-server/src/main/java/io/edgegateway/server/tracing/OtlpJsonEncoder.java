package io.edgegateway.server.tracing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Spans as one OTLP/HTTP {@code ExportTraceServiceRequest} in the protobuf JSON mapping the OTLP
 * specification defines: lowerCamelCase field names, trace and span ids as hex strings, enums as
 * integers, 64-bit integers as decimal strings. Written straight into a byte buffer on the exporter
 * thread; attribute names follow OpenTelemetry's HTTP conventions where one fits, else {@code gateway.*}.
 */
final class OtlpJsonEncoder {

    /** The instrumentation scope of every span. */
    static final String SCOPE = "io.edgegateway.gateway";
    private static final int KIND_SERVER = 2;
    private static final int KIND_CLIENT = 3;
    private static final int STATUS_ERROR = 2;
    /** Methods are client-chosen tokens; as in the access log, a longer one is cut. */
    private static final int MAX_METHOD_CHARS = 32;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final String serviceName;
    private boolean firstAttribute;

    OtlpJsonEncoder(String serviceName) {
        this.serviceName = serviceName;
    }

    /** Writes the request for {@code spans}; a span's {@code nanoTime} plus {@code epochOffsetNanos} is its Unix time. */
    void encode(ByteBuf out, List<FinishedSpan> spans, long epochOffsetNanos) {
        ascii(out, "{\"resourceSpans\":[{\"resource\":{\"attributes\":[");
        firstAttribute = true;
        attribute(out, "service.name", serviceName);
        ascii(out, "]},\"scopeSpans\":[{\"scope\":{\"name\":\"" + SCOPE + "\"},\"spans\":[");
        for (int i = 0; i < spans.size(); i++) {
            if (i > 0) {
                out.writeByte(',');
            }
            FinishedSpan span = spans.get(i);
            if (span instanceof ServerSpan server) {
                server(out, server, epochOffsetNanos);
            } else {
                client(out, (ClientSpan) span, epochOffsetNanos);
            }
        }
        ascii(out, "]}]}]}");
    }

    private void server(ByteBuf out, ServerSpan span, long offset) {
        String method = method(span.method());
        head(out, span, span.trace().parentSpanId(), span.route() == null ? method : method + " " + span.route(),
                KIND_SERVER, offset);
        attribute(out, "http.request.method", method);
        if (span.path() != null) {
            int query = span.path().indexOf('?');
            attribute(out, "url.path", query < 0 ? span.path() : span.path().substring(0, query));
        }
        if (span.status() > 0) {
            attribute(out, "http.response.status_code", span.status());
        } else {
            attribute(out, "gateway.client_closed", true);
        }
        attribute(out, "gateway.route", span.route());
        attribute(out, "gateway.request_id", span.requestId());
        attribute(out, "gateway.identity.kind", span.identityKind() == null ? "none" : span.identityKind());
        attribute(out, "gateway.ratelimit.decision", span.limiter());
        attribute(out, "gateway.shed", span.shed());
        attribute(out, "gateway.error", span.gatewayError());
        // A server's 4xx is the client's mistake, not the span's (OpenTelemetry's HTTP conventions).
        tail(out, span.status() >= 500, span.gatewayError());
    }

    private void client(ByteBuf out, ClientSpan span, long offset) {
        String method = method(span.method());
        head(out, span, span.trace().spanId(), method, KIND_CLIENT, offset);
        attribute(out, "http.request.method", method);
        attribute(out, "server.address", span.instance().host());
        attribute(out, "server.port", span.instance().socketAddress().getPort());
        if (span.instance().socketAddress().getAddress() != null) {
            attribute(out, "network.peer.address", span.instance().socketAddress().getAddress().getHostAddress());
        }
        attribute(out, "gateway.upstream", span.instance().label());
        attribute(out, "gateway.attempt", span.attempt());
        attribute(out, "gateway.attempt.kind", span.kind().label);
        attribute(out, "gateway.attempt.outcome", span.outcome().name().toLowerCase(Locale.ROOT));
        if (span.status() > 0) {
            attribute(out, "http.response.status_code", span.status());
        }
        String error = span.outcome().errorLabel() != null ? span.outcome().errorLabel()
                : span.status() >= 400 ? Integer.toString(span.status()) : null;
        attribute(out, "error.type", error);
        tail(out, error != null, error);
    }

    private void head(ByteBuf out, FinishedSpan span, long parentSpanId, String name, int kind, long offset) {
        TraceContext trace = span.trace();
        ascii(out, "{\"traceId\":\"");
        hex(out, trace.traceIdHigh());
        hex(out, trace.traceIdLow());
        ascii(out, "\",\"spanId\":\"");
        hex(out, span.spanId());
        out.writeByte('"');
        if (parentSpanId != 0) {
            ascii(out, ",\"parentSpanId\":\"");
            hex(out, parentSpanId);
            out.writeByte('"');
        }
        if (trace.traceState() != null) {
            ascii(out, ",\"traceState\":");
            string(out, trace.traceState());
        }
        ascii(out, ",\"name\":");
        string(out, name);
        ascii(out, ",\"kind\":");
        ascii(out, Integer.toString(kind));
        ascii(out, ",\"startTimeUnixNano\":\"");
        ascii(out, Long.toUnsignedString(span.startNanos() + offset));
        ascii(out, "\",\"endTimeUnixNano\":\"");
        ascii(out, Long.toUnsignedString(span.endNanos() + offset));
        ascii(out, "\",\"attributes\":[");
        firstAttribute = true;
    }

    private static void tail(ByteBuf out, boolean error, String message) {
        out.writeByte(']');
        if (error) {
            ascii(out, ",\"status\":{\"code\":" + STATUS_ERROR);
            if (message != null) {
                ascii(out, ",\"message\":");
                string(out, message);
            }
            out.writeByte('}');
        }
        out.writeByte('}');
    }

    /** A string attribute; none at all for a null value. */
    private void attribute(ByteBuf out, String key, String value) {
        if (value == null) {
            return;
        }
        key(out, key);
        ascii(out, "{\"stringValue\":");
        string(out, value);
        ascii(out, "}}");
    }

    private void attribute(ByteBuf out, String key, long value) {
        key(out, key);
        ascii(out, "{\"intValue\":\"" + value + "\"}}");
    }

    private void attribute(ByteBuf out, String key, boolean value) {
        key(out, key);
        ascii(out, value ? "{\"boolValue\":true}}" : "{\"boolValue\":false}}");
    }

    private void key(ByteBuf out, String key) {
        if (!firstAttribute) {
            out.writeByte(',');
        }
        firstAttribute = false;
        ascii(out, "{\"key\":\"");
        ascii(out, key);
        ascii(out, "\",\"value\":");
    }

    private static String method(String method) {
        return method == null ? "_OTHER" : method.length() > MAX_METHOD_CHARS ? method.substring(0, MAX_METHOD_CHARS) : method;
    }

    private static void hex(ByteBuf out, long value) {
        for (int shift = 60; shift >= 0; shift -= 4) {
            out.writeByte(HEX[(int) (value >>> shift) & 0xf]);
        }
    }

    /** {@code value} as a JSON string in UTF-8, escaping quotes, backslashes and control characters. */
    private static void string(ByteBuf out, String value) {
        out.writeByte('"');
        int run = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            if (run < i) {
                ByteBufUtil.writeUtf8(out, value, run, i);
            }
            run = i + 1;
            out.writeByte('\\');
            switch (c) {
                case '"', '\\' -> out.writeByte(c);
                case '\n' -> out.writeByte('n');
                case '\r' -> out.writeByte('r');
                case '\t' -> out.writeByte('t');
                default -> out.writeByte('u').writeByte('0').writeByte('0').writeByte(HEX[c >> 4]).writeByte(HEX[c & 0xf]);
            }
        }
        if (run < value.length()) {
            ByteBufUtil.writeUtf8(out, value, run, value.length());
        }
        out.writeByte('"');
    }

    private static void ascii(ByteBuf out, String text) {
        ByteBufUtil.writeAscii(out, text);
    }
}
