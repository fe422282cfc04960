package io.edgegateway.loadtest.probe;

/** Shows one-char-per-byte text readably: printable ASCII as is, every other byte as {@code \xNN}. */
final class ByteText {

    private ByteText() {
    }

    static String show(String bytes) {
        StringBuilder out = new StringBuilder(bytes.length());
        for (int i = 0; i < bytes.length(); i++) {
            char c = bytes.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\x%02x", c & 0xff));
            }
        }
        return out.toString();
    }
}
