package io.edgegateway.filters.identity;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Parses the flat JSON object of a JWT header or claims set: strings, numbers ({@link BigDecimal}),
 * booleans and null (a {@code null} value); a nested object or array is skipped and maps to {@link #NESTED}.
 *
 * <p>A duplicate member name makes the object malformed, so no two readers can disagree on a claim.
 */
final class FlatJson {

    /** The value of a member that is a nested object or array, whose content is not kept. */
    static final Object NESTED = new Object() {
        @Override
        public String toString() {
            return "NESTED";
        }
    };

    /** Thrown to unwind on the first error; no stack trace, as garbage input is routine here. */
    private static final class Malformed extends RuntimeException {
        Malformed() {
            super(null, null, false, false);
        }
    }

    private static final Malformed MALFORMED = new Malformed();

    private final String text;
    private int pos;

    private FlatJson(String text) {
        this.text = text;
    }

    /** The members of the top-level object; empty when {@code text} is not one JSON object. */
    static Optional<Map<String, Object>> parse(String text) {
        try {
            FlatJson parser = new FlatJson(text);
            Map<String, Object> members = parser.object();
            parser.skipWhitespace();
            return parser.pos == text.length() ? Optional.of(members) : Optional.empty();
        } catch (Malformed | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Map<String, Object> object() {
        skipWhitespace();
        expect('{');
        Map<String, Object> members = new HashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return members;
        }
        while (true) {
            skipWhitespace();
            expect('"');
            String name = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            if (members.containsKey(name)) {
                throw MALFORMED;
            }
            members.put(name, value());
            skipWhitespace();
            char c = next();
            if (c == '}') {
                return members;
            }
            if (c != ',') {
                throw MALFORMED;
            }
        }
    }

    private Object value() {
        return switch (peek()) {
            case '"' -> {
                pos++;
                yield string();
            }
            case '{', '[' -> {
                skipNested();
                yield NESTED;
            }
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    /** After the opening quote; up to and past the closing one. */
    private String string() {
        int start = pos;
        while (true) {
            char c = next();
            if (c == '"') {
                return text.substring(start, pos - 1);
            }
            if (c == '\\') {
                pos = start;
                return escapedString();
            }
            if (c < 0x20) {
                throw MALFORMED;
            }
        }
    }

    private String escapedString() {
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw MALFORMED;
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escape = next();
            switch (escape) {
                case '"', '\\', '/' -> out.append(escape);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(hex4());
                default -> throw MALFORMED;
            }
        }
    }

    private char hex4() {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(next(), 16);
            if (digit < 0) {
                throw MALFORMED;
            }
            value = (value << 4) | digit;
        }
        return (char) value;
    }

    private BigDecimal number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else {
            digits();
        }
        if (peek() == '.') {
            pos++;
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            digits();
        }
        return new BigDecimal(text.substring(start, pos));
    }

    private void digits() {
        int start = pos;
        while (peek() >= '0' && peek() <= '9') {
            pos++;
        }
        if (pos == start) {
            throw MALFORMED;
        }
    }

    /** Skips a nested object or array by bracket depth, minding strings; its content is not validated. */
    private void skipNested() {
        int depth = 0;
        do {
            char c = next();
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            } else if (c == '"') {
                skipString();
            }
        } while (depth > 0);
    }

    private void skipString() {
        while (true) {
            char c = next();
            if (c == '"') {
                return;
            }
            if (c == '\\') {
                next();
            }
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw MALFORMED;
        }
        pos += word.length();
        return value;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private void expect(char expected) {
        if (next() != expected) {
            throw MALFORMED;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private char next() {
        if (pos >= text.length()) {
            throw MALFORMED;
        }
        return text.charAt(pos++);
    }
}
