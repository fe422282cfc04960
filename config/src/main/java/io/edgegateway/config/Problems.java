package io.edgegateway.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/** The problems found so far in one load; validation goes on after a problem so that all are reported. */
final class Problems {

    private final List<ConfigProblem> problems = new ArrayList<>();

    void add(ConfigOrigin origin, String message) {
        problems.add(ConfigProblem.at(origin, message));
    }

    void add(ConfigProblem problem) {
        problems.add(problem);
    }

    int count() {
        return problems.size();
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    InvalidConfigException toException() {
        List<ConfigProblem> sorted = new ArrayList<>(new LinkedHashSet<>(problems));
        // Keys of an object come in no particular order: sort so the same file always reads the same.
        sorted.sort(Comparator.comparing(ConfigProblem::file)
                .thenComparingInt(ConfigProblem::line)
                .thenComparing(ConfigProblem::message));
        return new InvalidConfigException(sorted);
    }
}
