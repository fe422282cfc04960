package io.edgegateway.config;

import java.util.regex.Pattern;

/** RFC 9110 {@code token} syntax, which header names and request methods must follow. */
final class HttpToken {

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

    private HttpToken() {
    }

    static boolean isValid(String text) {
        return TOKEN.matcher(text).matches();
    }
}
