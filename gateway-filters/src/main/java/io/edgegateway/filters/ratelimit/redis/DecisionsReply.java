package io.edgegateway.filters.ratelimit.redis;

import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;

/**
 * The reply to one script call, read off the wire as it is decoded: a flat array of integers,
 * {@link LimiterScript#REPLY_VALUES_PER_KEY} per key, with the message of the error a key met in
 * place of its first. Kept in a {@code long[]}, so reading a batch's reply boxes nothing and
 * builds no list.
 */
final class DecisionsReply extends CommandOutput<String, String, DecisionsReply> {

    private static final long[] NONE = new long[0];

    private long[] values = NONE;
    /** Where a value is a string (an error message, or anything else that is not an integer); mostly none. */
    private String[] strings;
    private int size;
    private boolean unexpected;

    DecisionsReply() {
        super(StringCodec.UTF8, null);
        output = this;
    }

    @Override
    public void multi(int count) {
        if (size == 0 && values.length == 0 && count > 0) {
            values = new long[count];
        } else {
            // A nested array: no script reply has one.
            unexpected = true;
        }
    }

    @Override
    public void set(long integer) {
        if (size < values.length) {
            values[size] = integer;
        }
        size++;
    }

    @Override
    public void set(ByteBuffer bytes) {
        if (size < values.length) {
            if (strings == null) {
                strings = new String[values.length];
            }
            strings[size] = bytes == null ? "" : decodeString(bytes);
        }
        size++;
    }

    @Override
    public void set(double number) {
        unexpected = true;
        size++;
    }

    @Override
    public void set(boolean value) {
        unexpected = true;
        size++;
    }

    /** Whether the reply has {@code count} values, every one an integer or a string. */
    boolean hasValues(int count) {
        return !unexpected && size == count && values.length == count;
    }

    /** The string at {@code index} (a key's error message), or null when it is an integer. */
    String string(int index) {
        return strings == null ? null : strings[index];
    }

    long value(int index) {
        return values[index];
    }

    @Override
    public String toString() {
        return "script reply of " + size + " values" + (strings == null ? "" : " with strings") + (unexpected ? ", unexpected" : "");
    }
}
