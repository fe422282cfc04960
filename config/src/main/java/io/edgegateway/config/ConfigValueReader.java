package io.edgegateway.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One value at a display path such as {@code gateway.routes[0].timeouts.connect}, read into a Java
 * type. A value that does not convert is reported at its origin, Armeria style
 * ({@code path: "abc" (expected: ...)}), and read as empty.
 */
final class ConfigValueReader {

    static final String DURATION = "a duration such as 500ms or 2s";
    static final String SIZE = "a size such as 16k or 10m";

    private static final String KEY = "v";
    private static final int MAX_RENDERED = 80;

    private final String path;
    private final ConfigValue value;
    private final Problems problems;

    ConfigValueReader(String path, ConfigValue value, Problems problems) {
        this.path = path;
        this.value = value;
        this.problems = problems;
    }

    String path() {
        return path;
    }

    ConfigValue value() {
        return value;
    }

    ConfigOrigin origin() {
        return value.origin();
    }

    Problems problems() {
        return problems;
    }

    void problem(String message) {
        problems.add(value.origin(), path + ": " + message);
    }

    void invalid(String expected) {
        problem(rendered() + " (expected: " + expected + ")");
    }

    /** Reports the value as invalid unless {@code ok}; for use in {@code Optional.filter}. */
    boolean check(boolean ok, String expected) {
        if (!ok) {
            invalid(expected);
        }
        return ok;
    }

    boolean isString(String literal) {
        return value.valueType() == ConfigValueType.STRING && literal.equals(value.unwrapped());
    }

    /** A string, number or boolean as text. */
    Optional<String> string(String expected) {
        return switch (value.valueType()) {
            case STRING, NUMBER, BOOLEAN -> Optional.of(asConfig().getString(KEY));
            default -> {
                invalid(expected);
                yield Optional.empty();
            }
        };
    }

    Optional<String> nonEmptyString(String expected) {
        return string(expected).filter(s -> check(!s.isBlank(), expected));
    }

    Optional<Long> integer(long min, long max) {
        String expected = "an integer" + range(min, max);
        Optional<Long> parsed = switch (value.valueType()) {
            case NUMBER -> integral((Number) value.unwrapped());
            case STRING -> parseLong(((String) value.unwrapped()).strip());
            default -> Optional.empty();
        };
        if (parsed.isEmpty()) {
            invalid(expected);
            return parsed;
        }
        return parsed.filter(n -> check(n >= min && n <= max, expected));
    }

    Optional<Integer> intValue(int min, int max) {
        return integer(min, max).map(Long::intValue);
    }

    Optional<Double> decimal(String expected) {
        try {
            return Optional.of(asConfig().getDouble(KEY));
        } catch (ConfigException e) {
            invalid(expected);
            return Optional.empty();
        }
    }

    Optional<Boolean> bool() {
        try {
            return Optional.of(asConfig().getBoolean(KEY));
        } catch (ConfigException e) {
            invalid("true or false");
            return Optional.empty();
        }
    }

    /** A duration of at least {@code min}; plain numbers are milliseconds, as in Typesafe Config. */
    Optional<Duration> duration(Duration min) {
        return duration(min, DURATION);
    }

    Optional<Duration> duration(Duration min, String expected) {
        Duration parsed;
        try {
            parsed = asConfig().getDuration(KEY);
        } catch (ConfigException e) {
            invalid(expected);
            return Optional.empty();
        }
        String bound = min.equals(Duration.ofNanos(1)) ? "a duration > 0" : "a duration >= " + format(min);
        return Optional.of(parsed).filter(d -> check(d.compareTo(min) >= 0, bound));
    }

    /** A size in bytes ({@code 16k} is 16384). */
    Optional<Long> bytes(long min, long max) {
        long parsed;
        try {
            parsed = asConfig().getBytes(KEY);
        } catch (ConfigException e) {
            invalid(SIZE);
            return Optional.empty();
        }
        return Optional.of(parsed).filter(n -> check(n >= min && n <= max, "a size in bytes" + range(min, max)));
    }

    /** One of the enum's constants, spelled in lower case with dashes ({@code REDIS_CLUSTER} is {@code redis-cluster}). */
    <E extends Enum<E>> Optional<E> choice(Class<E> type) {
        E[] constants = type.getEnumConstants();
        if (value.valueType() == ConfigValueType.STRING) {
            for (E constant : constants) {
                if (spelling(constant).equals(value.unwrapped())) {
                    return Optional.of(constant);
                }
            }
        }
        invalid("one of " + Arrays.stream(constants).map(ConfigValueReader::spelling).collect(Collectors.joining(", ")));
        return Optional.empty();
    }

    static String spelling(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    Optional<ConfigReader> object() {
        return object("an object { ... }");
    }

    Optional<ConfigReader> object(String expected) {
        if (value.valueType() != ConfigValueType.OBJECT) {
            invalid(expected);
            return Optional.empty();
        }
        return Optional.of(new ConfigReader((ConfigObject) value, path, problems));
    }

    /**
     * {@code name} as a path, relative to the directory of the configuration file this value is
     * in; reported as not {@code expected} when it is no path at all.
     */
    Optional<Path> pathNextToConfig(String name, String expected) {
        try {
            Path file = Path.of(name);
            String configFile = origin().filename();
            return Optional.of(!file.isAbsolute() && configFile != null ? Path.of(configFile).resolveSibling(file) : file);
        } catch (InvalidPathException e) {
            invalid(expected);
            return Optional.empty();
        }
    }

    /** The elements, each at {@code path[i]}. */
    Optional<List<ConfigValueReader>> list(String expected) {
        if (value.valueType() != ConfigValueType.LIST) {
            invalid(expected);
            return Optional.empty();
        }
        ConfigList list = (ConfigList) value;
        List<ConfigValueReader> elements = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            elements.add(new ConfigValueReader(path + "[" + i + "]", list.get(i), problems));
        }
        return Optional.of(elements);
    }

    /** A list whose elements are read by {@code element}; elements that fail to read are left out (and reported). */
    <T> Optional<List<T>> listOf(String expected, Function<ConfigValueReader, Optional<T>> element) {
        return list(expected).map(elements -> elements.stream().map(element).flatMap(Optional::stream).toList());
    }

    /** Like {@link #listOf}, and an empty list is reported too. */
    <T> Optional<List<T>> nonEmptyListOf(String expected, Function<ConfigValueReader, Optional<T>> element) {
        return list(expected)
                .filter(elements -> check(!elements.isEmpty(), expected))
                .map(elements -> elements.stream().map(element).flatMap(Optional::stream).toList());
    }

    private Config asConfig() {
        return value.atKey(KEY);
    }

    private String rendered() {
        String text = value.render(ConfigRenderOptions.concise());
        return text.length() <= MAX_RENDERED ? text : text.substring(0, MAX_RENDERED - 3) + "...";
    }

    /** {@code 2s}, or {@code 1500ms} when not whole seconds. */
    static String format(Duration d) {
        return d.toNanosPart() == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static String range(long min, long max) {
        if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
            return min == 1 ? " > 0" : " >= " + min;
        }
        return " in " + min + ".." + max;
    }

    private static Optional<Long> integral(Number number) {
        if (number instanceof Integer || number instanceof Long) {
            return Optional.of(number.longValue());
        }
        double d = number.doubleValue();
        return d == Math.rint(d) && Math.abs(d) < 0x1p53 ? Optional.of((long) d) : Optional.empty();
    }

    private static Optional<Long> parseLong(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
