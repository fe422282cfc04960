package io.edgegateway.loadtest.report;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Just enough JSON for the report: objects, arrays, escaped strings and finite numbers, written
 * in order with two-space indentation. A number that is not finite is written as {@code null}.
 */
public final class JsonWriter {

    private final StringBuilder out = new StringBuilder();
    /** For each open object or array, whether it has a member yet. */
    private final Deque<Boolean> hasMember = new ArrayDeque<>();
    private boolean afterName;

    public JsonWriter beginObject() {
        return open('{');
    }

    public JsonWriter endObject() {
        return close('}');
    }

    public JsonWriter beginArray() {
        return open('[');
    }

    public JsonWriter endArray() {
        return close(']');
    }

    /** Starts an object member; its value comes next. */
    public JsonWriter name(String name) {
        separate();
        string(name);
        out.append(": ");
        afterName = true;
        return this;
    }

    public JsonWriter value(String value) {
        separate();
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        return this;
    }

    public JsonWriter value(double value) {
        separate();
        if (!Double.isFinite(value)) {
            out.append("null");
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value).append(".0");
        } else {
            out.append(value);
        }
        return this;
    }

    public JsonWriter value(long value) {
        separate();
        out.append(value);
        return this;
    }

    public JsonWriter value(boolean value) {
        separate();
        out.append(value);
        return this;
    }

    public JsonWriter nullValue() {
        separate();
        out.append("null");
        return this;
    }

    /** The document; every object and array must be closed. */
    @Override
    public String toString() {
        if (!hasMember.isEmpty()) {
            throw new IllegalStateException(hasMember.size() + " unclosed objects or arrays");
        }
        return out + "\n";
    }

    private JsonWriter open(char bracket) {
        separate();
        out.append(bracket);
        hasMember.push(false);
        return this;
    }

    private JsonWriter close(char bracket) {
        boolean any = hasMember.pop();
        if (any) {
            newline();
        }
        out.append(bracket);
        return this;
    }

    /** Puts the comma and line break a value needs, unless it is the value of a name just written. */
    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (hasMember.isEmpty()) {
            if (!out.isEmpty()) {
                throw new IllegalStateException("a second top-level value");
            }
            return;
        }
        if (hasMember.pop()) {
            out.append(',');
        }
        hasMember.push(true);
        newline();
    }

    private void newline() {
        out.append('\n').append("  ".repeat(hasMember.size()));
    }

    private void string(String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
