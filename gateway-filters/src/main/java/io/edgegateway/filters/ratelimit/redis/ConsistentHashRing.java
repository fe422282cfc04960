package io.edgegateway.filters.ratelimit.redis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Shards on a hash ring, each at many points (virtual nodes), so adding a shard to n moves about
 * 1/(n+1) of the keys, all of them to the new shard. Immutable: a lookup is a binary search over
 * a sorted {@code long[]}, lock-free and allocation-free.
 *
 * @param <T> what a shard is; its name (from {@code name}) places it on the ring
 */
public final class ConsistentHashRing<T> {

    public static final int DEFAULT_VIRTUAL_NODES = 160;

    private final List<T> shards;
    private final Function<? super T, String> name;
    private final int virtualNodes;
    private final long[] points;
    private final Object[] owners;

    public ConsistentHashRing(List<T> shards, Function<? super T, String> name, int virtualNodes) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("shards: [] (expected: at least one)");
        }
        if (virtualNodes < 1) {
            throw new IllegalArgumentException("virtualNodes: " + virtualNodes + " (expected: > 0)");
        }
        this.shards = List.copyOf(shards);
        this.name = Objects.requireNonNull(name, "name");
        this.virtualNodes = virtualNodes;

        record Point(long hash, String owner, int shard) { }
        List<Point> all = new ArrayList<>(shards.size() * virtualNodes);
        for (int s = 0; s < shards.size(); s++) {
            String shardName = name.apply(shards.get(s));
            for (int v = 0; v < virtualNodes; v++) {
                all.add(new Point(Murmur3Hash.hash64(shardName + "#" + v), shardName, s));
            }
        }
        // Ties (vanishingly rare at 64 bits) are broken by name so the ring does not depend on list order.
        all.sort(Comparator.comparingLong(Point::hash).thenComparing(Point::owner));
        points = new long[all.size()];
        owners = new Object[all.size()];
        for (int i = 0; i < all.size(); i++) {
            points[i] = all.get(i).hash();
            owners[i] = this.shards.get(all.get(i).shard());
        }
    }

    public ConsistentHashRing(List<T> shards, Function<? super T, String> name) {
        this(shards, name, DEFAULT_VIRTUAL_NODES);
    }

    /** The shard owning {@code key}: the first point clockwise from the key's hash. */
    @SuppressWarnings("unchecked")
    public T shardFor(CharSequence key) {
        long hash = Murmur3Hash.hash64(key);
        int index = Arrays.binarySearch(points, hash);
        if (index < 0) {
            index = -index - 1;
            if (index == points.length) {
                index = 0;
            }
        }
        return (T) owners[index];
    }

    /** A new ring with {@code shard} added. */
    public ConsistentHashRing<T> with(T shard) {
        List<T> grown = new ArrayList<>(shards);
        grown.add(shard);
        return new ConsistentHashRing<>(grown, name, virtualNodes);
    }

    public List<T> shards() {
        return shards;
    }
}
