package io.edgegateway.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * An object of the configuration at a display path ({@code gateway.routes[0]}), read key by key.
 * Every mistake is recorded with its origin and reading goes on, so one pass finds them all;
 * {@link #build} then makes the record only if nothing under this object was wrong.
 */
final class ConfigReader {

    private final ConfigObject object;
    private final String path;
    private final Problems problems;
    private final int problemsBefore;

    ConfigReader(ConfigObject object, String path, Problems problems) {
        this.object = object;
        this.path = path;
        this.problems = problems;
        this.problemsBefore = problems.count();
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    ConfigOrigin origin() {
        return object.origin();
    }

    /** Present and not {@code null}. */
    boolean has(String key) {
        ConfigValue value = object.get(key);
        return value != null && value.valueType() != ConfigValueType.NULL;
    }

    Optional<ConfigValueReader> value(String key) {
        return has(key) ? Optional.of(new ConfigValueReader(path(key), object.get(key), problems)) : Optional.empty();
    }

    /** Reports {@code key} as missing unless present. */
    void require(String key, String expected) {
        ConfigValue value = object.get(key);
        if (value == null) {
            problems.add(object.origin(), path(key) + ": missing (expected: " + expected + ")");
        } else if (value.valueType() == ConfigValueType.NULL) {
            problems.add(value.origin(), path(key) + ": null (expected: " + expected + ")");
        }
    }

    /** Reports every key not in {@code known}, suggesting the closest known one. */
    void rejectUnknownKeys(Collection<String> known) {
        for (String key : object.keySet()) {
            if (known.contains(key)) {
                continue;
            }
            String hint = DidYouMean.closest(key, known)
                    .map(suggestion -> "did you mean `" + suggestion + "`?")
                    .orElse("expected one of: " + String.join(", ", new TreeSet<>(known)));
            problems.add(object.get(key).origin(), path(key) + ": unknown key (" + hint + ")");
        }
    }

    Optional<String> string(String key, String expected) {
        return value(key).flatMap(v -> v.string(expected));
    }

    Optional<String> nonEmptyString(String key, String expected) {
        return value(key).flatMap(v -> v.nonEmptyString(expected));
    }

    Optional<Integer> intValue(String key, int min, int max) {
        return value(key).flatMap(v -> v.intValue(min, max));
    }

    Optional<Long> integer(String key, long min, long max) {
        return value(key).flatMap(v -> v.integer(min, max));
    }

    Optional<Boolean> bool(String key) {
        return value(key).flatMap(ConfigValueReader::bool);
    }

    Optional<Duration> duration(String key, Duration min) {
        return value(key).flatMap(v -> v.duration(min));
    }

    Optional<Long> bytes(String key, long min, long max) {
        return value(key).flatMap(v -> v.bytes(min, max));
    }

    <E extends Enum<E>> Optional<E> choice(String key, Class<E> type) {
        return value(key).flatMap(v -> v.choice(type));
    }

    Optional<ConfigReader> object(String key) {
        return value(key).flatMap(ConfigValueReader::object);
    }

    Optional<List<ConfigValueReader>> list(String key, String expected) {
        return value(key).flatMap(v -> v.list(expected));
    }

    /** The record built by {@code make}, or empty if any problem was found since this reader was created. */
    <T> Optional<T> build(Supplier<T> make) {
        return problems.count() == problemsBefore ? Optional.of(make.get()) : Optional.empty();
    }
}
