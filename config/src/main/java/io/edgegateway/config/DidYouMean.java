package io.edgegateway.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** Suggests the known name a misspelled one was probably meant to be. */
final class DidYouMean {

    private static final int MAX_EDITS = 2;

    private DidYouMean() {
    }

    /** The closest candidate within two edits (a transposition counts as one), if any. */
    static Optional<String> closest(String word, Collection<String> candidates) {
        return candidates.stream()
                .filter(candidate -> isClose(word, candidate))
                .min(Comparator.comparingInt((String candidate) -> distance(word, candidate)).thenComparing(c -> c));
    }

    private static boolean isClose(String word, String candidate) {
        int edits = distance(word, candidate);
        return edits <= MAX_EDITS && edits < word.length() && edits < candidate.length();
    }

    /** Levenshtein distance with adjacent transpositions (optimal string alignment), ignoring case. */
    static int distance(String a, String b) {
        String s = a.toLowerCase();
        String t = b.toLowerCase();
        int[][] d = new int[s.length() + 1][t.length() + 1];
        for (int i = 0; i <= s.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= t.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= s.length(); i++) {
            for (int j = 1; j <= t.length(); j++) {
                int cost = s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && s.charAt(i - 1) == t.charAt(j - 2) && s.charAt(i - 2) == t.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[s.length()][t.length()];
    }
}
