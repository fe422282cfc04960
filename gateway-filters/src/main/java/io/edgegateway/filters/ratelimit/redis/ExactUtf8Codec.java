package io.edgegateway.filters.ratelimit.redis;

import io.lettuce.core.codec.StringCodec;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 strings whose encoded size Lettuce is told exactly (Netty counts the bytes its UTF-8
 * writer will write), so it writes each key of a script call straight into the command's buffer.
 * With {@link StringCodec#UTF8}, whose size is only an upper bound, it encodes every key into a
 * buffer of its own first and then copies it.
 */
final class ExactUtf8Codec extends StringCodec {

    static final ExactUtf8Codec INSTANCE = new ExactUtf8Codec();

    private ExactUtf8Codec() {
        super(StandardCharsets.UTF_8);
    }

    @Override
    public int estimateSize(Object keyOrValue) {
        return keyOrValue instanceof String text ? ByteBufUtil.utf8Bytes(text) : super.estimateSize(keyOrValue);
    }

    @Override
    public boolean isEstimateExact() {
        return true;
    }
}
