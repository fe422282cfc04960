package io.edgegateway.filters.identity;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses the flat JSON object of a JWT header or claims set: strings, numbers ({@link BigDecimal}),
 * booleans and null (a {@code null} value), and arrays of them ({@link List}, for {@code aud}); a
 * nested object, or an array or object inside an array, is skipped and maps to {@link #NESTED}.
 * {@link #parseDocument} reads a whole document instead (a JWKS), objects and arrays at any depth
 * up to {@link #MAX_DEPTH}.
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

    /** How deep {@link #parseDocument} reads objects and arrays before it calls the text malformed. */
    static final int MAX_DEPTH = 16;

    private final String text;
    /** Whether nested objects and arrays are read rather than skipped. */
    private final boolean document;
    private int pos;
    /** Objects and arrays open around {@link #pos}. */
    private int depth;

    private FlatJson(String text, boolean document) {
        this.text = text;
        this.document = document;
    }

    /** The members of the top-level object; empty when {@code text} is not one JSON object. */
    static Optional<Map<String, Object>> parse(String text) {
        return parse(text, false);
    }

    /** Like {@link #parse}, with nested objects as maps and arrays as lists, at any depth up to {@link #MAX_DEPTH}. */
    static Optional<Map<String, Object>> parseDocument(String text) {
        return parse(text, true);
    }

    private static Optional<Map<String, Object>> parse(String text, boolean document) {
        try {
            FlatJson parser = new FlatJson(text, document);
            parser.skipWhitespace();
            Map<String, Object> members = parser.object();
            parser.skipWhitespace();
            return parser.pos == text.length() ? Optional.of(members) : Optional.empty();
        } catch (Malformed | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Map<String, Object> object() {
        expect('{');
        enter();
        Map<String, Object> members = members();
        depth--;
        return members;
    }

    private List<Object> array() {
        expect('[');
        enter();
        List<Object> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
        } else {
            while (true) {
                skipWhitespace();
                elements.add(value());
                skipWhitespace();
                char c = next();
                if (c == ']') {
                    break;
                }
                if (c != ',') {
                    throw MALFORMED;
                }
            }
        }
        depth--;
        return elements;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw MALFORMED;
        }
    }

    private Map<String, Object> members() {
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
            case '{' -> {
                if (document) {
                    yield object();
                }
                skipNested();
                yield NESTED;
            }
            case '[' -> {
                // A claim's array is kept (aud may be one); arrays and objects inside it are not.
                if (document || depth == 1) {
                    yield array();
                }
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
