package io.edgegateway.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration was refused; carries every problem found, not just the first. */
public final class InvalidConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<ConfigProblem> problems;

    public InvalidConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems: [] (expected: at least one)");
        }
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in file and line order. */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
