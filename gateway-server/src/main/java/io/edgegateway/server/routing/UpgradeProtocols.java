package io.edgegateway.server.routing;

import java.util.List;

/**
 * The {@code Upgrade} protocols a route tunnels ({@code upgrades}, RFC 9110 §7.8). A configured name
 * without a version ({@code websocket}) covers every version of it; one with a version only itself.
 * Compared without regard to ASCII case.
 */
public final class UpgradeProtocols {

    private final String[] allowed;

    UpgradeProtocols(List<String> allowed) {
        this.allowed = allowed.toArray(String[]::new);
    }

    /**
     * The protocols of a request's {@code Upgrade} field this route lets through, in the client's
     * order (the field itself when it names no other), or null when it lets none through and the
     * request is an ordinary one.
     */
    public String permitted(String upgradeField) {
        if (upgradeField == null || allowed.length == 0) {
            return null;
        }
        if (upgradeField.indexOf(',') < 0) {
            String token = upgradeField.strip();
            return isAllowed(token) ? token : null;
        }
        StringBuilder kept = new StringBuilder();
        for (String offered : upgradeField.split(",")) {
            String token = offered.strip();
            if (isAllowed(token)) {
                kept.append(kept.isEmpty() ? "" : ", ").append(token);
            }
        }
        return kept.isEmpty() ? null : kept.toString();
    }

    private boolean isAllowed(String token) {
        if (token.isEmpty()) {
            return false;
        }
        for (String protocol : allowed) {
            if (protocol.indexOf('/') >= 0
                    ? protocol.equalsIgnoreCase(token)
                    : sameName(protocol, token)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a 101's {@code Upgrade} value switches to one of the protocols in {@code offered} (what
     * {@link #permitted} let through): by name, since a server may answer without the version.
     */
    public static boolean chosenAmong(String chosen, String offered) {
        if (chosen == null || chosen.isBlank()) {
            return false;
        }
        int comma = chosen.indexOf(',');
        String protocol = (comma < 0 ? chosen : chosen.substring(0, comma)).strip();
        for (String token : offered.split(",")) {
            String candidate = token.strip();
            int slash = candidate.indexOf('/');
            if (sameName(slash < 0 ? candidate : candidate.substring(0, slash), protocol)) {
                return true;
            }
        }
        return false;
    }

    /** {@code token} is {@code name} or {@code name/version}. */
    private static boolean sameName(String name, String token) {
        return token.regionMatches(true, 0, name, 0, name.length())
                && (token.length() == name.length() || token.charAt(name.length()) == '/');
    }
}
